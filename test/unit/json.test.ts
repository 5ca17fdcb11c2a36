import { describe, expect, it } from 'vitest'
import { isRecord, parseJson } from '../../src/shared/json.ts'

describe('parseJson', () => {
  it('reads any JSON value', () => {
    expect(parseJson('{"a":[1,"x",null]}')).toEqual({ a: [1, 'x', null] })
    expect(parseJson('null')).toBeNull()
    expect(parseJson('"text"')).toBe('text')
  })

  it.each(['', '{', 'undefined', "{'a':1}", '<html>'])('answers undefined for %j instead of throwing', (text) => {
    expect(parseJson(text)).toBeUndefined()
  })
})

describe('isRecord', () => {
  it('is true for an object, false for null, arrays and primitives', () => {
    expect(isRecord({})).toBe(true)
    expect(isRecord(parseJson('{"__proto__":{"x":1}}'))).toBe(true)
    for (const value of [null, [], [1], 'a', 1, true, undefined]) expect(isRecord(value)).toBe(false)
  })
})
