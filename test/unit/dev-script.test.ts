/**
 * `npm run dev`'s check before electron-vite starts: with no Electron binary that runs, it says so and points
 * to the web preview. The version check runs real executables (Node itself, a script that fails as a binary
 * missing its libraries would, a path with nothing there).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { electronDevProblem, electronVersion, noElectronMessage } from '../../scripts/dev.ts'
import { ensureElectronBinary } from '../e2e-electron/electron-binary.ts'

const folder = mkdtempSync(join(tmpdir(), 'cloverhound-dev-check-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('electronDevProblem', () => {
  it('no binary: says why and points to the web preview, never "failed to install correctly"', async () => {
    const version = vi.fn()
    const problem = await electronDevProblem({
      ensureBinary: async () => ({
        found: false,
        reason: 'node_modules/electron has no downloaded binary (no path.txt)',
      }),
      version,
    })
    expect(problem).toContain('there is none that runs here: node_modules/electron has no downloaded binary')
    expect(problem).toContain('npm run preview:web -- --in-memory-secrets')
    expect(problem).toContain('npm run sandbox')
    expect(problem).not.toContain('failed to install correctly')
    expect(version).not.toHaveBeenCalled()
  })

  it('a binary that does not start: says so, with its own words', async () => {
    const problem = await electronDevProblem({
      ensureBinary: async () => ({ found: true, executablePath: '/opt/electron/electron' }),
      version: () => ({ ok: false, reason: 'libnss3.so: cannot open shared object file' }),
    })
    expect(problem).toContain('the Electron binary does not start (libnss3.so: cannot open shared object file)')
    expect(problem).toContain('npm run preview:web')
  })

  it('a binary that starts: no problem, electron-vite dev goes ahead', async () => {
    const version = vi.fn(() => ({ ok: true as const, version: 'v22.20.0' }))
    const problem = await electronDevProblem({
      ensureBinary: async () => ({ found: true, executablePath: '/opt/electron/electron' }),
      version,
    })
    expect(problem).toBeUndefined()
    expect(version).toHaveBeenCalledWith('/opt/electron/electron')
  })

  it('on this machine with downloads switched off: the real lookup finds no binary and says so', async () => {
    vi.stubEnv('ELECTRON_SKIP_BINARY_DOWNLOAD', '1')
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', join(folder, 'no-electron-here'))
    try {
      const problem = await electronDevProblem({ ensureBinary: ensureElectronBinary, version: electronVersion })
      expect(problem).toBe(
        noElectronMessage(
          'ELECTRON_OVERRIDE_DIST_PATH names a folder without an Electron executable, and ELECTRON_SKIP_BINARY_DOWNLOAD is set',
        ),
      )
    } finally {
      vi.unstubAllEnvs()
    }
  })
})

describe('electronVersion', () => {
  it('an executable that runs reports its version', () => {
    expect(electronVersion(process.execPath)).toEqual({ ok: true, version: process.version })
  })

  it('an executable that fails to load gives its first line of complaint', () => {
    const script = join(folder, 'electron')
    writeFileSync(
      script,
      '#!/bin/sh\necho "" >&2\necho "electron: error while loading shared libraries: libnss3.so" >&2\nexit 127\n',
    )
    chmodSync(script, 0o755)
    expect(electronVersion(script)).toEqual({
      ok: false,
      reason: 'electron: error while loading shared libraries: libnss3.so',
    })
  })

  it('nothing at the path', () => {
    expect(electronVersion(join(folder, 'missing'))).toEqual({ ok: false, reason: 'ENOENT' })
  })
})
