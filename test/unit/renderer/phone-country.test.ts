// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { usePhoneCountry } from '../../../src/renderer/src/composables/use-phone-country.ts'
import type { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'

type Modules = { usePhoneCountry: typeof usePhoneCountry; loadPhoneKit: typeof loadPhoneKit }

/** Each test starts before the phone module has loaded, as the app does at start. */
async function fresh(): Promise<Modules> {
  vi.resetModules()
  const { usePhoneCountry } = await import('../../../src/renderer/src/composables/use-phone-country.ts')
  const { loadPhoneKit } = await import('../../../src/renderer/src/phone-loader.ts')
  return { usePhoneCountry, loadPhoneKit }
}

beforeEach(() => {
  Object.defineProperty(navigator, 'language', { value: 'en-GB', configurable: true })
})

describe('usePhoneCountry', () => {
  it('takes the locale’s region once the phone module is in', async () => {
    const { usePhoneCountry, loadPhoneKit } = await fresh()
    const region = usePhoneCountry()
    expect(region.country.value).toBe('')
    expect(region.countryCode.value).toBeUndefined()

    await loadPhoneKit()
    await flushPromises()
    expect(region.country.value).toBe('GB')
    expect(region.countryCode.value).toBe('GB')
  })

  it('keeps a region picked before the phone module arrived', async () => {
    const { usePhoneCountry, loadPhoneKit } = await fresh()
    const region = usePhoneCountry()
    region.choose('US')
    await loadPhoneKit()
    await flushPromises()
    expect(region.country.value).toBe('US')
  })

  it('keeps “none” once picked, rather than the locale’s', async () => {
    const { usePhoneCountry, loadPhoneKit } = await fresh()
    const region = usePhoneCountry()
    region.choose('')
    await loadPhoneKit()
    await flushPromises()
    expect(region.country.value).toBe('')
  })

  it('reads a region the phone library does not know as none, before and after it loads', async () => {
    const { usePhoneCountry, loadPhoneKit } = await fresh()
    const early = usePhoneCountry()
    // An item saved elsewhere may carry anything; it cannot be checked until the module is in.
    early.choose('ZZ')
    expect(early.country.value).toBe('ZZ')
    await loadPhoneKit()
    await flushPromises()
    expect(early.country.value).toBe('')

    const late = usePhoneCountry()
    late.choose('ZZ')
    expect(late.country.value).toBe('')
    late.choose(undefined)
    expect(late.country.value).toBe('')
    late.choose('DE')
    expect(late.countryCode.value).toBe('DE')
  })
})
