import { describe, expect, it } from 'vitest'
import { parseExternalUrl, schemeOf } from '../../src/main/core/external-link.ts'

describe('parseExternalUrl', () => {
  it('keeps an https URL with a host, as the URL parser normalises it', () => {
    expect(parseExternalUrl('HTTPS://Docs.Example.com/a b')?.href).toBe('https://docs.example.com/a%20b')
  })

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://bundle/index.html',
    'https://user:secret@example.com/',
    'https://:secret@example.com/',
    'not a url at all',
    '',
  ])('refuses %j', (url) => {
    expect(parseExternalUrl(url)).toBeUndefined()
  })
})

describe('schemeOf', () => {
  it('reads a scheme in a bounded alphabet', () => {
    expect(schemeOf('HTTPS://x')).toBe('https')
    expect(schemeOf('  javascript:alert(1)')).toBe('javascript')
    expect(schemeOf(`${'a'.repeat(40)}:x`)).toBe('none')
    expect(schemeOf('ada@example.com')).toBe('none')
  })
})
