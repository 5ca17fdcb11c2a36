import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { APP_ID } from '../../src/main/core/app-id.ts'

describe('APP_ID', () => {
  it('is the id the installers are built with', async () => {
    const config = await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8')
    expect(config.match(/^appId:\s*(\S+)\s*$/m)?.[1]).toBe(APP_ID)
  })

  it('stays what it was: keys already in a keychain are stored under it', () => {
    expect(APP_ID).toBe('com.cloverhound.contacts')
  })
})
