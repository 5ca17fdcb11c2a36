import { computed, type ComputedRef, type Ref } from 'vue'
import type { PhoneNormalization } from '../../../shared/phone.ts'
import type { PhoneRow } from '../contact-form-model.ts'
import { phoneKit } from '../phone-loader.ts'

export type ExtensionNote = { line: string; added: boolean }

/**
 * E.164 cannot carry an extension, so a row's extension goes in Description as "+1 415 555 0132 ext. 7",
 * where the user sees it before saving; a changed extension replaces the line its row added.
 */
export function usePhoneExtensions(
  phones: Ref<PhoneRow[]>,
  previews: Ref<(PhoneNormalization | null)[]>,
  description: Ref<string>,
): {
  /** Per row: the line that keeps its extension, and whether Description has it yet (null: no extension). */
  notes: ComputedRef<(ExtensionNote | null)[]>
  /** Adds the missing lines (of row `only`, or of every row); returns how many changed Description. */
  note(only?: number): number
} {
  const lineOf = (index: number): string | null => {
    const kit = phoneKit()
    const preview = previews.value[index]
    return kit && preview?.ok && preview.extension ? kit.extensionLine(preview.e164, preview.extension) : null
  }

  const notes = computed(() =>
    phones.value.map((row, index) => {
      const line = lineOf(index)
      return line ? { line, added: row.extensionNoted === line && description.value.includes(line) } : null
    }),
  )

  function note(only?: number): number {
    let changed = 0
    phones.value.forEach((row, index) => {
      const line = only === undefined || index === only ? lineOf(index) : null
      if (!line || row.extensionNoted === line) return
      const before = row.extensionNoted
      row.extensionNoted = line
      if (description.value.includes(line)) return
      changed += 1
      if (before && description.value.includes(before)) description.value = description.value.replace(before, line)
      else description.value = description.value.trim() ? `${description.value.trimEnd()}\n${line}` : line
    })
    return changed
  }

  return { notes, note }
}
