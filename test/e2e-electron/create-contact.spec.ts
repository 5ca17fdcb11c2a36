import { configure, expect, sandboxSettings, skipUnlessThrowawayKeychain, test } from './fixtures.ts'

test('a contact typed into the app reaches the API through main, with the key from the keychain', async ({
  window,
  sandbox,
}) => {
  skipUnlessThrowawayKeychain()
  await configure(window, sandboxSettings(sandbox))
  await window.getByLabel('Full name').fill('Ada Lovelace')
  await window.getByLabel('Email').fill('ada@example.com')
  await window.getByLabel('Description').fill('Met at the engine demo')
  await window.getByRole('button', { name: 'Add phone' }).click()
  await window.getByLabel('Phone number').nth(0).fill('+1 (415) 555-0132')
  await window.getByRole('button', { name: 'Add phone' }).click()
  await window.getByLabel('Phone number').nth(1).fill('+44 20 7946 0958')
  await window.getByRole('button', { name: 'Save contact' }).click()

  const created = window.getByRole('status')
  await expect(created).toContainText(/Created #\d+/)
  expect(sandbox.contacts).toHaveLength(1)
  await expect(created).toContainText(`Created #${sandbox.contacts[0]!.id}`)

  // Exactly the spec's request body, sent once, with Basic auth made in main from the stored key.
  const posts = sandbox.requests.filter((request) => request.method === 'POST')
  expect(posts).toHaveLength(1)
  const request = posts[0]!
  expect(request.path).toBe(`/${sandbox.organizationId}/contacts`)
  expect(request.headers['content-type']).toMatch(/^application\/json/)
  expect(request.json).toEqual({
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    description: 'Met at the engine demo',
    contact_phones_attributes: [{ number: '+14155550132' }, { number: '+442079460958' }],
  })
  const basic = Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')
  expect(request.headers.authorization).toBe(`Basic ${basic}`)
  expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/i)

  // The form is ready for the next contact.
  await expect(window.getByLabel('Full name')).toHaveValue('')
})
