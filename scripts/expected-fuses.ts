// The Electron fuses every packaged build must carry, as electron-builder.yml's `electronFuses` sets
// them. Checked against the stand-in build by scripts/check-package.ts and against each real build
// by scripts/smoke-test-package.ts in the release workflow.
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'

/** The wire's bytes: ASCII '1' and '0' (@electron/fuses names them FuseState but does not export it). */
const ENABLED = '1'.charCodeAt(0)
const DISABLED = '0'.charCodeAt(0)

export const EXPECTED_FUSES: ReadonlyArray<[fuse: FuseV1Options, enabled: boolean]> = [
  [FuseV1Options.RunAsNode, false],
  [FuseV1Options.EnableCookieEncryption, true],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
  [FuseV1Options.EnableNodeCliInspectArguments, false],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
  [FuseV1Options.OnlyLoadAppFromAsar, true],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
]

export function describeExpectedFuses(): string {
  return EXPECTED_FUSES.map(([fuse, enabled]) => `${FuseV1Options[fuse]} ${enabled ? 'on' : 'off'}`).join(', ')
}

/**
 * What differs from EXPECTED_FUSES in the binary at `app` (the executable, or the .app on macOS),
 * read with @electron/fuses; an empty list when all are as expected.
 */
export async function fuseProblems(app: string): Promise<string[]> {
  let wire: Awaited<ReturnType<typeof getCurrentFuseWire>>
  try {
    wire = await getCurrentFuseWire(app)
  } catch (error) {
    return [`no fuse wire could be read from ${app}: ${error instanceof Error ? error.message : String(error)}`]
  }
  const states = wire as unknown as Partial<Record<FuseV1Options, number>>
  return EXPECTED_FUSES.flatMap(([fuse, enabled]) => {
    const state = states[fuse]
    if (state === (enabled ? ENABLED : DISABLED)) return []
    return [`${FuseV1Options[fuse]} is ${state === ENABLED ? 'on' : state === DISABLED ? 'off' : 'missing'}`]
  })
}
