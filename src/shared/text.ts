/* eslint-disable no-control-regex -- matching control characters is the point */

/** C0/C1 control characters; allowed nowhere except newlines and tabs in free text. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u
const CONTROL_CHARS_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/u

export function hasControlChars(value: string, { multiline = false } = {}): boolean {
  return (multiline ? CONTROL_CHARS : CONTROL_CHARS_SINGLE_LINE).test(value)
}
