import { join } from 'node:path'
import { OUTBOX_FILE_NAME } from '../../src/main/core/app-core.ts'
import { closedCleanly } from '../../src/main/core/outbox/clean-close.ts'
import { expect, launchApp, test } from './fixtures.ts'

test('quitting closes the outbox file cleanly, so the next start skips its full check; a crash does not', async ({
  app,
  userDataDir,
}) => {
  const outbox = join(userDataDir, OUTBOX_FILE_NAME)
  // Quit as a user does: Electron's before-quit waits for the core to close the file.
  await app.close()
  expect(closedCleanly(outbox)).toBe(true)

  const again = await launchApp({ userDataDir })
  try {
    // Opened for writing: the note goes, so a crash from here on leaves none.
    await expect.poll(() => closedCleanly(outbox)).toBe(false)
    again.electronApp.process().kill('SIGKILL')
    await expect.poll(() => again.closed, { timeout: 15_000 }).toBe(true)
  } finally {
    await again.close().catch(() => undefined)
  }
  expect(closedCleanly(outbox)).toBe(false)
})
