import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron'
import { fail, ok, type Result } from '../shared/app-error.ts'
import type { CommandHandlers } from '../shared/bridge-contract.ts'
import type { ContactsExport } from '../shared/contacts-export.ts'
import { PRIVATE_FILE_MODE } from './core/private-files.ts'

/**
 * Export contacts (CSV) and Import CSV's rows-with-errors file in Electron: the core makes the CSV, main
 * asks where to save it and writes it, so the renderer gets only "saved" or "cancelled". The file is
 * the user's (0600: it holds contacts).
 */
export function withContactsSaveDialog(handlers: CommandHandlers): CommandHandlers {
  return {
    ...handlers,
    exportContacts: async (input) => saveWithDialog(await handlers.exportContacts(input), 'Export contacts (CSV)'),
    saveCsvRows: async (input) => saveWithDialog(await handlers.saveCsvRows(input), 'Save rows to fix (CSV)'),
  }
}

async function saveWithDialog(made: Result<ContactsExport>, title: string): Promise<Result<ContactsExport>> {
  if (!made.ok || made.value.kind !== 'file') return made
  const { fileName, csv, count, complete } = made.value
  const options: SaveDialogOptions = {
    title,
    defaultPath: join(app.getPath('documents'), fileName),
    buttonLabel: 'Save',
    filters: [{ name: 'CSV file', extensions: ['csv'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  }
  const window = BrowserWindow.getFocusedWindow()
  const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  if (choice.canceled || !choice.filePath) return ok({ kind: 'cancelled' as const })
  try {
    await writeFile(choice.filePath, csv, { mode: PRIVATE_FILE_MODE })
  } catch (error) {
    return fail('storage', exportWriteWords(error, choice.filePath))
  }
  return ok({ kind: 'saved' as const, path: choice.filePath, count, complete })
}

function exportWriteWords(error: unknown, path: string): string {
  const nothingLost = 'Nothing in the outbox has changed; choose another place and export again.'
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `The export could not be written to ${path}: that place is read-only. ${nothingLost}`
    case 'ENOSPC':
    case 'EDQUOT':
      return `The export could not be written to ${path}: the disk is full. ${nothingLost}`
    case 'EISDIR':
      return `The export could not be written to ${path}: a folder of that name is in the way. ${nothingLost}`
    default:
      return `The export could not be written to ${path}. ${nothingLost}`
  }
}
