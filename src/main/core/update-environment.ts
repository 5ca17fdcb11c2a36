import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { isDeveloperIdSigned, type PolicyFile } from './update-policy.ts'

const run = promisify(execFile)

/** Reads the managed-desktop policy file; only "no such file" means there is no policy. */
export async function readPolicyFile(path: string): Promise<PolicyFile> {
  try {
    return { kind: 'read', text: await readFile(path, 'utf8') }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable' }
  }
}

/**
 * Whether the running .app carries a Developer ID signature (Squirrel.Mac refuses to update
 * anything else). `exePath` is `app.getPath('exe')`, …/Name.app/Contents/MacOS/Name.
 */
export async function isMacAppSigned(exePath: string): Promise<boolean> {
  const bundle = dirname(dirname(dirname(exePath)))
  try {
    // codesign prints what it found on stderr; a build with no signature at all makes it fail.
    const { stderr } = await run('/usr/bin/codesign', ['-dv', '--verbose=2', bundle], { timeout: 10_000 })
    return isDeveloperIdSigned(stderr)
  } catch {
    return false
  }
}
