import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CommandHandlers } from '../../../src/shared/bridge-contract.ts'

const fake = vi.hoisted(() => ({
  answer: { canceled: true, filePaths: [] as string[] },
  calls: [] as unknown[],
}))

vi.mock('electron', () => ({
  app: { getPath: (name: string) => `/home/ada/${name}` },
  BrowserWindow: { getFocusedWindow: () => null },
  dialog: {
    showOpenDialog: async (...args: unknown[]): Promise<OpenDialogReturnValue> => {
      fake.calls.push(args.at(-1))
      return fake.answer
    },
  },
}))

const { withCsvOpenDialog } = await import('../../../src/main/csv-open-dialog.ts')
const open = () => withCsvOpenDialog({} as CommandHandlers).openCsvFile(undefined)

let folder = ''
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'cloverhound-import-'))
  fake.calls.length = 0
})
afterEach(() => rmSync(folder, { recursive: true, force: true }))

describe('Import CSV in Electron', () => {
  it('opens the chosen file in main and answers the parsed table, never the path', async () => {
    const path = join(folder, 'leads.csv')
    writeFileSync(path, '\uFEFFName;Email\r\nAda Lovelace;ada@example.com\r\n')
    fake.answer = { canceled: false, filePaths: [path] }
    const result = await open()
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'table',
        table: {
          fileName: 'leads.csv',
          encoding: 'utf-8',
          delimiter: ';',
          headers: ['Name', 'Email'],
          rows: [['Ada Lovelace', 'ada@example.com']],
        },
      },
    })
    expect(JSON.stringify(result)).not.toContain(folder)
    expect((fake.calls[0] as OpenDialogOptions).properties).toEqual(['openFile'])
  })

  it('answers cancelled when the user cancels', async () => {
    fake.answer = { canceled: true, filePaths: [] }
    expect(await open()).toEqual({ ok: true, value: { kind: 'cancelled' } })
  })

  it('refuses a file over 10 MB before reading it, with words saying to split it', async () => {
    const path = join(folder, 'huge.csv')
    writeFileSync(path, '')
    truncateSync(path, 10 * 1024 * 1024 + 1)
    fake.answer = { canceled: false, filePaths: [path] }
    const result = await open()
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid' } })
    expect(result.ok ? '' : result.error.message).toMatch(/huge\.csv is 10\.0 MB; at most 10 MB .* Split it/)
  })

  it('tells a file that cannot be read in words', async () => {
    fake.answer = { canceled: false, filePaths: [join(folder, 'gone.csv')] }
    const result = await open()
    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } })
    expect(result.ok ? '' : result.error.message).toContain('gone.csv could not be read')
  })
})
