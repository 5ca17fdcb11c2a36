/**
 * The core as its own entry of the built main (out/main/core.js), next to Electron's (out/main/index.js),
 * so the packaging check can run the packaged core, with the packaged node_modules, under plain Node.
 */
export { createAppCore, type AppCore, type CoreOptions } from './app-core.ts'
export { silentLogger } from './logger.ts'
export { MemorySecretStore } from './secret-store.ts'
