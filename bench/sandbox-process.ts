import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { withDeadline } from './deadline.ts'

const START_TIMEOUT_MS = 30_000
const EXIT_TIMEOUT_MS = 5_000

export interface SandboxProcess {
  url: string
  organizationId: number
  apiKeyId: string
  apiKey: string
  setFaults(faults: Record<string, unknown>): Promise<void>
  contactCount(): Promise<number>
  close(): Promise<void>
}

/** `npm run sandbox` in a child process on a free port, driven through its admin routes. */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const script = resolve(import.meta.dirname, '../scripts/sandbox.ts')
  const child = spawn(process.execPath, ['--experimental-strip-types', script, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const fields: Record<string, string> = {}
  const readBanner = async (): Promise<void> => {
    for await (const line of createInterface({ input: child.stdout })) {
      const [name, value] = line.split(/:\s(.+)/)
      if (name && value) fields[name] = value
      if (fields['API key']) return
    }
  }
  try {
    const seen = () => `The sandbox's start-up banner (it printed ${Object.keys(fields).join(', ') || 'nothing'})`
    await withDeadline(seen, readBanner(), START_TIMEOUT_MS)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  const url = fields['Sandbox API']
  if (!url) throw new Error(`The sandbox did not start; it printed ${JSON.stringify(fields)}`)
  const admin = (path: string, init?: RequestInit) =>
    fetch(`${url}/__sandbox/${path}`, { ...init, signal: AbortSignal.timeout(START_TIMEOUT_MS) })
  return {
    url,
    organizationId: Number(fields['Organization ID']),
    apiKeyId: fields['API key ID'] ?? '',
    apiKey: fields['API key'] ?? '',
    async setFaults(faults) {
      const response = await admin('faults', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(faults),
      })
      if (!response.ok) throw new Error(`Setting sandbox faults failed: ${response.status}`)
    },
    async contactCount() {
      return ((await (await admin('contacts')).json()) as unknown[]).length
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await withDeadline('The sandbox to exit', exited, EXIT_TIMEOUT_MS).catch(() => child.kill('SIGKILL'))
    },
  }
}
