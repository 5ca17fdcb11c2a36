/**
 * The README says what the app and the sandbox do: the keyring command the app suggests, and every
 * sandbox switch (admin route and fault) there is.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LINUX_KEYRING_INSTALL } from '../../src/main/core/keytar-secret-store.ts'
import { Faults } from '../../tools/sandbox/faults.ts'

const root = resolve(import.meta.dirname, '../..')
const readme = readFileSync(resolve(root, 'README.md'), 'utf8')

describe('README', () => {
  it('gives the keyring install command the app gives when it finds no keychain', () => {
    expect(readme).toContain(`\`${LINUX_KEYRING_INSTALL}\``)
  })

  it('documents every sandbox admin route', () => {
    const source = readFileSync(resolve(root, 'tools/sandbox/admin-routes.ts'), 'utf8')
    const routes = [...source.matchAll(/case '((?:GET|POST|DELETE) \/__sandbox\/[a-z]+)'/g)].map((m) => m[1]!)
    expect(routes.length).toBeGreaterThanOrEqual(6)
    for (const route of routes) expect(readme, route).toContain(`\`${route}`)
  })

  it('documents every sandbox fault', () => {
    const faults = Object.keys(new Faults().current)
    expect(faults.length).toBeGreaterThanOrEqual(5)
    for (const fault of faults) expect(readme, fault).toContain(`| \`${fault}\``)
  })
})
