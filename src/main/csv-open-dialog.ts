import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { app, BrowserWindow, dialog, type OpenDialogOptions } from 'electron'
import { fail, ok } from '../shared/app-error.ts'
import type { CommandHandlers } from '../shared/bridge-contract.ts'
import { CSV_IMPORT_LIMITS } from '../shared/csv-import.ts'
import { parseCsvResult } from './core/csv-import.ts'

const MB = 1024 * 1024

/**
 * Import CSV in Electron: main shows the open dialog and reads the chosen file itself, so the page
 * never names a path; the renderer gets the parsed table (or "cancelled").
 */
export function withCsvOpenDialog(handlers: CommandHandlers): CommandHandlers {
  return {
    ...handlers,
    openCsvFile: async () => {
      const options: OpenDialogOptions = {
        title: 'Import CSV',
        defaultPath: app.getPath('documents'),
        buttonLabel: 'Import',
        filters: [
          { name: 'CSV file', extensions: ['csv', 'txt', 'tsv'] },
          { name: 'All files', extensions: ['*'] },
        ],
        properties: ['openFile'],
      }
      const window = BrowserWindow.getFocusedWindow()
      const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      const path = choice.filePaths[0]
      if (choice.canceled || !path) return ok({ kind: 'cancelled' as const })
      try {
        // Checked before reading, so a huge file is never pulled into memory.
        const { size } = await stat(path)
        if (size > CSV_IMPORT_LIMITS.bytes) {
          return fail(
            'invalid',
            `${basename(path)} is ${(size / MB).toFixed(1)} MB; at most ${CSV_IMPORT_LIMITS.bytes / MB} MB can be imported at once. Split it into smaller files.`,
          )
        }
        const parsed = parseCsvResult(await readFile(path), basename(path))
        return parsed.ok ? ok({ kind: 'table' as const, table: parsed.value }) : parsed
      } catch {
        return fail(
          'storage',
          `${basename(path)} could not be read. Check that it still exists and that you may open it.`,
        )
      }
    },
  }
}
