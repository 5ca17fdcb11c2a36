import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import { DUPLICATE_BATCH_MAX } from '../../../shared/duplicates.ts'
import { guessMapping, type CsvField, type CsvTable } from '../../../shared/csv-import.ts'
import { bridge, callBridge } from '../bridge.ts'
import {
  checkRow,
  checkRows,
  markDuplicates,
  rowStatus,
  rowsToFix,
  type FindDuplicates,
  type PreviewRow,
} from '../csv-import-model.ts'
import { duplicateOf } from '../duplicate-words.ts'
import { downloadCsv } from '../file-download.ts'
import { importedWords, notImportedWords } from '../csv-copy.ts'
import { loadPhoneKit, type PhoneKit } from '../phone-loader.ts'

/** Reads a chosen file's bytes as base64, for the bridge (the web preview's file input). */
function base64Of(file: Blob): Promise<string> {
  // The browser encodes a data URL natively; a loop of String.fromCharCode + btoa held the page ~0.25 s at 10,000 rows.
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1))
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'))
    reader.readAsDataURL(file)
  })
}

/**
 * Asks main, a batch at a time, which rows repeat a contact of this organization already in the outbox
 * or sent: "Ada Lovelace — sent #12". A lookup that fails flags nothing; the import itself is unaffected.
 */
const historyLookup: FindDuplicates = async (candidates) => {
  const words: (string | null)[] = []
  for (let at = 0; at < candidates.length; at += DUPLICATE_BATCH_MAX) {
    const batch = candidates.slice(at, at + DUPLICATE_BATCH_MAX)
    const result = await callBridge(() =>
      bridge.findDuplicatesOfMany({ contacts: batch.map(({ email, phones }) => ({ email: email ?? '', phones })) }),
    )
    const matches = result.ok ? result.value.matches : []
    words.push(
      ...batch.map((_, index) => {
        const match = matches[index]
        return match ? duplicateOf(match) : null
      }),
    )
  }
  return words
}

/**
 * Import CSV: the file main parsed, the column mapping and phone country the user can change, and
 * every row checked (in slices, with progress) by the shared contact schema. Rows that repeat an earlier
 * row or a contact of this organization already in the outbox are flagged.
 */
export const useCsvImportStore = defineStore('csvImport', () => {
  const table = shallowRef<CsvTable | null>(null)
  const mapping = ref<CsvField[]>([])
  const country = ref('')
  const rows = shallowRef<PreviewRow[]>([])
  const progress = ref(1)
  const checking = ref(false)
  const importing = ref(false)
  const includeDuplicates = ref(false)
  const failure = ref<AppError | null>(null)
  const done = ref<string | null>(null)
  let pass = 0
  let kit: PhoneKit | null = null

  const counts = computed(() => {
    const tally = { valid: 0, invalid: 0, duplicate: 0 }
    for (const row of rows.value) tally[rowStatus(row)]++
    return tally
  })
  const toImport = computed(() =>
    rows.value.filter((row) => row.valid && (includeDuplicates.value || row.duplicate === null)),
  )
  const hasName = computed(() => mapping.value.some((f) => f === 'fullName' || f === 'firstName' || f === 'lastName'))

  async function open(): Promise<'use_file_input' | undefined> {
    failure.value = null
    done.value = null
    const result = await callBridge(() => bridge.openCsvFile())
    if (!result.ok) return void (failure.value = result.error)
    if (result.value.kind === 'use_file_input') return 'use_file_input'
    if (result.value.kind === 'table') await load(result.value.table)
    return undefined
  }

  async function openFile(file: File): Promise<void> {
    failure.value = null
    done.value = null
    const result = await callBridge(async () =>
      bridge.parseCsvFile({ fileName: file.name, base64: await base64Of(file) }),
    )
    if (!result.ok) return void (failure.value = result.error)
    await load(result.value)
  }

  async function load(next: CsvTable): Promise<void> {
    table.value = next
    mapping.value = guessMapping(next.headers)
    includeDuplicates.value = false
    await recheck()
  }

  async function phoneRules(): Promise<PhoneKit> {
    kit ??= await loadPhoneKit()
    if (!country.value) country.value = kit.countryFromLocale(navigator.language) ?? ''
    return kit
  }

  /** Checks every row again (the mapping or country changed); a newer pass makes an older one stop. */
  async function recheck(): Promise<void> {
    const current = table.value
    if (!current) return
    const mine = ++pass
    checking.value = true
    progress.value = 0
    const rules = await phoneRules()
    const checked = await checkRows(
      current,
      mapping.value,
      country.value,
      rules,
      (share) => (progress.value = share),
      () => mine !== pass,
    )
    if (!checked || mine !== pass) return
    await markDuplicates(checked, historyLookup)
    if (mine !== pass) return
    rows.value = checked
    checking.value = false
  }

  function setField(column: number, field: CsvField): void {
    mapping.value = mapping.value.map((f, c) => (c === column ? field : f))
    void recheck()
  }

  function setCountry(code: string): void {
    country.value = code
    void recheck()
  }

  /** A cell fixed in the preview: that row is checked again, then duplicates across the file. */
  async function editCell(index: number, column: number, value: string): Promise<void> {
    const row = rows.value[index]
    if (!row || !kit) return
    const cells = row.cells.map((cell, c) => (c === column ? value : cell))
    const next = [...rows.value]
    next[index] = checkRow(cells, row.line, mapping.value, country.value, kit)
    await markDuplicates(next, historyLookup)
    rows.value = next
    triggerRef(rows)
  }

  async function importValid(): Promise<void> {
    const chosen = toImport.value
    if (chosen.length === 0) return
    importing.value = true
    failure.value = null
    const result = await callBridge(() => bridge.importContacts({ drafts: chosen.map((row) => row.draft) }))
    importing.value = false
    if (!result.ok) return void (failure.value = result.error)
    const { count, stopped } = result.value
    done.value = importedWords(count)
    // Main writes in order: the first `count` are in the outbox and leave the preview; the rest stay,
    // with what needs fixing, to import again (a failure part-way) or to fix here or save as a file.
    const imported = new Set(chosen.slice(0, count))
    rows.value = rows.value.filter((row) => !imported.has(row))
    if (stopped) failure.value = { ...stopped, message: notImportedWords(chosen.length - count, stopped.message) }
  }

  async function saveRowsToFix(): Promise<void> {
    const current = table.value
    if (!current) return
    const fix = rowsToFix(current.headers, rows.value)
    const fileName = current.fileName.replace(/\.[^.]*$/, '') + '-to-fix.csv'
    const result = await callBridge(() => bridge.saveCsvRows({ fileName, ...fix }))
    if (!result.ok) return void (failure.value = result.error)
    if (result.value.kind === 'file') downloadCsv(result.value.fileName, result.value.csv)
  }

  function reset(): void {
    pass++
    table.value = null
    rows.value = []
    mapping.value = []
    checking.value = false
    failure.value = null
    done.value = null
  }

  return {
    table,
    mapping,
    country,
    rows,
    progress,
    checking,
    importing,
    includeDuplicates,
    failure,
    done,
    counts,
    toImport,
    hasName,
    open,
    openFile,
    setField,
    setCountry,
    editCell,
    importValid,
    saveRowsToFix,
    reset,
  }
})
