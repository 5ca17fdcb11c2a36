import type { ContextMenuParams, MenuItemConstructorOptions, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { FakeBrowserWindow, state } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const { ADD_TO_DICTIONARY_LABEL, NO_SUGGESTIONS_LABEL, attachContextMenu, contextMenuTemplate } =
  await import('../../../src/main/context-menu.ts')

type Params = Parameters<typeof contextMenuTemplate>[0]

const allowed = { canCut: true, canCopy: true, canPaste: true, canSelectAll: true }
const textField: Params = {
  isEditable: true,
  selectionText: '',
  misspelledWord: '',
  dictionarySuggestions: [],
  editFlags: allowed,
}
const actions = () => ({ replaceMisspelling: vi.fn(), addToDictionary: vi.fn() })

const roles = (template: MenuItemConstructorOptions[]) => template.map((item) => item.role ?? item.type ?? item.label)

function click(item: MenuItemConstructorOptions | undefined) {
  if (!item?.click) throw new Error('the item has no click')
  item.click(undefined as never, undefined, undefined as never)
}

describe('contextMenuTemplate', () => {
  it('offers cut, copy, paste and select all in a text field, as Chromium allows them there', () => {
    expect(roles(contextMenuTemplate(textField, actions()))).toEqual(['cut', 'copy', 'paste', 'separator', 'selectAll'])
    // A password field (the API key) lets nothing be cut or copied out of it.
    const password = contextMenuTemplate(
      { ...textField, editFlags: { ...allowed, canCut: false, canCopy: false } },
      actions(),
    )
    expect(password.find((item) => item.role === 'cut')?.enabled).toBe(false)
    expect(password.find((item) => item.role === 'copy')?.enabled).toBe(false)
    expect(password.find((item) => item.role === 'paste')?.enabled).toBe(true)
  })

  it('puts spelling suggestions and Add to dictionary first for a misspelled word', () => {
    const act = actions()
    const template = contextMenuTemplate(
      { ...textField, misspelledWord: 'Lovelac', dictionarySuggestions: ['Lovelace', 'Lovelock'] },
      act,
    )
    expect(template.map((item) => item.label ?? item.role ?? item.type)).toEqual([
      'Lovelace',
      'Lovelock',
      ADD_TO_DICTIONARY_LABEL,
      'separator',
      'cut',
      'copy',
      'paste',
      'separator',
      'selectAll',
    ])
    click(template[1])
    expect(act.replaceMisspelling).toHaveBeenCalledExactlyOnceWith('Lovelock')
    click(template[2])
    expect(act.addToDictionary).toHaveBeenCalledExactlyOnceWith('Lovelac')
  })

  it('says there are no suggestions rather than showing none', () => {
    const template = contextMenuTemplate({ ...textField, misspelledWord: 'Zyxw' }, actions())
    expect(template[0]).toEqual({ label: NO_SUGGESTIONS_LABEL, enabled: false })
    expect(template[1]?.label).toBe(ADD_TO_DICTIONARY_LABEL)
  })

  it('offers only copy for selected text outside a field, and nothing without a selection', () => {
    const page = { ...textField, isEditable: false, editFlags: { ...allowed, canCut: false, canPaste: false } }
    expect(roles(contextMenuTemplate({ ...page, selectionText: 'Ada' }, actions()))).toEqual(['copy'])
    expect(contextMenuTemplate({ ...page, selectionText: '  ' }, actions())).toEqual([])
  })
})

describe('attachContextMenu', () => {
  function rightClick(params: Params) {
    const window = new FakeBrowserWindow({})
    attachContextMenu(window.webContents as unknown as WebContents)
    state.builtMenus.length = 0
    window.webContents.emit('context-menu', {}, params as ContextMenuParams)
    const popups = state.builtMenus.filter((menu) => menu.popup.mock.calls.length > 0)
    return { window, popups }
  }

  it("pops the menu up, and its items reach the page's web contents and spell checker", () => {
    const { window, popups } = rightClick({
      ...textField,
      misspelledWord: 'Lovelac',
      dictionarySuggestions: ['Lovelace'],
    })
    expect(popups).toHaveLength(1)
    const template = popups[0]?.template as MenuItemConstructorOptions[]
    click(template[0])
    expect(window.webContents.replaceMisspelling).toHaveBeenCalledExactlyOnceWith('Lovelace')
    click(template[1])
    expect(window.webContents.session.addWordToSpellCheckerDictionary).toHaveBeenCalledExactlyOnceWith('Lovelac')
  })

  it('shows no menu where it would be empty', () => {
    const { popups } = rightClick({ ...textField, isEditable: false })
    expect(popups).toHaveLength(0)
  })
})
