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
import { dispatchCommand } from './core/command-dispatch.ts'
import { errorName, silentLogger, type Logger } from './core/logger.ts'

export interface IpcAdapterOptions {
  /** True when the frame shows the app's own page (see app-page.ts). Main-frame-ness is checked here. */
  isTrustedSender(frame: WebFrameMain): boolean
  logger?: Logger
}

const UNTRUSTED = 'This page is not allowed to use Cloverhound Contacts.'
const INTERNAL = 'Something went wrong inside the app. Nothing you typed was lost; try again.'

/**
 * The only door from a renderer into main (the one module that imports `ipcMain`). Every call is
 * checked — sender, then command and input against the contract — before a handler runs, and
 * always answers with a typed Result: nothing is thrown across IPC. Returns a dispose function.
 */
export function registerIpcHandlers(handlers: CommandHandlers, options: IpcAdapterOptions): () => void {
  const logger = options.logger ?? silentLogger
  for (const name of commandNames) {
    ipcMain.handle(commandChannel(name), (event: IpcMainInvokeEvent, input: unknown) =>
      answer(handlers, name, event, input, options.isTrustedSender, logger),
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
  isTrustedSender: IpcAdapterOptions['isTrustedSender'],
  logger: Logger,
): Promise<Result<unknown>> {
  if (!isTrustedMainFrame(event, isTrustedSender)) {
    logger.warn('Refused a bridge call from an untrusted sender', { command: name })
    return fail('bad_request', UNTRUSTED)
  }
  try {
    return await dispatchCommand(handlers, name, input)
  } catch (error) {
    logger.error('Bridge command threw', { command: name, error: errorName(error) })
    return fail('internal', INTERNAL)
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
