import { shallowRef } from 'vue'
import { afterFirstPaint } from './first-paint.ts'
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

/**
 * Loads the phone module once the first frame is on screen (see first-paint.ts), so its metadata never
 * delays it. A failure here is not the user's concern yet: Save loads it again and reports a failure then.
 */
export function loadPhoneKitAfterPaint(): void {
  afterFirstPaint(() => void loadPhoneKit().catch(() => undefined))
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
