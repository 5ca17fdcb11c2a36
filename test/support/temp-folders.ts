import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/** Something a test opened on a temp folder that must be closed before the folder goes. */
interface Closable {
  close(): Promise<void> | void
}

/**
 * Fresh folders for one test file, removed after each test — after whatever was opened on them is
 * closed, so a core's SQLite file is never deleted under it.
 */
export function useTempFolders(prefix: string) {
  const folders: string[] = []
  const open: Closable[] = []
  afterEach(async () => {
    for (const item of open.splice(0)) await item.close()
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
  })
  return {
    async tempFolder(): Promise<string> {
      const folder = await mkdtemp(join(tmpdir(), `cloverhound-${prefix}-`))
      folders.push(folder)
      return folder
    },
    /** Closes `item` after the test, before its folder is removed. */
    closeAfter<T extends Closable>(item: T): T {
      open.push(item)
      return item
    },
  }
}
