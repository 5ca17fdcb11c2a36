import { configure, expect, sandboxSettings, test } from './fixtures.ts'

test('creates a contact with two phones and shows its new id', async ({ app, sandbox, preview }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').fill('Ada Lovelace')
  await app.getByLabel('Email').fill('ada@example.com')
  await app.getByLabel('Description').fill('Met at the engine demo')
  // The form offers one empty row; Add phone adds the second.
  await app.getByLabel('Phone number').nth(0).fill('+1 (415) 555-0132')
  await app.getByRole('button', { name: 'Add phone' }).click()
  await app.getByLabel('Phone number').nth(1).fill('+44 20 7946 0958')
  await app.getByRole('button', { name: 'Save contact' }).click()

  const created = app.getByRole('status')
  await expect(created).toContainText(/Created #\d+/)
  expect(sandbox.contacts).toHaveLength(1)
  await expect(created).toContainText(`Created #${sandbox.contacts[0]!.id}`)
  await expect(created).toContainText('+1 415 555 0132')

  const request = sandbox.requests.at(-1)!
  expect(request.json).toEqual({
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    description: 'Met at the engine demo',
    contact_phones_attributes: [{ number: '+14155550132' }, { number: '+442079460958' }],
  })
  const basic = Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')
  expect(request.headers.authorization).toBe(`Basic ${basic}`)
  expect(request.path).toBe(`/${sandbox.organizationId}/contacts`)

  await expect(app.getByLabel('Full name')).toHaveValue('')
  expect(preview.bridgeTraffic.join('\n')).not.toContain(sandbox.apiKey)
  expect(await app.content()).not.toContain(sandbox.apiKey)
})

test('saves with Ctrl+Enter from the keyboard alone', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').focus()
  await app.keyboard.type('Grace Hopper')
  await app.keyboard.press('Control+Enter')
  await expect(app.getByRole('status')).toContainText(/Created #\d+/)
  expect(sandbox.contacts.map((c) => c.full_name)).toEqual(['Grace Hopper'])
})

test('shows the server’s 422 errors at their fields and keeps what was typed', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  sandbox.faults.set({
    nextStatuses: [
      {
        status: 422,
        body: JSON.stringify({
          email: ['has already been taken'],
          'contact_phones_attributes[0].number': ['is reserved'],
        }),
      },
    ],
  })
  await app.getByLabel('Full name').fill('Ada Lovelace')
  await app.getByLabel('Email').fill('ada@example.com')
  await app.getByLabel('Phone number').fill('+14155550132')
  await app.getByRole('button', { name: 'Save contact' }).click()

  await expect(app.getByRole('status')).toContainText('Needs a fix')
  await app.getByRole('button', { name: 'Fix it now' }).click()
  await expect(app.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true')
  await expect(app.getByText('Has already been taken')).toBeVisible()
  await expect(app.getByText('Is reserved')).toBeVisible()
  await expect(app.getByLabel('Full name')).toHaveValue('Ada Lovelace')
  expect(sandbox.contacts).toHaveLength(0)

  // Fixed and saved again, it goes through.
  await app.getByLabel('Email').fill('ada.lovelace@example.com')
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText(/Created #\d+/)
  expect(sandbox.contacts.map((c) => c.email)).toEqual(['ada.lovelace@example.com'])
})

test('checks fields before sending and never calls the API with bad input', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').fill('   ')
  await app.getByLabel('Email').fill('not-an-email')
  await app.getByLabel('Phone number').fill('12')
  await app.getByRole('button', { name: 'Save contact' }).click()

  await expect(app.getByText('Enter the contact’s full name.')).toBeVisible()
  await expect(app.getByText(/name@example\.com/)).toBeVisible()
  await expect(app.getByLabel('Phone number')).toHaveAttribute('aria-invalid', 'true')
  // Only Save settings' connection test reached the server: its blank probe, which creates nothing.
  expect(sandbox.requests.map((request) => request.json)).toEqual([{ full_name: '' }])
})

test('says the credentials are wrong on a 401, keeps the contact, and sends it once they are fixed', async ({
  app,
  sandbox,
  preview,
}) => {
  await configure(app, sandboxSettings(sandbox, { apiKey: 'not-the-key' }))
  await app.getByLabel('Full name').fill('Ada Lovelace')
  await app.getByRole('button', { name: 'Save contact' }).click()

  const status = app.getByRole('region', { name: 'Connection status' })
  await expect(status).toContainText('Paused')
  await expect(status).toContainText(/not accepted/i)
  await expect(app.getByRole('status')).toContainText(/once the API key is accepted/i)
  expect(sandbox.contacts).toHaveLength(0)

  await configure(app, sandboxSettings(sandbox))
  await expect(status).toContainText('Online')
  await expect.poll(() => sandbox.contacts.map((c) => c.full_name)).toEqual(['Ada Lovelace'])
  expect(preview.bridgeTraffic.join('\n')).not.toContain('not-the-key')
  expect(preview.bridgeTraffic.join('\n')).not.toContain(sandbox.apiKey)
  expect(await app.content()).not.toContain('not-the-key')
})

test('saves while the server cannot be reached and says it will send later', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await sandbox.close()
  await app.getByLabel('Full name').fill('Ada Lovelace')
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText(/when the connection is back/i)
  await expect(app.getByRole('region', { name: 'Connection status' })).toContainText('Offline')
  await expect(app.getByLabel('Full name')).toHaveValue('')
})
