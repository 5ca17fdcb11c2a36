/**
 * `npm run sandbox` prints how to start it again with the same credentials, and starting it that way
 * gives the same organization and key pair, so settings saved in the app keep working across restarts.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'

const SCRIPT = resolve(import.meta.dirname, '../../scripts/sandbox.ts')

/** Starts the script, collects its lines up to the "keep" line, and stops it. */
async function startAndRead(args: string[]): Promise<Record<string, string>> {
  const child = spawn(process.execPath, ['--experimental-strip-types', SCRIPT, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const said: Record<string, string> = {}
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const colon = line.indexOf(': ')
      said[line.slice(0, colon)] = line.slice(colon + 2)
      if (line.startsWith('Switches')) break
    }
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
  return said
}

describe('npm run sandbox', () => {
  it('prints how to keep its credentials, and they hold when started that way', async () => {
    const first = await startAndRead(['--port', '0'])
    const keep = first['To keep these across restarts']
    expect(keep).toMatch(/^npm run sandbox -- --port=\d+ --org=4242 --key-id=sandbox-[0-9a-f]+ --key=\S+$/)
    expect(first['Switches (faults, request log, reset)']).toMatch(/\/__sandbox\/… — see the README\.$/)

    // The generated key pair needs no quoting, so the words split on spaces as a shell would split them.
    const again = await startAndRead(keep!.replace('npm run sandbox -- ', '').split(' '))
    expect(again).toEqual(first)
  })

  it('keeps the extra organizations’ keys and a key that begins with a dash, and refuses a half-given one', async () => {
    // A key may begin with "-" (base64url): the printed line still starts the same sandbox.
    const first = await startAndRead(['--port', '0', '--key=-dash-key', '--extra-org', '4243'])
    const keep = first['To keep these across restarts']!
    expect(first['Also organization 4243']).toMatch(/^API key ID sandbox-[0-9a-f]+, API key \S+$/)
    expect(keep).toMatch(/ --extra-org=4243:sandbox-[0-9a-f]+:\S+$/)

    const again = await startAndRead(keep.replace('npm run sandbox -- ', '').split(' '))
    expect(again).toEqual(first)

    const child = spawn(
      process.execPath,
      ['--experimental-strip-types', SCRIPT, '--port', '0', '--extra-org', '4243:id-only'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let errors = ''
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
    const [code] = await once(child, 'exit')
    expect(code).toBe(2)
    expect(errors).toContain('--extra-org must be N or N:KEY_ID:KEY')
  })
})
