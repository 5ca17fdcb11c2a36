import type { Result } from '../../../shared/app-error.ts'
import type { CommandName, EventName } from '../../../shared/bridge-names.ts'
import type { KeyStorage } from '../../../shared/settings.ts'
import type { CoreOptions } from '../app-core.ts'
import { OutboxStorageError, type OutboxStorageProblem } from '../outbox/outbox-errors.ts'
import { KeychainUnavailableError } from '../secret-store.ts'

/**
 * What main and the core's own thread or process say to each other: plain structured-clone data,
 * each request with its own id. Main keeps the keychain, so the core asks it for keys by message.
 */

/** The core's options that can cross a process boundary; the platform's functions stay on each side. */
export type HostedCoreOptions = Omit<
  CoreOptions,
  'secrets' | 'fetch' | 'emit' | 'logger' | 'isOnline' | 'now' | 'timers' | 'random'
> & {
  /** Where main's secret store keeps keys (shown in Settings); main still does every read and write. */
  secretStorage?: KeyStorage
}

export type SecretRequest =
  { op: 'get'; account: string } | { op: 'set'; account: string; secret: string } | { op: 'delete'; account: string }

export type LogLevel = 'info' | 'warn' | 'error'
export type LogDetails = Record<string, string | number | boolean>

/** An error as it crosses: its class by name, its words, and what the classes the core tests for carry. */
export interface CarriedError {
  name: string
  message: string
  /** Node's system error code (`ECONNREFUSED`), which the network's classification reads. */
  code?: string
  /** Its cause, as undici nests the system error under `TypeError: fetch failed`. */
  cause?: CarriedError
  problem?: OutboxStorageProblem
  path?: string
}

/** A request as the core's client makes it, in the plain form that can cross. */
export interface LineRequest {
  url: string
  method: string
  headers: Array<[string, string]>
  body?: string
  redirect: NonNullable<RequestInit['redirect']>
  credentials: NonNullable<RequestInit['credentials']>
}

export type ToCore =
  | { kind: 'start'; options: HostedCoreOptions }
  | { kind: 'command'; id: number; name: CommandName; input: unknown }
  | { kind: 'secret-answer'; id: number; value?: string; error?: CarriedError }
  | { kind: 'close'; id: number }
  /** The system is ending the session: close the outbox on the spot, answer nothing. */
  | { kind: 'close-now' }
  /** A request main made for the core: first its status and headers, then its body, piece by piece. */
  | { kind: 'fetch-head'; id: number; status: number; statusText: string; headers: Array<[string, string]> }
  | { kind: 'fetch-body'; id: number; chunk?: Uint8Array; end?: true; error?: CarriedError }
  | { kind: 'fetch-failed'; id: number; error: CarriedError }

export type FromCore =
  | { kind: 'ready' }
  | { kind: 'start-failed'; error: CarriedError }
  | { kind: 'result'; id: number; result?: Result<unknown>; error?: CarriedError }
  | { kind: 'event'; name: EventName; payload: unknown }
  | { kind: 'secret'; id: number; request: SecretRequest }
  | { kind: 'log'; level: LogLevel; message: string; details?: LogDetails }
  | { kind: 'closed'; id: number }
  /** Main sends every request, so the key never leaves it; the core's client names the key by a handle. */
  | { kind: 'fetch'; id: number; request: LineRequest }
  | { kind: 'fetch-cancel'; id: number }

/** One side of the line between main and the core, whatever carries it (a worker thread or a utility process). */
export interface CoreLine<Incoming, Outgoing> {
  post(message: Outgoing): void
  listen(listener: (message: Incoming) => void): void
}

/** Main's side also hears when the core is gone, and can end it. */
export interface MainLine extends CoreLine<FromCore, ToCore> {
  /** Called once when the core's thread or process has ended, for whatever reason. */
  onGone(listener: (detail: string) => void): void
  /** Ends the core's thread or process at once (after close, or when it no longer answers). */
  end(): void
}

const CAUSE_DEPTH = 4

export function carryError(error: unknown, depth = 0): CarriedError {
  if (error instanceof OutboxStorageError) {
    return { name: error.name, message: error.message, problem: error.problem, path: error.path }
  }
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const { code, cause } = error as { code?: unknown; cause?: unknown }
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(cause !== undefined && depth < CAUSE_DEPTH ? { cause: carryError(cause, depth + 1) } : {}),
  }
}

/** The error again, as the class the other side tests with `instanceof` where it has one. */
export function reviveError(carried: CarriedError): Error {
  if (carried.problem && carried.path !== undefined) {
    return new OutboxStorageError(carried.problem, carried.path, carried.message)
  }
  if (carried.name === 'KeychainUnavailableError') return new KeychainUnavailableError(carried.message)
  const error = new Error(carried.message, carried.cause ? { cause: reviveError(carried.cause) } : {})
  error.name = carried.name
  if (carried.code !== undefined) Object.assign(error, { code: carried.code })
  return error
}
