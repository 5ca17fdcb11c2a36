/**
 * `npm run sandbox [-- --port N --org N --key-id ID --key KEY --extra-org N[:KEY_ID:KEY] … --honour-idempotency-key]`: the local stand-in for the
 * Cloverhound API (tools/sandbox), for trying the app without real credentials. Runs until Ctrl+C.
 * It prints its own, throwaway key: that is the point of a sandbox.
 */
import { parseArgs } from 'node:util'
import { startSandbox, type SandboxOptions } from '../tools/sandbox/sandbox-server.ts'

const USAGE =
  'usage: npm run sandbox -- [--port N (default 4010, 0 = any)] [--org N] [--key-id ID] [--key KEY] [--extra-org N[:KEY_ID:KEY]]… [--honour-idempotency-key]'

function readOptions(): SandboxOptions {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      org: { type: 'string' },
      'key-id': { type: 'string' },
      key: { type: 'string' },
      // More organizations, each with its own random key: for trying connection profiles.
      'extra-org': { type: 'string', multiple: true },
      // Off by default, like the spec: a repeated Idempotency-Key creates another contact.
      'honour-idempotency-key': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const port = wholeNumber(values.port, 'port', 0, 65_535)
  const options: SandboxOptions = { port }
  if (values.org !== undefined) options.organizationId = wholeNumber(values.org, 'org', 1, Number.MAX_SAFE_INTEGER)
  if (values['key-id'] !== undefined) options.apiKeyId = values['key-id']
  if (values.key !== undefined) options.apiKey = values.key
  if (values['honour-idempotency-key']) options.honoursIdempotencyKey = true
  const extra = values['extra-org'] ?? []
  if (extra.length > 0) {
    options.organizations = extra.map(extraOrganization)
  }
  return options
}

/** `N`, or `N:KEY_ID:KEY` to keep a key made earlier (a key ID has no colon, as in HTTP Basic; the key may). */
function extraOrganization(text: string): NonNullable<SandboxOptions['organizations']>[number] {
  const [org = '', apiKeyId, ...keyParts] = text.split(':')
  const organizationId = wholeNumber(org, 'extra-org', 1, Number.MAX_SAFE_INTEGER)
  if (apiKeyId === undefined) return { organizationId }
  const apiKey = keyParts.join(':')
  if (apiKeyId === '' || apiKey === '') throw new TypeError('--extra-org must be N or N:KEY_ID:KEY')
  return { organizationId, apiKeyId, apiKey }
}

function wholeNumber(text: string, name: string, min: number, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new TypeError(`--${name} must be a whole number from ${min} to ${max}`)
  return value
}

/** A word the shell passes through as is: quoted only when it must be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

let options: SandboxOptions
try {
  options = readOptions()
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(USAGE)
  process.exit(2)
}

const sandbox = await startSandbox(options).catch((error: unknown) => {
  const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE'
  console.error(inUse ? `Port ${options.port} is in use; pick another with --port N.` : String(error))
  process.exit(1)
})

console.log(`Sandbox API: ${sandbox.url}`)
console.log(`Organization ID: ${sandbox.organizationId}`)
console.log(`API key ID: ${sandbox.apiKeyId}`)
console.log(`API key: ${sandbox.apiKey}`)
for (const more of sandbox.organizations.slice(1)) {
  console.log(`Also organization ${more.organizationId}: API key ID ${more.apiKeyId}, API key ${more.apiKey}`)
}
console.log(`Idempotency-Key: ${sandbox.honoursIdempotencyKey ? 'honoured' : 'ignored (like the spec)'}`)
// Without these the next start makes a new key pair, and settings saved in the app stop working.
// `--name=value`: a random key may begin with "-", which would otherwise read as an option.
const keep = [
  `--port=${sandbox.port}`,
  `--org=${sandbox.organizationId}`,
  `--key-id=${sandbox.apiKeyId}`,
  `--key=${sandbox.apiKey}`,
  ...sandbox.organizations.slice(1).map((more) => `--extra-org=${more.organizationId}:${more.apiKeyId}:${more.apiKey}`),
  ...(sandbox.honoursIdempotencyKey ? ['--honour-idempotency-key'] : []),
]
console.log(`To keep these across restarts: npm run sandbox -- ${keep.map(shellWord).join(' ')}`)
console.log(`Switches (faults, request log, reset): ${sandbox.url}/__sandbox/… — see the README.`)

const stop = (): void => {
  sandbox.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
