import { commandNames } from '../../src/shared/bridge-names.ts'
import { expect, test } from './fixtures.ts'
import type { PageGlobals } from './page-globals.ts'

test('window.api is the only bridge: one function per command, plus on', async ({ window }) => {
  const shape = await window.evaluate(() => {
    const page = globalThis as unknown as PageGlobals & Record<string, unknown>
    const api = page.api as unknown as Record<string, unknown>
    return {
      keys: Object.keys(api).sort(),
      notFunctions: Object.keys(api).filter((key) => typeof api[key] !== 'function'),
      // Names a leaky preload would expose, and Node's own globals.
      leaked: ['ipcRenderer', 'electron', 'require', 'process', 'module', 'Buffer', 'global', 'setImmediate'].filter(
        (name) => name in page,
      ),
    }
  })
  expect(shape.keys).toEqual([...commandNames, 'on'].sort())
  expect(shape.notFunctions).toEqual([])
  expect(shape.leaked).toEqual([])
})

test('events: only the contract’s names, and no IPC event object reaches a listener', async ({ window }) => {
  const outcome = await window.evaluate(() => {
    const { api } = globalThis as unknown as PageGlobals
    const on = api.on as unknown as (event: unknown, listener: unknown) => () => void
    const errors: string[] = []
    for (const [event, listener] of [
      ['no-such-event', () => undefined],
      ['cloverhound:event:settingsChanged', () => undefined],
      ['settingsChanged', 'not a function'],
    ] as const) {
      try {
        on(event, listener)
        errors.push('accepted')
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error))
      }
    }
    const unsubscribe = on('settingsChanged', () => undefined)
    return { errors, unsubscribe: typeof unsubscribe }
  })
  // The preload's words (src/preload/index.ts): 'Unknown bridge event "…"', 'The event listener must be a function.'
  expect(outcome.errors[0]).toMatch(/Unknown bridge event/)
  expect(outcome.errors[1]).toMatch(/Unknown bridge event/)
  expect(outcome.errors[2]).toMatch(/must be a function/)
  expect(outcome.unsubscribe).toBe('function')

  // A listener receives the payload alone: one argument, a plain object, no IPC event to reach back with.
  const received = await window.evaluate(async () => {
    const { api } = globalThis as unknown as PageGlobals
    const calls: { event: string; args: unknown[] }[] = []
    const unsubscribe = [
      api.on('settingsChanged', (...args: unknown[]) => calls.push({ event: 'settingsChanged', args })),
      api.on('outboxChanged', (...args: unknown[]) => calls.push({ event: 'outboxChanged', args })),
    ]
    // A connection without a key (nothing reaches the keychain), then a contact that can only wait.
    const settings = await api.saveSettings({ baseUrl: 'http://127.0.0.1:9', organizationId: 1, apiKeyId: 'e2e' })
    const saved = await api.saveContact({ fullName: 'Ada Lovelace', email: '', description: '', phones: [] })
    const deadline = Date.now() + 5_000
    const seen = () => new Set(calls.map((call) => call.event)).size === 2
    while (!seen() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50))
    for (const stop of unsubscribe) stop()
    return {
      settings: settings.ok,
      saved: saved.ok,
      calls: calls.map(({ event, args }) => ({
        event,
        count: args.length,
        keys: Object.keys((args[0] ?? {}) as object).sort(),
      })),
    }
  })
  expect(received.settings).toBe(true)
  expect(received.saved).toBe(true)
  expect(received.calls.map((call) => call.event)).toEqual(expect.arrayContaining(['settingsChanged', 'outboxChanged']))
  for (const call of received.calls) {
    expect(call.count, call.event).toBe(1)
    expect(call.keys, call.event).not.toContain('sender')
    expect(call.keys, call.event).not.toContain('senderFrame')
  }
  expect(received.calls.find((call) => call.event === 'outboxChanged')?.keys).toEqual(['ids'])
})

test('a command called with bad input answers a typed bad_request, and the app carries on', async ({ window }) => {
  const answers = await window.evaluate(async () => {
    const api = (globalThis as unknown as PageGlobals).api as unknown as Record<
      string,
      (input?: unknown) => Promise<unknown>
    >
    return {
      saveContact: await api.saveContact!({ fullName: 42, phones: 'none' }),
      listOutbox: await api.listOutbox!({ filter: 'everything', limit: 10 }),
      getOutboxItem: await api.getOutboxItem!('not-an-object'),
      getSettings: await api.getSettings!({ unexpected: true }),
      saveSettings: await api.saveSettings!(null),
      reportConnectivity: await api.reportConnectivity!({ online: 'yes' }),
    }
  })
  for (const [command, answer] of Object.entries(answers)) {
    expect(answer, command).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.any(String) } })
    expect(JSON.stringify(answer), command).not.toMatch(/\n\s+at |node_modules|ZodError/)
  }

  const fine = await window.evaluate(() => (globalThis as unknown as PageGlobals).api.getSettings())
  expect(fine).toMatchObject({ ok: true })
})
