import type { DOMWrapper, VueWrapper } from '@vue/test-utils'

type Root = VueWrapper | DOMWrapper<Element>

/** Every control whose <label> text is exactly `text`, the way a screen reader names it. */
export function allByLabel<T extends Element = HTMLInputElement>(root: Root, text: string): DOMWrapper<T>[] {
  return root
    .findAll('label')
    .filter((label) => label.text().trim() === text)
    .map((label) => root.find<T>(`[id="${label.attributes('for')}"]`))
}

export function byLabel<T extends Element = HTMLInputElement>(root: Root, text: string): DOMWrapper<T> {
  const found = allByLabel<T>(root, text)
  if (found.length !== 1) throw new Error(`Expected one control labelled "${text}", found ${found.length}`)
  return found[0]!
}

/** A button by its accessible name: aria-label, else its text. */
export function allButtons(root: Root, name: string): DOMWrapper<HTMLButtonElement>[] {
  return root
    .findAll<HTMLButtonElement>('button')
    .filter((b) => (b.attributes('aria-label') ?? b.text()).trim() === name)
}

export function button(root: Root, name: string): DOMWrapper<HTMLButtonElement> {
  const found = allButtons(root, name)
  if (found.length !== 1) throw new Error(`Expected one button named "${name}", found ${found.length}`)
  return found[0]!
}

/** The text of the elements a control's aria-describedby points to. */
export function description(root: Root, control: DOMWrapper<Element>): string {
  const ids = (control.attributes('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
  return ids.map((id) => root.find(`[id="${id}"]`).text()).join(' ')
}

/** The Outbox row showing the contact named `name` (one, or the test fails). */
export function outboxRow(root: Root, name: string): DOMWrapper<Element> {
  const found = root.findAll('[role="listitem"]').filter((r) => r.find('.orow__name').text() === name)
  if (found.length !== 1) throw new Error(`Expected one row for "${name}", found ${found.length}`)
  return found[0]!
}
