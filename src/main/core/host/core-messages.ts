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
  problem?: OutboxStorageProblem
  path?: string
}

export type ToCore =
  | { kind: 'start'; options: HostedCoreOptions }
  | { kind: 'command'; id: number; name: CommandName; input: unknown }
  | { kind: 'secret-answer'; id: number; value?: string; error?: CarriedError }
  | { kind: 'close'; id: number }
  /** The system is ending the session: close the outbox on the spot, answer nothing. */
  | { kind: 'close-now' }

export type FromCore =
  | { kind: 'ready' }
  | { kind: 'start-failed'; error: CarriedError }
  | { kind: 'result'; id: number; result?: Result<unknown>; error?: CarriedError }
  | { kind: 'event'; name: EventName; payload: unknown }
  | { kind: 'secret'; id: number; request: SecretRequest }
  | { kind: 'log'; level: LogLevel; message: string; details?: LogDetails }
  | { kind: 'closed'; id: number }

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

export function carryError(error: unknown): CarriedError {
  if (error instanceof OutboxStorageError) {
    return { name: error.name, message: error.message, problem: error.problem, path: error.path }
  }
  if (error instanceof Error) return { name: error.name, message: error.message }
  return { name: 'Error', message: String(error) }
}

/** The error again, as the class the other side tests with `instanceof` where it has one. */
export function reviveError(carried: CarriedError): Error {
  if (carried.problem && carried.path !== undefined) {
    return new OutboxStorageError(carried.problem, carried.path, carried.message)
  }
  if (carried.name === 'KeychainUnavailableError') return new KeychainUnavailableError(carried.message)
  const error = new Error(carried.message)
  error.name = carried.name
  return error
}
