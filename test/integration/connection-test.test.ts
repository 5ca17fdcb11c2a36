/**
 * Test connection against the sandbox over real HTTP: the right settings pass and the server creates
 * nothing; a wrong key and a wrong organization are told apart; a server that is gone is said plainly.
 */
import { describe, expect, it } from 'vitest'
import type { Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { startSandbox } from '../../tools/sandbox/sandbox-server.ts'
import { connect, useHarnesses, useSharedSandbox, value } from './support/outbox-harness.ts'

let sandbox: Sandbox
useSharedSandbox((started) => (sandbox = started))
const { connected } = useHarnesses(() => sandbox)

describe('Test connection against the sandbox', () => {
  it('the right settings pass, and the server created nothing', async () => {
    const harness = await connected()
    const result = value(await harness.core.handlers.testConnection(undefined))

    expect(result).toMatchObject({ verdict: 'working', organizationId: sandbox.organizationId })
    expect(result.message).toContain('Connection works')
    expect(sandbox.contacts).toHaveLength(0)
    // The sandbox refused it as the spec says: 422, for the blank full_name, after the key and organization passed.
    expect(sandbox.requests.map((request) => [request.status, request.json])).toEqual([[422, { full_name: '' }]])
    const status = value(await harness.core.handlers.getSyncStatus(undefined))
    expect(status.connection.lastSuccessAt).not.toBeNull()
  })

  it('a wrong key: key not accepted', async () => {
    const harness = await connected()
    await connect(harness, sandbox, { apiKey: 'not-the-key' })
    const result = value(await harness.core.handlers.testConnection(undefined))

    expect(result.verdict).toBe('key_refused')
    expect(result.message).toMatch(/^Key not accepted/)
    expect(sandbox.requests.map((request) => request.status)).toEqual([401])
    expect(value(await harness.core.handlers.getSyncStatus(undefined)).connection.refused).toBe('key')
  })

  it('a wrong organization: organization not allowed (403)', async () => {
    const harness = await connected()
    await connect(harness, sandbox, { organizationId: sandbox.organizationId + 1 })
    const result = value(await harness.core.handlers.testConnection(undefined))

    expect(result.verdict).toBe('organization_refused')
    expect(result.message).toContain(`organization ${sandbox.organizationId + 1} (403)`)
    expect(sandbox.requests.map((request) => request.status)).toEqual([403])
    expect(sandbox.contacts).toHaveLength(0)
  })

  it('a server that is gone: could not reach it', async () => {
    const gone = await startSandbox()
    const harness = await connected()
    await connect(harness, gone, { apiKey: gone.apiKey })
    await gone.close()
    const result = value(await harness.core.handlers.testConnection(undefined))

    expect(result.verdict).toBe('unreachable')
    expect(result.message).toContain(`Could not reach 127.0.0.1:${gone.port}: the server refused the connection`)
  })

  it('a server that redirects is told, and the redirect is not followed', async () => {
    const harness = await connected()
    sandbox.faults.set({ nextStatuses: [{ status: 301, headers: { Location: 'https://elsewhere.example/' } }] })
    const result = value(await harness.core.handlers.testConnection(undefined))

    expect(result.verdict).toBe('unexpected')
    expect(result.message).toContain('redirected the request; check the Base URL')
    expect(sandbox.requests).toHaveLength(1)
  })
})
