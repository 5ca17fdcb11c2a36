import type { ItemError, ItemErrorCode, ItemErrorParams } from './item-error.ts'
import { OUTBOX_ACTION_LABELS } from './outbox.ts'

// Words for an item's last error, in one place for every edge that shows them: the renderer's list
// and detail, and the CSV export main writes.
const MAY_EXIST = `It may have been created: check Cloverhound, then choose “${OUTBOX_ACTION_LABELS.sendAgain}” or “${OUTBOX_ACTION_LABELS.markAsSent}”.`

/** The status with the name people know it by, for the ones a failing server commonly answers. */
const STATUS_NAMES: Partial<Record<number, string>> = {
  202: 'accepted, to be done later',
  204: 'no content',
  500: 'internal server error',
  502: 'bad gateway',
  504: 'gateway timeout',
}

function statusWords(status: number): string {
  const name = STATUS_NAMES[status]
  return name ? `${status} (${name})` : String(status)
}

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
  failed_after_send: ({ status }) =>
    `The server answered ${statusWords(status)} after receiving the contact. ${MAY_EXIST}`,
  reply_without_contact: ({ status }) =>
    `The server answered ${statusWords(status)} instead of the created contact. ${MAY_EXIST}`,
  conflict: ({ host }) =>
    `${host} answered 409 (conflict): an earlier attempt of this contact, or one like it, may exist. ${MAY_EXIST}`,
  redirected: () =>
    'The Base URL redirects elsewhere, so nothing was sent to the API. Correct the Base URL in Settings, then open this contact and save it to send it.',
  certificate_untrusted: ({ host }) =>
    `The server’s certificate is not trusted, so nothing was sent to ${host}. Check the Base URL; the app will try again.`,
  resending_deduplicated: ({ host, status, cause }) =>
    `${
      cause === 'status'
        ? `The server answered ${statusWords(status ?? 0)} after receiving the contact.`
        : cause === 'timeout'
          ? `${host} took too long to answer.`
          : `The connection to ${host} broke after the contact was sent.`
    } The server deduplicates retries (Idempotency-Key), so the app will try again.`,
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
