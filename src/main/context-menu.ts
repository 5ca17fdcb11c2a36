import { Menu, type ContextMenuParams, type MenuItemConstructorOptions, type WebContents } from 'electron'

export const ADD_TO_DICTIONARY_LABEL = 'Add to dictionary'
export const NO_SUGGESTIONS_LABEL = 'No suggestions'

/** What the menu's own items do; WebContents and its session in the app, recorded in tests. */
export interface ContextMenuActions {
  replaceMisspelling(word: string): void
  addToDictionary(word: string): void
}

type MenuParams = Pick<
  ContextMenuParams,
  'isEditable' | 'selectionText' | 'misspelledWord' | 'dictionarySuggestions'
> & {
  editFlags: Pick<ContextMenuParams['editFlags'], 'canCut' | 'canCopy' | 'canPaste' | 'canSelectAll'>
}

/**
 * Electron shows no context menu of its own. In a text field: spelling suggestions and Add to
 * dictionary for a misspelled word (spellcheck is on), then cut, copy, paste and select all as
 * Chromium allows them there (a password field allows no copy). Elsewhere: copy for selected text.
 */
export function contextMenuTemplate(params: MenuParams, actions: ContextMenuActions): MenuItemConstructorOptions[] {
  if (!params.isEditable) {
    return params.selectionText.trim() !== '' && params.editFlags.canCopy ? [{ role: 'copy' }] : []
  }
  const template: MenuItemConstructorOptions[] = []
  const word = params.misspelledWord
  if (word !== '') {
    const suggestions = params.dictionarySuggestions.map((suggestion): MenuItemConstructorOptions => ({
      label: suggestion,
      click: () => actions.replaceMisspelling(suggestion),
    }))
    template.push(...(suggestions.length > 0 ? suggestions : [{ label: NO_SUGGESTIONS_LABEL, enabled: false }]))
    template.push({ label: ADD_TO_DICTIONARY_LABEL, click: () => actions.addToDictionary(word) }, { type: 'separator' })
  }
  template.push(
    { role: 'cut', enabled: params.editFlags.canCut },
    { role: 'copy', enabled: params.editFlags.canCopy },
    { role: 'paste', enabled: params.editFlags.canPaste },
    { type: 'separator' },
    { role: 'selectAll', enabled: params.editFlags.canSelectAll },
  )
  return template
}

export function attachContextMenu(contents: WebContents): void {
  const actions: ContextMenuActions = {
    replaceMisspelling: (word) => contents.replaceMisspelling(word),
    addToDictionary: (word) => void contents.session.addWordToSpellCheckerDictionary(word),
  }
  contents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, actions)
    if (template.length > 0) Menu.buildFromTemplate(template).popup()
  })
}
