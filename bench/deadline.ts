/** Thrown when a bench waited too long; says what it last saw, so a stuck run explains itself. */
export class DeadlineError extends Error {
  override name = 'DeadlineError'
}

export interface WaitOptions {
  timeoutMs: number
  /** How often to look again. */
  intervalMs?: number
}

/**
 * Polls `probe` until `done` says yes, or throws after `timeoutMs` with the last thing `probe` returned.
 * Every wait in the bench goes through here: none can hang.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | Promise<T>,
  done: (seen: T) => boolean,
  { timeoutMs, intervalMs = 20 }: WaitOptions,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const seen = await probe()
    if (done(seen)) return seen
    if (performance.now() > deadline) {
      throw new DeadlineError(`${what}: not reached within ${timeoutMs} ms; last saw ${describe(seen)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Resolves with `promise`, or throws after `timeoutMs` saying what was awaited (and, if a function, what it saw). */
export async function withDeadline<T>(
  what: string | (() => string),
  promise: Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const words = typeof what === 'function' ? what() : what
      reject(new DeadlineError(`${words}: not done within ${timeoutMs} ms`))
    }, timeoutMs)
  })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 600 ? `${text.slice(0, 600)}…` : text
}
