import { describe, expect, it } from 'vitest'
import { formatDiagnostics, type Diagnostics } from '../../src/shared/diagnostics.ts'
import { HIDDEN, SensitiveText } from '../../src/main/core/diagnostics-redaction.ts'
import { RecentErrors, recordingLogger } from '../../src/main/core/recent-errors.ts'

function sensitive(): SensitiveText {
  const text = new SensitiveText()
  text.addSecret('correct-horse-battery-staple')
  text.addContact({ name: 'Al Li', email: 'al.li@example.org', description: 'Owns the bakery\nCall after 5pm' })
  text.addPhone('(415) 555-0132')
  text.addPhone('+14155550132')
  return text
}

describe('SensitiveText', () => {
  it('hides a key anywhere, even inside a longer token, in any case', () => {
    expect(sensitive().scrub('got xCORRECT-HORSE-BATTERY-STAPLEx back')).toBe(`got x${HIDDEN}x back`)
  })

  it('hides a full name, and a short first or last name only as a whole word', () => {
    expect(sensitive().scrub('Could not send Al Li.')).toBe(`Could not send ${HIDDEN}.`)
    expect(sensitive().scrub('Li said hi to Al')).toBe(`${HIDDEN} said hi to ${HIDDEN}`)
    expect(sensitive().scrub('All lines are fine')).toBe('All lines are fine')
  })

  it('hides an email whole before the name inside it', () => {
    expect(sensitive().scrub('mail al.li@example.org bounced')).toBe(`mail ${HIDDEN} bounced`)
  })

  it('hides a description and each of its lines', () => {
    const text = sensitive()
    expect(text.scrub('note: Owns the bakery')).toBe(`note: ${HIDDEN}`)
    expect(text.scrub('call after 5pm, they said')).toBe(`${HIDDEN}, they said`)
  })

  it('hides a phone however it is written, and leaves other numbers alone', () => {
    const text = sensitive()
    for (const written of ['(415) 555-0132', '415.555.0132', '4155550132', '+1 415 555 0132', '14155550132']) {
      expect(text.scrub(`dialled ${written} twice`)).toBe(`dialled ${HIDDEN} twice`)
    }
    expect(text.scrub('took 1500 ms at 2025-01-15, 42 items')).toBe('took 1500 ms at 2025-01-15, 42 items')
  })

  it('changes nothing when it knows nothing', () => {
    expect(new SensitiveText().scrub('Command failed (Al Li)')).toBe('Command failed (Al Li)')
  })
})

describe('RecentErrors', () => {
  it('keeps warnings and errors, scrubbed of keys, headers, emails and phones as they come in', () => {
    const recent = new RecentErrors(3)
    const calls: string[] = []
    const logger = recordingLogger(
      {
        info: (m) => calls.push(`info ${m}`),
        warn: (m) => calls.push(`warn ${m}`),
        error: (m) => calls.push(`error ${m}`),
      },
      recent,
      () => 1_000,
    )
    logger.info('started')
    logger.warn('Authorization: Basic c2VjcmV0OnNlY3JldA==\nforged line', { apiKey: 'k-123', count: 2 })
    logger.error('mail ada@example.org or call +14155550132', { email: 'ada@example.org', ok: false })

    expect(calls).toEqual([
      'info started',
      'warn Authorization: Basic c2VjcmV0OnNlY3JldA==\nforged line',
      'error mail ada@example.org or call +14155550132',
    ])
    expect(recent.list()).toEqual([
      {
        at: 1_000,
        level: 'warn',
        message: 'Authorization: [REDACTED] forged line',
        details: { apiKey: '[REDACTED]', count: 2 },
      },
      {
        at: 1_000,
        level: 'error',
        message: 'mail [email] or call [phone]',
        details: { email: '[REDACTED]', ok: false },
      },
    ])
  })

  it('drops the oldest past its limit', () => {
    const recent = new RecentErrors(2)
    for (const message of ['one', 'two', 'three']) recent.record('error', message, undefined, 0)
    expect(recent.list().map((entry) => entry.message)).toEqual(['two', 'three'])
  })

  it('never lets a recording failure cost the app its log line', () => {
    const broken = {
      record: () => {
        throw new Error('full')
      },
    } as unknown as RecentErrors
    const seen: string[] = []
    const logger = recordingLogger({ info() {}, warn() {}, error: (m) => seen.push(m) }, broken, () => 0)
    expect(() => logger.error('still logged')).not.toThrow()
    expect(seen).toEqual(['still logged'])
  })
})

describe('formatDiagnostics', () => {
  const report: Diagnostics = {
    generatedAt: '2025-01-15T09:30:00.000Z',
    app: { version: '0.1.0' },
    runtime: {
      electron: '38.1.0',
      chrome: '140.0.7339.41',
      node: '22.19.0',
      platform: 'darwin',
      osRelease: '24.1.0',
      arch: 'arm64',
    },
    connection: {
      configured: true,
      host: 'cloud-staging.cloverhound.com',
      organizationId: 42,
      hasApiKey: true,
      keychainAvailable: true,
    },
    outbox: {
      counts: { queued: 3, sending: 1, sent: 120, needs_fix: 1, unconfirmed: 0, discarded: 4 },
      overdue: 1,
      syncState: 'offline',
      inFlight: 1,
    },
    retention: { flagAfterDays: 1, keepHistoryDays: 30 },
    storage: { outboxSchemaVersion: 1, settingsFileVersion: 1 },
    recentErrors: [
      {
        at: '2025-01-15T09:29:00.000Z',
        level: 'error',
        message: 'A sync round failed',
        details: { reason: 'timer', error: 'TypeError' },
      },
      { at: '2025-01-15T09:29:30.000Z', level: 'warn', message: 'Aborting sends still in flight at stop', details: {} },
    ],
  }

  it('lays the report out as plain text lines', () => {
    expect(formatDiagnostics(report)).toBe(
      [
        'Cloverhound Contacts diagnostics',
        'Generated: 2025-01-15T09:30:00.000Z',
        '',
        'App version: 0.1.0',
        'Electron: 38.1.0',
        'Chrome: 140.0.7339.41',
        'Node: 22.19.0',
        'OS: darwin 24.1.0 (arm64)',
        '',
        'Connection set up: yes',
        'API host: cloud-staging.cloverhound.com',
        'Organization ID: 42',
        'API key stored: yes',
        'System keychain available: yes',
        '',
        'Sync state: offline (1 in flight)',
        'Outbox: queued 3, sending 1, sent 120, needs_fix 1, unconfirmed 0, discarded 4',
        'Overdue: 1',
        'Flag unsent contacts after: 1 day',
        'Keep sent history for: 30 days',
        'Data folder: outbox schema 1, settings file version 1',
        '',
        'Recent errors (last 2, oldest first):',
        '  2025-01-15T09:29:00.000Z error A sync round failed (reason=timer, error=TypeError)',
        '  2025-01-15T09:29:30.000Z warn Aborting sends still in flight at stop',
        '',
      ].join('\n'),
    )
  })

  it('says which parts could not be read', () => {
    const text = formatDiagnostics({ ...report, connection: null, outbox: null, retention: null, recentErrors: [] })
    expect(text).toContain('Connection: could not be read')
    expect(text).toContain('Outbox: could not be read')
    expect(text).toContain('Retention: could not be read')
    expect(text).toContain('Recent errors: none')
  })
})
