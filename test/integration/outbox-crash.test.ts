/**
 * Crash test: a child process runs the real core and saves contacts in a loop while the sync worker
 * sends them to the sandbox (with latency, so kills land mid-send). The parent SIGKILLs it at random
 * moments, restarts it on the same folder each time, then lets a clean run drain the outbox.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { removeDir, tempDataDir } from './support/outbox-harness.ts'

const CHILD = fileURLToPath(new URL('./fixtures/outbox-crash-child.ts', import.meta.url))
const KILLS = 20

let sandbox: Sandbox
let dataDir: string

beforeAll(async () => {
  sandbox = await startSandbox()
  sandbox.faults.set({ latencyMs: 40 })
  dataDir = await tempDataDir()
})
afterAll(async () => {
  await sandbox.close()
  await removeDir(dataDir)
})

interface Child {
  process: ChildProcess
  lines: string[]
  /** Resolves with the first line that matches. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>
  exited: Promise<number | null>
}

function startChild(mode: 'enqueue' | 'drain'): Child {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', CHILD, mode], {
    env: {
      ...process.env,
      CRASH_DATA_DIR: dataDir,
      CRASH_BASE_URL: sandbox.url,
      CRASH_ORGANIZATION_ID: String(sandbox.organizationId),
      CRASH_API_KEY_ID: sandbox.apiKeyId,
      CRASH_API_KEY: sandbox.apiKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = []
  let partial = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8')
    const complete = partial.split('\n')
    partial = complete.pop() ?? ''
    for (const line of complete) {
      lines.push(line)
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const found = lines.find((line) => pattern.test(line))
        if (found) return resolve(found)
        const timer = setTimeout(
          () => reject(new Error(`child never printed ${pattern}; stderr: ${stderr}`)),
          timeoutMs,
        )
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) })
        void exited.then(() => setTimeout(() => reject(new Error(`child exited; stderr: ${stderr}`)), 50))
      }),
  }
}

it('keeps every acknowledged contact and never creates one twice, through 20 SIGKILLs', async () => {
  const acked = new Set<string>()
  for (let run = 0; run < KILLS; run++) {
    const child = startChild('enqueue')
    await child.waitFor(/^ACK /, 15_000)
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 300))
    child.process.kill('SIGKILL')
    await child.exited
    for (const line of child.lines) if (line.startsWith('ACK ')) acked.add(line.slice(4))
  }

  const drain = startChild('drain')
  await drain.waitFor(/^DRAINED$/, 30_000)
  expect(await drain.exited).toBe(0)

  const db = new DatabaseSync(join(dataDir, 'outbox.sqlite'))
  try {
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    const rows = db
      .prepare('SELECT id, state, idempotency_key, draft_json, contact_json FROM outbox_items')
      .all() as Array<{
      id: string
      state: string
      idempotency_key: string
      draft_json: string
      contact_json: string | null
    }>
    const byId = new Map(rows.map((row) => [row.id, row]))
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row]))

    expect(acked.size).toBeGreaterThan(KILLS)
    for (const id of acked) expect(byId.has(id), `acknowledged ${id} is in the outbox`).toBe(true)
    expect(rows.filter((row) => row.state === 'queued' || row.state === 'sending')).toEqual([])

    // Every request the sandbox received belongs to an item that is sent or unconfirmed.
    const keys = new Set(sandbox.requests.map((request) => request.headers['idempotency-key']))
    for (const key of keys) {
      expect(key, 'every request carries an Idempotency-Key').toBeTruthy()
      expect(['sent', 'unconfirmed']).toContain(byKey.get(key!)?.state)
    }
    // Names are unique per item, so a name created twice would be a contact created twice.
    const names = sandbox.contacts.map((contact) => contact.full_name)
    expect(new Set(names).size).toBe(names.length)
    const byName = new Map(rows.map((row) => [(JSON.parse(row.draft_json) as { fullName: string }).fullName, row]))
    for (const contact of sandbox.contacts) {
      const row = byName.get(contact.full_name)
      expect(['sent', 'unconfirmed']).toContain(row?.state)
      if (row?.state === 'sent') expect((JSON.parse(row.contact_json!) as { id: number }).id).toBe(contact.id)
    }
    expect(rows.filter((row) => row.state === 'sent').length).toBeGreaterThan(0)
    // Kills landed mid-send: some sends were cut off and left for the user to decide.
    expect(rows.filter((row) => row.state === 'unconfirmed').length).toBeGreaterThan(0)
  } finally {
    db.close()
  }
}, 90_000)
