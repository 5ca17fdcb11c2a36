import { shallowRef } from 'vue'
import type * as PhoneKitModule from './phone-kit.ts'

export type PhoneKit = typeof PhoneKitModule

const loaded = shallowRef<PhoneKit | null>(null)
let loading: Promise<PhoneKit> | null = null
let markLoaded: () => void
/** Settles once the phone module is in; waiting on it never starts the load. */
export const phoneKitLoaded = new Promise<void>((resolve) => (markLoaded = resolve))

/** Loads the phone module (once) and resolves with it; after a failed load, the next call tries again. */
export function loadPhoneKit(): Promise<PhoneKit> {
  loading ??= import('./phone-kit.ts').then(
    (kit) => {
      markLoaded()
      return (loaded.value = kit)
    },
    (error: unknown) => {
      loading = null
      throw error
    },
  )
  return loading
}

/** The phone module once it has loaded, else null. Computeds and templates that read it update when it arrives. */
export function phoneKit(): PhoneKit | null {
  return loaded.value
}

/** Set when start-up has scheduled the load for after the first paint: the form must not start it sooner. */
let deferredPastFirstPaint = false

/**
 * Loads the phone module once the first frame is on screen, so its metadata never delays it. Start-up
 * (main.ts) calls this before mounting; see loadPhoneKitSoon.
 */
export function loadPhoneKitAfterPaint(): void {
  if (loading || loaded.value) return
  deferredPastFirstPaint = true
  // A failure here is not the user's concern yet: Save loads it again and reports a failure then.
  const start = (): void => void loadPhoneKit().catch(() => undefined)
  if (document.visibilityState === 'visible' && PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    new PerformanceObserver((entries, observer) => {
      if (entries.getEntriesByName('first-contentful-paint').length === 0) return
      observer.disconnect()
      start()
    }).observe({ type: 'paint', buffered: true })
  } else {
    // Without paint timing (or in a hidden window, which reports none): a timer set in a frame runs after it.
    requestAnimationFrame(() => setTimeout(start, 0))
  }
  // Whatever happens to paints and frames, phones must work soon.
  setTimeout(start, 1_000)
}

/**
 * What the contact form calls when it is created: loads now, unless start-up deferred it past the first
 * paint. A form mounted without main.ts (the unit tests) has no one else to load it.
 */
export function loadPhoneKitSoon(): void {
  if (!deferredPastFirstPaint) void loadPhoneKit().catch(() => undefined)
}

/** A readable international form of an E.164 number; the number as stored until the phone module is in. */
export function formatPhone(e164: string): string {
  return loaded.value?.formatPhone(e164) ?? e164
}

/**
 * A number as typed in a form row, in the same international form as a sent one ("+44 20 7946 0958");
 * as typed when it does not read as a number, or until the phone module is in.
 */
export function formatTypedPhone(number: string, country: string | undefined): string {
  const kit = loaded.value
  const typed = number.trim()
  if (!kit) return typed
  const read = kit.normalizePhone(typed, country && kit.isCountryCode(country) ? country : undefined)
  if (!read.ok) return typed
  return read.extension ? kit.extensionLine(read.e164, read.extension) : kit.formatPhone(read.e164)
}
