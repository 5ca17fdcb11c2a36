import { Worker } from 'node:worker_threads'
import { connectCore, type ConnectCoreOptions, type HostedCore } from './connect-core.ts'
import type { MainLine } from './core-messages.ts'

/**
 * The core on a Node worker thread, as the web preview, the benches and the tests run it: the same
 * line and messages as Electron's utility process (src/main/core-process.ts), so main's thread only
 * forwards. Main's fetch (Node's here) sends the core's requests.
 */
export function startCoreThread(options: ConnectCoreOptions): Promise<HostedCore> {
  const worker = new Worker(new URL('./core-thread-entry.ts', import.meta.url), { name: 'core' })
  const line: MainLine = {
    post: (message) => worker.postMessage(message),
    listen: (listener) => void worker.on('message', listener),
    onGone: (listener) => {
      let why = 'it ended'
      worker.once('error', (error) => (why = `${error.name}: ${error.message}`))
      worker.once('exit', (code) => listener(`${why}, exit code ${code}`))
    },
    end: () => void worker.terminate(),
  }
  return connectCore(line, options)
}
