import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Debian's Chromium here and in CI; elsewhere CHROMIUM_PATH or Playwright's own browser.
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

/**
 * Browser end-to-end tests: the built renderer in Debian's Chromium through the web preview,
 * with the real core and the sandbox API (see test/e2e/fixtures.ts). Electron's own
 * end-to-end tests live in test/e2e-electron and run where an Electron binary exists.
 */
export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
    trace: 'retain-on-failure',
  },
})
