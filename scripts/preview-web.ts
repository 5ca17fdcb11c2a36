// `npm run preview:web`: the real renderer and the real core in a browser, for development and
// end-to-end tests on machines where Electron cannot start. As in the app, the core runs off the
// thread that answers the bridge (a worker thread here, a utility process there). Never packaged.
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { APP_ID } from '../src/main/core/app-id.ts'
import { KeytarSecretStore } from '../src/main/core/keytar-secret-store.ts'
import { startCoreThread } from '../src/main/core/host/core-thread.ts'
import { consoleLogger } from '../src/main/core/logger.ts'
import { MemorySecretStore } from '../src/main/core/secret-store.ts'
import { buildIfStale } from '../tools/build-if-stale.ts'
import { startPreviewServer, type PreviewServer } from '../tools/web-preview/preview-server.ts'

const root = resolve(import.meta.dirname, '..')
const rendererDir = join(root, 'out', 'renderer')

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5174' },
    'data-dir': { type: 'string', default: join(root, '.preview-data') },
    'in-memory-secrets': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}".`)
  process.exit(2)
}

if (!values['no-build']) buildIfStale(root)

const dataDir = resolve(values['data-dir'])
mkdirSync(dataDir, { recursive: true })

// Events can only go out once the server exists; the core is made first because it serves the server.
const relay: { server?: PreviewServer } = {}
const core = await startCoreThread({
  core: {
    dataDir,
    versions: { app: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version },
  },
  secrets: values['in-memory-secrets'] ? new MemorySecretStore() : new KeytarSecretStore(APP_ID),
  fetch: (input, init) => fetch(input, init),
  emit: (event, payload) => relay.server?.broadcast(event, payload),
  logger: consoleLogger,
})
const server = await startPreviewServer({ rendererDir, handlers: core.handlers, port })
relay.server = server
console.info(`Web preview: ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([server.close(), core.close()]).finally(() => process.exit(0))
  })
}
