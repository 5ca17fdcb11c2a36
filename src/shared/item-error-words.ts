import type { ItemError, ItemErrorCode, ItemErrorParams } from './item-error.ts'
import { OUTBOX_ACTION_LABELS } from './outbox.ts'

// Words for an item's last error, in one place for every edge that shows them: the renderer's list
// and detail, and the CSV export main writes.
const MAY_EXIST = `It may have been created: check Cloverhound, then choose “${OUTBOX_ACTION_LABELS.sendAgain}” or “${OUTBOX_ACTION_LABELS.markAsSent}”.`

/** Every code an item's last error can carry, in words; the type makes a new code fail until it has some. */
const ITEM_ERROR_WORDS: { [C in ItemErrorCode]: (params: ItemErrorParams<C>) => string } = {
  rejected: ({ messages }) =>
    messages.length > 0
      ? `The server did not accept this contact: ${messages.join(' ')}`
      : 'The server did not accept this contact. Fix the fields marked and it will be sent again.',
  unauthorized: () =>
    'The API key ID or API key was not accepted (401). Fix it in Settings; this contact stays queued.',
  no_key_for_server: ({ host }) =>
    `No API key was entered for ${host}, so nothing was sent. Enter it in Settings; this contact stays queued.`,
  forbidden: ({ organizationId }) =>
    `This API key may not create contacts in organization ${organizationId} (403). Fix it in Settings; this contact stays queued.`,
  rate_limited: () => 'The server asked to slow down (too many requests). The app will try again later.',
  server_error: ({ status }) => `The Cloverhound server had a problem (status ${status}). The app will try again.`,
  network_unreachable: ({ host, reason }) =>
    `Could not reach ${host}: ${reason}. It will be sent when the connection is back.`,
  connection_lost: ({ host }) => `The connection to ${host} broke after the contact was sent. ${MAY_EXIST}`,
  timeout: ({ host }) => `${host} took too long to answer. ${MAY_EXIST}`,
  unexpected_reply: ({ host, reason, mayExist }) =>
    mayExist ? `Unexpected reply from ${host}: ${reason}. ${MAY_EXIST}` : `Unexpected reply from ${host}: ${reason}.`,
  mark_as_sent_undone: () =>
    `You undid “${OUTBOX_ACTION_LABELS.markAsSent}”: this contact may or may not be in Cloverhound. ${MAY_EXIST}`,
  interrupted: () => `The app closed while this contact was being sent. ${MAY_EXIST}`,
  unreadable: () =>
    'Part of this contact could not be read back from the outbox file. It is kept exactly as it was saved; check it and save it again, or discard it.',
  legacy: ({ text }) => text,
}

/** An item's last error in words. */
export function itemErrorWords(error: ItemError): string {
  const words = ITEM_ERROR_WORDS[error.code] as (params: ItemError['params']) => string
  return words(error.params)
}
