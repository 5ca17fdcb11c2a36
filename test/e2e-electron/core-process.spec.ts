import { CORE_SERVICE_NAME } from '../../src/main/core/app-id.ts'
import { expect, test } from './fixtures.ts'
import type { PageGlobals } from './page-globals.ts'

test('the outbox runs in a utility process of its own, and the window still answers through it', async ({
  electronApp,
  window,
}) => {
  // Electron names each child by the serviceName it was forked with.
  const processes = await electronApp.evaluate(({ app }) =>
    app.getAppMetrics().map(({ type, name }) => ({ type, name: name ?? null })),
  )
  expect(processes).toContainEqual({ type: 'Utility', name: CORE_SERVICE_NAME })
  // A command from the page goes main → the core's process → main → the page.
  const status = await window.evaluate(() => (globalThis as unknown as PageGlobals).api.getSyncStatus())
  expect(status).toMatchObject({ ok: true })
})
