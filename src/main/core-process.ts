import { net } from 'electron/utility'
import type { ToCore } from './core/host/core-messages.ts'
import { serveCore } from './core/host/serve-core.ts'

/**
 * The utility process's entry (out/main/core-process.js, forked by core-process-host.ts): the outbox,
 * its worker and every command run here, off main's thread. It holds no key and sends nothing itself:
 * main sends each request, with the key, through net.fetch (connect-core.ts).
 */
const port = process.parentPort
serveCore(
  {
    post: (message) => port.postMessage(message),
    // Holding this listener is also what keeps the process alive once this module has run.
    listen: (listener) => void port.on('message', (event) => listener(event.data as ToCore)),
  },
  // A hint only: the worker trusts what its requests actually do over this.
  { isOnline: () => net.isOnline() },
)
