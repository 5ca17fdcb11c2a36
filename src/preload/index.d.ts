import type { BridgeApi } from '../shared/bridge-contract.ts'

declare global {
  interface Window {
    /** The only door to the main process; see src/shared/bridge-contract.ts. */
    readonly api: BridgeApi
  }
}

export {}
