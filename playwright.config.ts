import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from './tools/chromium.ts'

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
  // Waits, not limits: on a loaded two-core runner the worker's first send can take seconds.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
})
