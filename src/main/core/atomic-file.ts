import { open, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from './private-files.ts'

/**
 * Writes `text` to a temp file beside `path`, flushes it to disk and renames it over `path`: a crash
 * leaves the old file or the new one, never half of either. Owner-only, as the files hold contact data.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  ensurePrivateFolder(dirname(path))
  const temp = `${path}.${process.pid}.tmp`
  const file = await open(temp, 'w', PRIVATE_FILE_MODE)
  try {
    // A temp file left by a crash keeps the mode it was made with; this one is the user's only.
    await file.chmod(PRIVATE_FILE_MODE)
    await file.writeFile(text)
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temp, path)
}
