import { rmSync } from 'node:fs'
import type { Browser } from '@playwright/test'
import { launchChromium } from './app-in-chromium.ts'
import type { BenchConfig } from './bench-config.ts'
import { historyFolders, type HistoryFolders } from './history-seed.ts'
import type { BenchRow } from './report.ts'

/** What every section of the bench shares: the settings, a scratch folder, the seeded histories, one browser. */
export interface BenchContext {
  config: BenchConfig
  work: string
  folders: HistoryFolders
  rows: BenchRow[]
  results: Record<string, unknown>
  /** Chromium, launched the first time a section asks. */
  browser(): Promise<Browser>
  /** Deletes a data folder once a bench is done with it (a 1M-item one is ~2 GB). */
  discard(dataDir: string): void
  close(): Promise<void>
}

export function createContext(config: BenchConfig, work: string): BenchContext {
  let browser: Promise<Browser> | undefined
  return {
    config,
    work,
    folders: historyFolders(work),
    rows: [],
    results: {},
    browser: () => (browser ??= launchChromium()),
    discard: (dataDir) => rmSync(dataDir, { recursive: true, force: true }),
    async close() {
      if (browser) await (await browser).close()
    },
  }
}
