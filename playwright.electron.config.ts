import { defineConfig } from '@playwright/test'

/**
 * Electron end-to-end tests: Playwright's `_electron` starts the built app (`npm run build` first)
 * in the Electron binary from node_modules. That binary downloads on first use, which works in
 * GitHub Actions and not on machines without access to it; the tests skip there and say why, except
 * under CI (the `CI` variable), where they fail: a CI run cannot be green by skipping them.
 * One window at a time: each test owns the app's single-instance lock and its data folder.
 * On Linux without a display, run under `xvfb-run -a` (see .github/workflows/ci.yml).
 */
export default defineConfig({
  testDir: 'test/e2e-electron',
  outputDir: 'test-results/e2e-electron',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: 'list',
  use: {
    trace: 'retain-on-failure',
  },
})
