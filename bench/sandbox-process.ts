import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

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
  for await (const line of createInterface({ input: child.stdout })) {
    const [name, value] = line.split(/:\s(.+)/)
    if (name && value) fields[name] = value
    if (fields['API key']) break
  }
  const url = fields['Sandbox API']
  if (!url) throw new Error('The sandbox did not start')
  const admin = (path: string, init?: RequestInit) => fetch(`${url}/__sandbox/${path}`, init)
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
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}
