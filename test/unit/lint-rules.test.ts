import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { cruise, type IReporterOutput } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import { ESLint } from 'eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The architecture rules fail on a violation: ESLint's layer table (eslint.config.js) on a core file
 * reaching the Electron edge, dependency-cruiser (.dependency-cruiser.mjs) on an import cycle. Each
 * probe is linted as it would be at its place in the tree, next to a clean twin the rule lets pass.
 */
const ROOT = resolve(import.meta.dirname, '../..')
const LAYER_RULE = 'import-x/no-restricted-paths'

async function layerErrors(path: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT })
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, path) })
  return (result?.messages ?? []).filter((m) => m.ruleId === LAYER_RULE).map((m) => m.message)
}

describe('the layer rule', () => {
  it('refuses a core file that imports the Electron edge, Electron or the UI', async () => {
    const errors = await layerErrors(
      'src/main/core/layer-probe.ts',
      [
        "import { redactHook } from '../log.ts'",
        "import type { WebContents } from 'electron'",
        "import { ref } from 'vue'",
        'export const probe: unknown = [redactHook, ref, {} as WebContents]',
      ].join('\n'),
    )
    expect(errors).toEqual([
      expect.stringContaining('"../log.ts"'),
      expect.stringContaining('"electron"'),
      expect.stringContaining('"vue"'),
    ])
    expect(errors[0]).toContain('The core is Electron-free')
  })

  it('lets a core file import the core, src/shared, Node built-ins and zod', async () => {
    const errors = await layerErrors(
      'src/main/core/layer-probe.ts',
      [
        "import { readFile } from 'node:fs/promises'",
        "import { z } from 'zod'",
        "import { ok } from '../../shared/app-error.ts'",
        "import { redactText } from './redact.ts'",
        "import { BACKOFF_BASE_MS } from './outbox/backoff.ts'",
        'export const probe: unknown = [readFile, z, ok, redactText, BACKOFF_BASE_MS]',
      ].join('\n'),
    )
    expect(errors).toEqual([])
  })

  it('refuses src/shared importing main, and the renderer importing the core', async () => {
    const shared = await layerErrors(
      'src/shared/layer-probe.ts',
      "import { REDACTED } from '../main/core/redact.ts'\nexport const probe = REDACTED\n",
    )
    const renderer = await layerErrors(
      'src/renderer/src/layer-probe.ts',
      "import { REDACTED } from '../../main/core/redact.ts'\nexport const probe = REDACTED\n",
    )
    expect(shared).toEqual([expect.stringContaining('src/shared runs in every process')])
    expect(renderer).toEqual([expect.stringContaining('The renderer is sandboxed')])
  })
})

describe('the cycle rule', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cycle-probe-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function cycles(files: Record<string, string>): Promise<string[][]> {
    const folder = await mkdtemp(join(dir, 'case-'))
    for (const [name, source] of Object.entries(files)) await writeFile(join(folder, name), source)
    const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.mjs'))
    const { output }: IReporterOutput = await cruise([folder], { ...options, validate: true })
    if (typeof output === 'string') throw new Error('expected a cruise result, got a report')
    return output.summary.violations
      .filter((violation) => violation.rule.name === 'no-circular')
      .map((violation) => (violation.cycle ?? []).map((step) => basename(step.name)).sort())
  }

  it('refuses a cycle whose one side imports only a type, like EmitEvent did', async () => {
    const found = await cycles({
      'handlers.ts':
        "import { createCommands } from './commands.ts'\nexport type Emit = () => void\nexport const handlers = createCommands\n",
      'commands.ts': "import type { Emit } from './handlers.ts'\nexport const createCommands = (emit: Emit) => emit\n",
    })
    expect(found).toContainEqual(['commands.ts', 'handlers.ts'])
  })

  it('refuses a cycle of values through a third module', async () => {
    const found = await cycles({
      'a.ts': "import { b } from './b.ts'\nexport const a = () => b\n",
      'b.ts': "import { c } from './c.ts'\nexport const b = () => c\n",
      'c.ts': "import { a } from './a.ts'\nexport const c = () => a\n",
    })
    expect(found).toContainEqual(['a.ts', 'b.ts', 'c.ts'])
  })

  it('lets the same modules pass once the shared type has a module of its own', async () => {
    const found = await cycles({
      'emit.ts': 'export type Emit = () => void\n',
      'handlers.ts': "import { createCommands } from './commands.ts'\nexport const handlers = createCommands\n",
      'commands.ts': "import type { Emit } from './emit.ts'\nexport const createCommands = (emit: Emit) => emit\n",
    })
    expect(found).toEqual([])
  })
})
