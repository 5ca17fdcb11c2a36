import { join } from 'node:path'
import { utilityProcess } from 'electron'
import { CORE_SERVICE_NAME } from './core/app-id.ts'
import { connectCore, type ConnectCoreOptions, type HostedCore } from './core/host/connect-core.ts'
import type { FromCore, MainLine } from './core/host/core-messages.ts'

/**
 * Forks the core into an Electron utility process (core-process.ts) and connects to it. The child needs
 * no session of its own: it makes no request itself, main sends them all (and alone holds the keys).
 */
export function startCoreProcess(outDir: string, options: ConnectCoreOptions): Promise<HostedCore> {
  const child = utilityProcess.fork(join(outDir, 'core-process.js'), [], { serviceName: CORE_SERVICE_NAME })
  const line: MainLine = {
    post: (message) => child.postMessage(message),
    listen: (listener) => void child.on('message', (message: FromCore) => listener(message)),
    onGone: (listener) => void child.once('exit', (code) => listener(`exit code ${code}`)),
    end: () => void child.kill(),
  }
  return connectCore(line, options)
}
