import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { configure, expect, skipUnlessThrowawayKeychain, test } from './fixtures.ts'

test('a contact saved while the API is unreachable arrives once it is back, exactly once', async ({ window }) => {
  skipUnlessThrowawayKeychain()
  // Note the sandbox's port and credentials, then take it down: the app is set up for an API that is gone.
  const first = await startSandbox()
  const credentials = {
    port: first.port,
    organizationId: first.organizationId,
    apiKeyId: first.apiKeyId,
    apiKey: first.apiKey,
  }
  const baseUrl = first.url
  await first.close()

  await configure(window, { baseUrl, ...credentials })
  await window.getByLabel('Full name').fill('Grace Hopper')
  await window.getByLabel('Email').fill('grace@example.com')
  await window.getByRole('button', { name: 'Save contact' }).click()

  await expect(window.getByRole('status')).toContainText(/when the server can be reached|will try again/i)
  await expect(window.getByLabel('Full name')).toHaveValue('')
  const connection = window.getByRole('region', { name: 'Connection status' })
  await expect(connection).toContainText('Server unreachable')
  await expect(window.getByRole('button', { name: /^Outbox/ })).toContainText('1')

  let sandbox: Sandbox | undefined
  try {
    // The API comes back on the same address with the same credentials.
    sandbox = await startSandbox(credentials)
    const back = sandbox
    // "Send now" in the status line (the backoff timer may beat it to it: then the button is gone).
    const sendNow = connection.getByRole('button', { name: 'Send now' })
    await expect
      .poll(
        async () => {
          if (back.contacts.length === 0 && (await sendNow.isVisible()) && (await sendNow.isEnabled())) {
            await sendNow.click({ timeout: 2_000 }).catch(() => undefined)
          }
          return back.contacts.length
        },
        { timeout: 30_000, intervals: [250, 500, 1_000] },
      )
      .toBe(1)
    await expect(connection).toContainText('Online')

    const contact = back.contacts[0]!
    expect(contact.full_name).toBe('Grace Hopper')
    expect(contact.email).toBe('grace@example.com')

    // The Outbox shows it as sent, with the server's id.
    await window.getByRole('button', { name: /^Outbox/ }).click()
    await window.getByRole('button', { name: 'Sent', exact: true }).click()
    const list = window.getByRole('list', { name: /contacts/i })
    await expect(list).toContainText('Grace Hopper')
    await expect(list.getByText(`Sent — #${contact.id}`)).toBeVisible()
    await window.getByRole('button', { name: /^Waiting to send/ }).click()
    await expect(window.getByText('Nothing is waiting to be sent.')).toBeVisible()

    // Nothing more is sent afterwards: one request, one contact.
    await window.waitForTimeout(1_500)
    expect(back.contacts).toHaveLength(1)
    expect(back.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
  } finally {
    await sandbox?.close()
  }
})
