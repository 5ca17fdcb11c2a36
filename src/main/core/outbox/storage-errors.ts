import { OutboxStorageError } from './outbox-errors.ts'

const KEPT = 'The outbox file is kept as it is.'

/**
 * Words for a failure of the outbox file, or undefined when the failure is something else.
 * A raw node:sqlite error (which the store should have wrapped) gets general words.
 */
export function outboxStorageWords(error: unknown): string | undefined {
  // The store's words already say what is kept and what to do.
  if (error instanceof OutboxStorageError) return error.message
  if (error instanceof Error && (error as { code?: unknown }).code === 'ERR_SQLITE_ERROR') {
    return `The app could not read or write its outbox. Check free disk space and permissions, then try again. ${KEPT}`
  }
  return undefined
}
