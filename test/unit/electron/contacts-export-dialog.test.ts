import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../src/shared/app-error.ts'
import type { CommandHandlers } from '../../../src/shared/bridge-contract.ts'

const fake = vi.hoisted(() => ({
  focused: null as object | null,
  /** What the user does in the dialog; typed as Electron's own return value. */
  answer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
  calls: [] as Array<{ window: unknown; options: unknown }>,
}))

vi.mock('electron', () => ({
  app: { getPath: (name: string) => `/home/ada/${name}` },
  BrowserWindow: { getFocusedWindow: () => fake.focused },
  dialog: {
    // Electron's overloads: (window, options) or (options).
    showSaveDialog: async (...args: unknown[]): Promise<SaveDialogReturnValue> => {
      const [window, options] = args.length === 2 ? args : [undefined, args[0]]
      fake.calls.push({ window, options })
      return fake.answer
    },
  },
}))

const { withContactsSaveDialog } = await import('../../../src/main/contacts-export-dialog.ts')

const CSV = '\uFEFFFull name\r\nAda Lovelace\r\n'
let folder = ''

function handlers(): CommandHandlers {
  const exportContacts = vi.fn(async () =>
    ok({ kind: 'file' as const, fileName: 'cloverhound-contacts-2025-01-15.csv', csv: CSV, count: 1, complete: true }),
  )
  return { exportContacts } as unknown as CommandHandlers
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'cloverhound-export-'))
  fake.calls.length = 0
  fake.focused = null
})

afterEach(() => rmSync(folder, { recursive: true, force: true }))

describe('Export contacts (CSV) in Electron', () => {
  it('asks where to save, in Documents by default, as the focused window’s sheet, and writes the CSV there', async () => {
    const window = { id: 1 } as unknown as BrowserWindow
    fake.focused = window
    const target = join(folder, 'contacts.csv')
    fake.answer = { canceled: false, filePath: target }

    const result = await withContactsSaveDialog(handlers()).exportContacts(undefined)

    expect(result).toEqual({ ok: true, value: { kind: 'saved', path: target, count: 1, complete: true } })
    expect(readFileSync(target, 'utf8')).toBe(CSV)
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600)
    const { window: parent, options } = fake.calls[0] as { window: unknown; options: SaveDialogOptions }
    expect(parent).toBe(window)
    expect(options.defaultPath).toBe(join('/home/ada/documents', 'cloverhound-contacts-2025-01-15.csv'))
    expect(options.filters).toEqual([{ name: 'CSV file', extensions: ['csv'] }])
  })

  it('answers cancelled, and writes nothing, when the user cancels', async () => {
    fake.answer = { canceled: true, filePath: '' }
    const result = await withContactsSaveDialog(handlers()).exportContacts(undefined)
    expect(result).toEqual({ ok: true, value: { kind: 'cancelled' } })
    expect(fake.calls[0]?.window).toBeUndefined()
  })

  it('never hands the CSV text to the renderer', async () => {
    fake.answer = { canceled: false, filePath: join(folder, 'contacts.csv') }
    const result = await withContactsSaveDialog(handlers()).exportContacts(undefined)
    expect(JSON.stringify(result)).not.toContain('Ada Lovelace')
  })

  it('tells a place it cannot write to in words, not an errno', async () => {
    const blocked = join(folder, 'contacts.csv')
    mkdirSync(blocked)
    fake.answer = { canceled: false, filePath: blocked }
    const result = await withContactsSaveDialog(handlers()).exportContacts(undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } })
    const message = result.ok ? '' : result.error.message
    expect(message).toContain('a folder of that name is in the way')
    expect(message).not.toContain('EISDIR')
  })

  it('passes a failure of the core through unchanged', async () => {
    const failing = {
      exportContacts: async () => ({ ok: false as const, error: { code: 'storage' as const, message: 'No.' } }),
    } as unknown as CommandHandlers
    expect(await withContactsSaveDialog(failing).exportContacts(undefined)).toEqual({
      ok: false,
      error: { code: 'storage', message: 'No.' },
    })
    expect(fake.calls).toHaveLength(0)
  })
})
