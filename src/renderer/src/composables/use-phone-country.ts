import type { CountryCode } from 'libphonenumber-js'
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue'
import { phoneKit } from '../phone-loader.ts'

/**
 * The region numbers typed without +country code are read in ('' for none): the locale's once the
 * phone module is in, until the user or an item opened for editing picks one.
 */
export function usePhoneCountry(): {
  country: Ref<string>
  /** The region if the phone module knows it; undefined for none, and until the module is in. */
  countryCode: ComputedRef<CountryCode | undefined>
  choose(value: string | undefined): void
} {
  const country = ref('')
  /** Once someone has picked, the locale's region must not replace theirs. */
  let chosen = false

  const countryCode = computed(() => {
    const kit = phoneKit()
    return kit && kit.isCountryCode(country.value) ? country.value : undefined
  })

  watch(
    phoneKit,
    (kit) => {
      if (!kit) return
      if (!chosen) country.value = kit.countryFromLocale(navigator.language) ?? ''
      // A region the phone library does not know reads as none, in the select too.
      else if (!kit.isCountryCode(country.value)) country.value = ''
    },
    { immediate: true },
  )

  function choose(value: string | undefined): void {
    chosen = true
    const kit = phoneKit()
    // Without the phone module the region cannot be checked yet; the watch above does it when it arrives.
    country.value = value && (!kit || kit.isCountryCode(value)) ? value : ''
  }

  return { country, countryCode, choose }
}
