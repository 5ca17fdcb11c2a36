import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { MAIN_PATH, expect, test } from './fixtures.ts'

const run = promisify(execFile)

// The mode the release workflow smoke-tests packaged builds with, here on the built app: started
// like a user would start it (no Playwright in between), told only by the environment.
test('CLOVERHOUND_SELF_CHECK opens the window, checks page, bridge, keychain and outbox, reports and exits 0', async ({
  electronBinary,
  userDataDir,
}) => {
  if (!electronBinary.found) throw new Error('requireElectron lets no test run without a binary')
  const reportPath = join(userDataDir, 'self-check.json')
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value
  delete env.ELECTRON_RENDERER_URL
  delete env.ELECTRON_RUN_AS_NODE
  env.CLOVERHOUND_SELF_CHECK = reportPath
  // Exits with 0 only if every check passed; a non-zero exit rejects here with the output attached.
  await run(electronBinary.executablePath, [MAIN_PATH, `--user-data-dir=${userDataDir}`], {
    env,
    timeout: 120_000,
  })
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as {
    ok: boolean
    checks: Array<{ name: string; ok: boolean; detail: string }>
  }
  expect(report.checks).toEqual(
    ['start', 'window', 'page', 'bridge', 'keychain', 'outbox'].map((name) =>
      expect.objectContaining({ name, ok: true }),
    ),
  )
  expect(report.ok).toBe(true)
})
