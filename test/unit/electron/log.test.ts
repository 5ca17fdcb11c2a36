import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LogMessage, Transport } from 'electron-log'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({
  ipcMain: { removeAllListeners: vi.fn(), removeHandler: vi.fn() },
}))
vi.mock('electron', () => ({ ipcMain: fake.ipcMain }))
// electron-log's Node build is the same logger core (hooks, transports, file writer) without the
// Electron bindings that cannot load here; the main build differs only in where paths come from.
vi.mock('electron-log/main', async () => ({ default: (await import('electron-log/node')).default }))

const electronLog = (await import('electron-log/main')).default
const { createMainLogger, ELECTRON_LOG_CHANNEL, redactHook } = await import('../../../src/main/log.ts')

const KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
const BASIC = Buffer.from(`key-id:${KEY}`).toString('base64')

let dir: string
let logFile: string
const seen: LogMessage[] = []
const spy: Transport = Object.assign((message: LogMessage) => void seen.push(message), {
  level: 'silly' as const,
  transforms: [],
})

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'main-log-'))
  logFile = join(dir, 'main.log')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

beforeEach(() => {
  seen.length = 0
  electronLog.hooks.length = 0
  electronLog.transports.console.level = false
  electronLog.transports.file.resolvePathFn = () => logFile
  electronLog.transports.spy = spy
})

describe('createMainLogger', () => {
  it('installs the redaction hook once, however often it is called', () => {
    createMainLogger()
    createMainLogger(electronLog)
    expect(electronLog.hooks).toEqual([redactHook])
  })

  it('keeps main-process lines in main: no IPC copies to renderers, no remote endpoint', () => {
    // The Node build has no IPC transport; give it one as the Electron build has, switched on as in dev.
    electronLog.transports.ipc = Object.assign(() => {}, { level: 'silly' as const, transforms: [] })
    electronLog.transports.remote = Object.assign(electronLog.transports.remote ?? (() => {}), {
      level: 'info' as const,
    })
    createMainLogger()
    expect(electronLog.transports.ipc?.level).toBe(false)
    expect(electronLog.transports.remote?.level).toBe(false)
    expect(electronLog.transports.file?.level).toBe('info')
  })

  it('closes the IPC channel electron-log opened on import, which has no sender check', () => {
    createMainLogger()
    expect(ELECTRON_LOG_CHANNEL).toBe('__ELECTRON_LOG__')
    expect(fake.ipcMain.removeAllListeners).toHaveBeenCalledWith('__ELECTRON_LOG__')
    expect(fake.ipcMain.removeHandler).toHaveBeenCalledWith('__ELECTRON_LOG__')
  })

  it('hands every level to electron-log, with details only when there are some', () => {
    const logger = createMainLogger()
    logger.info('Started')
    logger.warn('Refused a bridge call from an untrusted sender', { command: 'getSettings' })
    logger.error('Bridge command threw', { command: 'createContact', error: 'TypeError' })
    expect(seen.map(({ level, data }) => [level, data])).toEqual([
      ['info', ['Started']],
      ['warn', ['Refused a bridge call from an untrusted sender', { command: 'getSettings' }]],
      ['error', ['Bridge command threw', { command: 'createContact', error: 'TypeError' }]],
    ])
  })

  it('scrubs every message and detail before any transport sees it', () => {
    const logger = createMainLogger()
    logger.error(`Request failed with Authorization: Basic ${BASIC}`, {
      apiKey: KEY,
      reason: `api_key=${KEY} for ada@example.com`,
      phone: '+14155550132',
      attempt: 3,
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.data).toEqual([
      'Request failed with Authorization: [REDACTED]',
      { apiKey: '[REDACTED]', reason: 'api_key=[REDACTED] for [email]', phone: '[REDACTED]', attempt: 3 },
    ])
  })

  it('writes nothing secret to the log file', async () => {
    const logger = createMainLogger()
    logger.warn(`Bearer ${KEY} refused for +44 20 7946 0958`, { password: 'hunter2', email: 'ada@example.com' })
    logger.info('Outbox drained', { sent: 2 })
    const text = await readFile(logFile, 'utf8')
    expect(text).toContain('Bearer [REDACTED] refused for [phone]')
    expect(text).toContain('Outbox drained')
    for (const secret of [KEY, BASIC, 'hunter2', 'ada@example.com', '7946']) expect(text).not.toContain(secret)
  })

  it('scrubs messages that reach electron-log without going through the wrapper', () => {
    createMainLogger()
    electronLog.error(new Error(`token=${KEY}`))
    expect(seen[0]?.data).toEqual([{ name: 'Error', message: 'token=[REDACTED]' }])
  })
})
