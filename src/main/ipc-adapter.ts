import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron'
import { fail, type Result } from '../shared/app-error.ts'
import {
  commandChannel,
  commandNames,
  eventChannel,
  type CommandHandlers,
  type CommandName,
  type EventName,
  type EventPayload,
} from '../shared/bridge-contract.ts'
import { rateLimitOf, TokenBucket } from './core/bridge-rate-limits.ts'
import { dispatchCommand } from './core/command-dispatch.ts'
import { errorName, silentLogger, type Logger } from './core/logger.ts'

export interface IpcAdapterOptions {
  /** True when the frame shows the app's own page (see app-page.ts). Main-frame-ness is checked here. */
  isTrustedSender(frame: WebFrameMain): boolean
  logger?: Logger
  /** The clock of the rate limits (ms); tests pass their own. */
  now?: () => number
}

const UNTRUSTED = 'This page is not allowed to use Cloverhound Contacts.'
const INTERNAL = 'Something went wrong inside the app. Nothing you typed was lost; try again.'
export const TOO_MANY_REQUESTS =
  'The window asked for too much at once, so this request was refused. Nothing you typed was lost: wait a moment, then try again.'

/**
 * The only door from a renderer into main (the one module that imports `ipcMain`). Every call is
 * checked — sender, then command and input against the contract — before a handler runs, and
 * always answers with a typed Result: nothing is thrown across IPC. Returns a dispose function.
 */
export function registerIpcHandlers(handlers: CommandHandlers, options: IpcAdapterOptions): () => void {
  const logger = options.logger ?? silentLogger
  const limiter = createRateLimiter(options.now ?? Date.now)
  for (const name of commandNames) {
    ipcMain.handle(commandChannel(name), (event: IpcMainInvokeEvent, input: unknown) =>
      answer(handlers, name, event, input, { ...options, limiter, logger }),
    )
  }
  return () => {
    for (const name of commandNames) ipcMain.removeHandler(commandChannel(name))
  }
}

async function answer(
  handlers: CommandHandlers,
  name: CommandName,
  event: IpcMainInvokeEvent,
  input: unknown,
  context: { isTrustedSender: IpcAdapterOptions['isTrustedSender']; logger: Logger; limiter: RateLimiter },
): Promise<Result<unknown>> {
  const { logger } = context
  if (!isTrustedMainFrame(event, context.isTrustedSender)) {
    logger.warn('Refused a bridge call from an untrusted sender', { command: name })
    return fail('bad_request', UNTRUSTED)
  }
  const { waitMs, refusedJustBefore } = context.limiter.take(event.sender, name)
  if (waitMs > 0) {
    // Once per run of refusals, so a page stuck in a loop cannot fill the log either.
    if (!refusedJustBefore) logger.warn('Refused bridge calls over the rate limit', { command: name })
    return fail('bad_request', TOO_MANY_REQUESTS, { retryAt: new Date(context.limiter.now() + waitMs).toISOString() })
  }
  try {
    return await dispatchCommand(handlers, name, input)
  } catch (error) {
    logger.error('Bridge command threw', { command: name, error: errorName(error) })
    return fail('internal', INTERNAL)
  }
}

interface RateLimiter {
  now(): number
  /** `waitMs` 0 when the call may go ahead, otherwise the ms until it could. */
  take(sender: WebContents, name: CommandName): { waitMs: number; refusedJustBefore: boolean }
}

interface CommandBucket {
  bucket: TokenBucket
  refusing: boolean
}

/** One token bucket per command per window; a closed window's buckets go with it. */
function createRateLimiter(now: () => number): RateLimiter {
  const buckets = new WeakMap<WebContents, Map<CommandName, CommandBucket>>()
  return {
    now,
    take(sender, name) {
      let perCommand = buckets.get(sender)
      if (!perCommand) buckets.set(sender, (perCommand = new Map()))
      let entry = perCommand.get(name)
      if (!entry) perCommand.set(name, (entry = { bucket: new TokenBucket(rateLimitOf(name), now()), refusing: false }))
      const waitMs = entry.bucket.take(now())
      const refusedJustBefore = entry.refusing
      entry.refusing = waitMs > 0
      return { waitMs, refusedJustBefore }
    },
  }
}

function isTrustedMainFrame(event: IpcMainInvokeEvent, isTrustedSender: IpcAdapterOptions['isTrustedSender']): boolean {
  try {
    // A frame that navigated away or was destroyed since it sent the call leaves senderFrame null.
    const frame = event.senderFrame
    if (!frame || frame.detached) return false
    // Only the top frame: a sub-frame (even one on our origin) never speaks for the app.
    if (frame.parent !== null) return false
    return isTrustedSender(frame) === true
  } catch {
    return false // reading a disposed frame throws; such a sender is gone
  }
}

/**
 * Pushes an event to every live window that shows the app's own page. Used as the core's `emit`;
 * a window that is closing or crashed is skipped, never an error.
 */
export function sendEventToWindows<E extends EventName>(
  targets: readonly WebContents[],
  isTrustedSender: IpcAdapterOptions['isTrustedSender'],
  event: E,
  payload: EventPayload<E>,
): void {
  for (const contents of targets) {
    try {
      if (contents.isDestroyed() || !isTrustedSender(contents.mainFrame)) continue
      contents.send(eventChannel(event), payload)
    } catch {
      // The renderer went away between the check and the send; it will ask again when it reloads.
    }
  }
}

/**
 * Removes every listener and handler a library put on `channel` (electron-log opens one when it is
 * imported). Channels outside the contract have no sender check, so none stays open.
 */
export function closeUncheckedChannel(channel: string): void {
  ipcMain.removeAllListeners(channel)
  ipcMain.removeHandler(channel)
}
