/** What a file-system error (Node's errno code) means for the user, whichever of the app's files it hit. */
export type FileProblem = 'read_only' | 'disk_full' | 'wrong_kind' | 'busy' | 'io'

export function fileProblemOf(error: unknown): FileProblem {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'read_only'
    case 'ENOSPC':
    case 'EDQUOT':
      return 'disk_full'
    // A folder where the file belongs, or a file where a folder belongs.
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
      return 'wrong_kind'
    case 'EBUSY':
      return 'busy'
    default:
      return 'io'
  }
}

export function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string'
}
