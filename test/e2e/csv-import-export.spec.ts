import Papa from 'papaparse'
import { readFile } from 'node:fs/promises'
import { configure, expect, sandboxSettings, seriousAxeViolations, test } from './fixtures.ts'

/** 12 rows as a spreadsheet would save them: semicolons, a quoted line break, a first + last name, and 2 bad rows. */
const ROWS = [
  ['First name', 'Last name', 'E-mail', 'Notes', 'Mobile', 'Work phone'],
  ['Ada', 'Lovelace', 'ada@example.com', 'Met at the conference;\nwants a demo', '+44 20 7946 0958', ''],
  ['Grace', 'Hopper', 'grace@example.com', '', '(415) 555-0132', '+1 212 555 0100'],
  ['Katherine', 'Johnson', 'katherine@example.com', '', '', ''],
  ['Alan', 'Turing', 'not-an-email', '', '', ''],
  ['Margaret', 'Hamilton', 'margaret@example.com', '', '415 555 0199', ''],
  ['Edsger', 'Dijkstra', '', '', '+31 20 555 0100', ''],
  ['', '', 'nobody@example.com', 'no name at all', '', ''],
  ['Barbara', 'Liskov', 'barbara@example.com', '', '', ''],
  ['Donald', 'Knuth', 'donald@example.com', '', '', ''],
  ['Frances', 'Allen', 'frances@example.com', '', '', ''],
  ['Radia', 'Perlman', 'radia@example.com', '', '', ''],
  ['Tim', 'Berners-Lee', 'tim@example.com', '', '', ''],
]

function csvFile(): Buffer {
  return Buffer.from(Papa.unparse(ROWS, { delimiter: ';', newline: '\r\n' }), 'utf8')
}

test('a 12-row CSV with 2 bad rows imports the 10 good ones exactly once and shows the 2 with their errors', async ({
  app,
  sandbox,
}) => {
  test.setTimeout(90_000)
  await configure(app, sandboxSettings(sandbox))
  await app.getByRole('button', { name: /^Outbox/ }).click()
  await app.getByRole('button', { name: 'Import CSV' }).click()
  await expect(app.getByRole('heading', { name: 'Import CSV' })).toBeVisible()

  // The web preview has no dialog in main: Choose asks main, which says to use the page's file input.
  await app.getByRole('button', { name: 'Choose a CSV file…' }).click()
  await app.getByLabel('CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: csvFile() })

  await expect(app.getByText('contacts.csv: 12 rows, separated by semicolons, UTF-8.')).toBeVisible()
  // Columns mapped from their headings, each changeable.
  await expect(app.getByLabel('E-mail', { exact: true })).toHaveValue('email')
  await expect(app.getByLabel('Mobile', { exact: true })).toHaveValue('phone')
  await expect(app.getByLabel('Notes', { exact: true })).toHaveValue('description')
  await app.getByLabel('Phone country for numbers without +').selectOption('US')
  await expect(app.getByText('10 ready · 2 need fixing · 0 possible duplicates')).toBeVisible()

  const rows = app.getByRole('list', { name: 'Rows to import' })
  const turing = rows.getByRole('listitem').filter({ hasText: 'Row 5' })
  await expect(turing.getByLabel('E-mail, row 5')).toHaveAttribute('aria-invalid', 'true')
  await expect(turing).toContainText('Enter an email address like name@example.com.')
  const nameless = rows.getByRole('listitem').filter({ hasText: 'Row 8' })
  await expect(nameless.getByLabel('First name, row 8')).toHaveAttribute('aria-invalid', 'true')
  await expect(nameless).toContainText('Enter the contact’s full name.')
  expect(await seriousAxeViolations(app)).toEqual([])

  await app.getByRole('button', { name: 'Import 10 contacts' }).click()
  await expect(app.getByText('10 contacts were added to the outbox; they are sent as usual.')).toBeVisible()
  // The two that need fixing stay in the preview, with their errors.
  await expect(rows.getByRole('listitem')).toHaveCount(2)
  await expect(app.getByText('0 ready · 2 need fixing · 0 possible duplicates')).toBeVisible()

  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(10)
  const names = sandbox.contacts.map((contact) => contact.full_name).sort()
  expect(new Set(names).size).toBe(10)
  expect(names).toContain('Ada Lovelace')
  expect(names).not.toContain('Alan Turing')
  const grace = sandbox.contacts.find((contact) => contact.full_name === 'Grace Hopper')
  expect(grace?.contact_phones?.map((phone) => phone.number)).toEqual(['+14155550132', '+12125550100'])
  const ada = sandbox.contacts.find((contact) => contact.full_name === 'Ada Lovelace')
  expect(ada?.description).toBe('Met at the conference;\nwants a demo')

  // Fixed in the preview: Turing's email, checked again, then imported on its own.
  await turing.getByLabel('E-mail, row 5').fill('alan@example.com')
  await turing.getByLabel('E-mail, row 5').press('Tab')
  await expect(app.getByText('1 ready · 1 needs fixing · 0 possible duplicates')).toBeVisible()
  await app.getByRole('button', { name: 'Import 1 contact' }).click()
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(11)
  expect(sandbox.contacts.filter((contact) => contact.full_name === 'Alan Turing')).toHaveLength(1)
})

test('rows that repeat an earlier row are flagged, and left out unless the user includes them', async ({
  app,
  sandbox,
}) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByRole('button', { name: 'Import CSV' }).click()
  const file =
    'Name,Email,Phone\r\nAda Lovelace,ada@example.com,+44 20 7946 0958\r\nAda L.,ADA@example.com,\r\nGrace Hopper,grace@example.com,\r\n'
  await app.getByRole('button', { name: 'Choose a CSV file…' }).click()
  await app
    .getByLabel('CSV file')
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
  await expect(app.getByText('2 ready · 0 need fixing · 1 possible duplicate')).toBeVisible()
  await expect(app.getByRole('list', { name: 'Rows to import' })).toContainText('Same email or phone as row 2.')
  await expect(app.getByRole('button', { name: 'Import 2 contacts' })).toBeVisible()
  await app.getByLabel('Also import possible duplicates').check()
  await expect(app.getByRole('button', { name: 'Import 3 contacts' })).toBeVisible()
})

test('a row that repeats a contact already sent to this organization is flagged with its name and id', async ({
  app,
  sandbox,
}) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').fill('Grace Hopper')
  await app.getByLabel('Phone number').fill('(415) 555-0132')
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText(/Created #\d+/)
  const id = sandbox.contacts[0]!.id

  await app.getByRole('button', { name: 'Import CSV' }).click()
  const file = 'Name,Phone\r\nAmazing Grace,+1 415 555 0132\r\nAlan Turing,+44 1908 640404\r\n'
  await app.getByRole('button', { name: 'Choose a CSV file…' }).click()
  await app
    .getByLabel('CSV file')
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
  await expect(app.getByText('1 ready · 0 need fixing · 1 possible duplicate')).toBeVisible()
  await expect(app.getByRole('list', { name: 'Rows to import' })).toContainText(
    `May already exist: Grace Hopper — sent #${id}.`,
  )
  await app.getByRole('button', { name: 'Import 1 contact' }).click()
  await expect.poll(() => sandbox.contacts.map((contact) => contact.full_name)).toEqual(['Grace Hopper', 'Alan Turing'])
})

test('Export CSV of the history has the right columns, server ids and dates, and reads back with papaparse', async ({
  app,
  sandbox,
}) => {
  await configure(app, sandboxSettings(sandbox))
  for (const name of ['Ada Lovelace', '=HYPERLINK("http://evil.example")']) {
    await app.getByLabel('Full name').fill(name)
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByLabel('Full name')).toHaveValue('')
  }
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(2)
  await app.getByRole('button', { name: /^Outbox/ }).click()
  await app.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Sent/ }).click()
  const download = app.waitForEvent('download')
  await app.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^cloverhound-contacts-sent-\d{4}-\d{2}-\d{2}\.csv$/)
  const text = await readFile(await file.path(), 'utf8')
  expect(text.startsWith('\uFEFF')).toBe(true)
  expect(text).toContain('\r\n')
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true })
  expect(parsed.meta.fields).toEqual([
    'Full name',
    'Email',
    'Description',
    'Phone numbers',
    'Phone country',
    'State',
    'Saved at',
    'Organization ID',
    'Base URL',
    'Cloverhound contact ID',
    'Sent at',
    'Last error',
  ])
  expect(parsed.data).toHaveLength(2)
  const ids = sandbox.contacts.map((contact) => String(contact.id)).sort()
  expect(parsed.data.map((row) => row['Cloverhound contact ID']).sort()).toEqual(ids)
  for (const row of parsed.data) {
    expect(row.State).toBe('sent')
    expect(Number.isNaN(Date.parse(row['Sent at']!))).toBe(false)
  }
  // A cell a spreadsheet would run as a formula is written as text.
  expect(parsed.data.map((row) => row['Full name'])).toContain('\'=HYPERLINK("http://evil.example")')
  await expect(app.getByRole('status').filter({ hasText: 'Exported 2 contacts.' })).toBeVisible()
})

test('Export CSV while searching exports just the contacts the search shows', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  for (const [name, phone] of [
    ['Ada Lovelace', '(415) 555-0132'],
    ['Grace Hopper', '(415) 555-0199'],
    ['Alan Turing', '+44 1908 640404'],
  ] as const) {
    await app.getByLabel('Full name').fill(name)
    await app.getByLabel('Phone number').fill(phone)
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByLabel('Full name')).toHaveValue('')
  }
  await expect.poll(() => sandbox.contacts.length).toBe(3)
  await app.getByRole('button', { name: /^Outbox/ }).click()
  await app.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^All/ }).click()
  await app.getByLabel('Search contacts').fill('415 555')
  await expect(app.getByText('2 contacts match')).toBeVisible()

  const download = app.waitForEvent('download')
  await app.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^cloverhound-contacts-search-\d{4}-\d{2}-\d{2}\.csv$/)
  const text = await readFile(await file.path(), 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true })
  expect(parsed.data.map((row) => row['Full name']).sort()).toEqual(['Ada Lovelace', 'Grace Hopper'])
  await expect(app.getByRole('status').filter({ hasText: 'Exported 2 contacts.' })).toBeVisible()
})
