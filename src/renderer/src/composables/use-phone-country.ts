import type { CountryCode } from 'libphonenumber-js'
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue'
import { phoneKit } from '../phone-loader.ts'

/**
 * The country new phone rows start in ('' for none): the one the user last chose (remembered by main
 * across restarts), else the locale's once the phone module is in.
 */
export function usePhoneCountry(): {
  country: Ref<string>
  /** The country if the phone module knows it; undefined for none, and until the module is in. */
  countryCode: ComputedRef<CountryCode | undefined>
  /** The user picked a country (in any row): new rows start there from now on. */
  choose(value: string | undefined): void
  /** The country main remembered from an earlier run; the user's choice in this run wins over it. */
  recall(value: string | null | undefined): void
  /** Whether the user (now or in an earlier run) chose one, so it is worth remembering. */
  chosen: Ref<boolean>
} {
  const country = ref('')
  /** Once someone has picked, the locale's region must not replace theirs. */
  const chosen = ref(false)

  const countryCode = computed(() => {
    const kit = phoneKit()
    return kit && kit.isCountryCode(country.value) ? country.value : undefined
  })

  watch(
    phoneKit,
    (kit) => {
      if (!kit) return
      if (!chosen.value) country.value = kit.countryFromLocale(navigator.language) ?? ''
      // A region the phone library does not know reads as none, in the select too.
      else if (!kit.isCountryCode(country.value)) country.value = ''
    },
    { immediate: true },
  )

  function choose(value: string | undefined): void {
    chosen.value = true
    const kit = phoneKit()
    // Without the phone module the region cannot be checked yet; the watch above does it when it arrives.
    country.value = value && (!kit || kit.isCountryCode(value)) ? value : ''
  }

  function recall(value: string | null | undefined): void {
    if (!chosen.value && value) choose(value)
  }

  return { country, countryCode, choose, recall, chosen }
}
