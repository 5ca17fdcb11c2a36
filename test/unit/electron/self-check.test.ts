import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KeychainUnavailableError, MemorySecretStore, type SecretStore } from '../../../src/main/core/secret-store.ts'
import { fail, ok, type Result } from '../../../src/shared/app-error.ts'
import type { SyncStatus } from '../../../src/shared/outbox-schemas.ts'
import { FakeBrowserWindow, type LoadOutcome } from './fake-electron.ts'
import { syncStatus } from '../../support/sync-status.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const { SELF_CHECK_ACCOUNT, runSelfCheck, selfCheckReport, selfCheckReportPath, writeSelfCheckReport } =
  await import('../../../src/main/self-check.ts')

const APP_URL = 'app://bundle/index.html'
const status = syncStatus({}, { queued: 3, sent: 1 })
/** What the preload's bridge answers in a healthy page. */
const healthyPage = { nodeReachable: false, ok: true, code: null }

/** A window as createMainWindow opens it; the self-check starts right after, as in index.ts. */
function openWindow(
  options: {
    loads?: LoadOutcome[]
    page?: unknown
    secrets?: SecretStore
    core?: () => Promise<Result<SyncStatus>>
    timeoutMs?: number
  } = {},
) {
  FakeBrowserWindow.nextLoadOutcomes.push(...(options.loads ?? []))
  const window = new FakeBrowserWindow({ show: false })
  window.once('ready-to-show', () => window.show())
  window.webContents.executeJavaScript.mockResolvedValue(options.page ?? healthyPage)
  void window.loadURL(APP_URL).catch(() => undefined)
  const secrets = options.secrets ?? new MemorySecretStore()
  const target = window as unknown as Parameters<typeof runSelfCheck>[0]['window']
  const run = runSelfCheck({
    window: target,
    pageUrl: APP_URL,
    secrets,
    core: { getSyncStatus: options.core ?? (async () => ok(status)) },
    stepTimeoutMs: options.timeoutMs ?? 1_000,
  })
  return { window, run, secrets }
}

beforeEach(() => {
  FakeBrowserWindow.all.length = 0
  FakeBrowserWindow.nextLoadOutcomes.length = 0
})

describe('runSelfCheck', () => {
  it('passes every check on a healthy start', async () => {
    const get = vi.spyOn(MemorySecretStore.prototype, 'get')
    const { run, window } = openWindow()
    const results = await run
    expect(results.map(({ name, ok }) => ({ name, ok }))).toEqual([
      { name: 'window', ok: true },
      { name: 'page', ok: true },
      { name: 'bridge', ok: true },
      { name: 'keychain', ok: true },
      { name: 'outbox', ok: true },
    ])
    // The bridge is asked from inside the page, through window.api, as the renderer would.
    expect(window.webContents.executeJavaScript.mock.calls[0]?.[0]).toContain('globalThis.api.getSyncStatus()')
    // Only a read of an account nothing is stored under: the keychain keeps no trace.
    expect(get).toHaveBeenCalledExactlyOnceWith(SELF_CHECK_ACCOUNT)
    get.mockRestore()
  })

  it('fails the page check when the page did not load, and the window check when it never painted', async () => {
    const failed = { errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND' }
    const { run } = openWindow({ loads: [failed], timeoutMs: 50 })
    const results = await run
    expect(results.find((r) => r.name === 'window')).toMatchObject({ ok: false, detail: 'No answer within 0.05 s' })
    expect(results.find((r) => r.name === 'page')).toMatchObject({
      ok: false,
      detail: 'The page did not load: ERR_FILE_NOT_FOUND (-6)',
    })
  })

  it('fails the page check when the window shows another page than the app', async () => {
    const { run, window } = openWindow()
    // Before the load is reported: the window ends up on the load-error page.
    window.webContents.mainFrame.url = 'app://bundle/load-error.html'
    expect((await run).find((r) => r.name === 'page')).toMatchObject({ ok: false })
  })

  it.each([
    ['the bridge answering an error', { nodeReachable: false, ok: false, code: 'bad_request' }, 'bad_request'],
    ['Node.js reachable from the page', { nodeReachable: true, ok: true, code: null }, 'Node.js'],
  ])('fails the bridge check for %s', async (_label, page, words) => {
    const { run } = openWindow({ page })
    expect((await run).find((r) => r.name === 'bridge')).toMatchObject({
      ok: false,
      detail: expect.stringContaining(words),
    })
  })

  it('fails the keychain check with its words when no keychain answers, and still checks the outbox', async () => {
    const secrets: SecretStore = {
      get: async () => {
        throw new KeychainUnavailableError('No keychain is available.')
      },
      set: async () => {},
      delete: async () => {},
    }
    const results = await openWindow({ secrets }).run
    expect(results.find((r) => r.name === 'keychain')).toEqual({
      name: 'keychain',
      ok: false,
      detail: 'No keychain is available.',
    })
    expect(results.find((r) => r.name === 'outbox')).toMatchObject({ ok: true })
  })

  it('asks the core in its process for its status, and fails the outbox check with the core’s own words', async () => {
    const healthy = await openWindow().run
    expect(healthy.find((r) => r.name === 'outbox')).toEqual({
      name: 'outbox',
      ok: true,
      detail: 'The outbox is open in its own process (3 to send).',
    })
    const results = await openWindow({ core: async () => fail('internal', 'The outbox stopped.') }).run
    expect(results.find((r) => r.name === 'outbox')).toEqual({
      name: 'outbox',
      ok: false,
      detail: 'The outbox did not answer: The outbox stopped.',
    })
  })
})

describe('the report', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'self-check-report-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('is ok only when every check passed', () => {
    const times = { startedAt: 0, finishedAt: 1_000 }
    const app = { version: '1.2.3', packaged: true }
    expect(selfCheckReport(app, [{ name: 'window', ok: true, detail: '' }], times).ok).toBe(true)
    expect(
      selfCheckReport(
        app,
        [
          { name: 'window', ok: true, detail: '' },
          { name: 'outbox', ok: false, detail: 'x' },
        ],
        times,
      ).ok,
    ).toBe(false)
    expect(selfCheckReport(app, [], times).ok).toBe(false)
  })

  it('is written as JSON to the path, its folder made if missing', async () => {
    const path = join(dir, 'nested', 'report.json')
    const report = selfCheckReport(
      { version: '1.2.3', packaged: true },
      [{ name: 'outbox', ok: true, detail: 'The outbox is open (3 queued).' }],
      { startedAt: Date.UTC(2030, 0, 1), finishedAt: Date.UTC(2030, 0, 1, 0, 0, 2) },
    )
    await writeSelfCheckReport(path, report)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      format: 'cloverhound-self-check/1',
      ok: true,
      app: { version: '1.2.3', packaged: true, platform: process.platform, arch: process.arch, electron: null },
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:02.000Z',
      checks: [{ name: 'outbox', ok: true, detail: 'The outbox is open (3 queued).' }],
    })
  })
})

describe('selfCheckReportPath', () => {
  it('reads CLOVERHOUND_SELF_CHECK only, resolved to an absolute path', () => {
    expect(selfCheckReportPath({})).toBeUndefined()
    expect(selfCheckReportPath({ CLOVERHOUND_SELF_CHECK: '  ' })).toBeUndefined()
    expect(selfCheckReportPath({ CLOVERHOUND_SELF_CHECK: 'out/report.json' })).toBe(resolve('out/report.json'))
  })
})
