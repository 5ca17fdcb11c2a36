import { parentPort } from 'node:worker_threads'
import type { ToCore } from './core-messages.ts'
import { serveCore } from './serve-core.ts'

// The worker thread's entry (core-thread.ts starts it): the core, talking to main over parentPort.
if (!parentPort) throw new Error('core-thread-entry.ts runs only as a worker thread')
const port = parentPort
serveCore(
  {
    post: (message) => port.postMessage(message),
    listen: (listener) => void port.on('message', (m: ToCore) => listener(m)),
  },
  {},
)
