import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { configure, expect, sandboxSettings, seriousAxeViolations, test } from './fixtures.ts'

const root = resolve(import.meta.dirname, '../..')

// Each test runs axe twice (light and dark) over a form with a country list per phone row.
test.describe.configure({ timeout: 60_000 })

test('a UK and a US number in one contact arrive as the right E.164', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').fill('Ada Lovelace')
  await app.getByLabel('Phone country').nth(0).selectOption('GB')
  await app.getByLabel('Phone number').nth(0).fill('020 7946 0958')
  await app.getByRole('button', { name: 'Add phone' }).click()
  await app.getByLabel('Phone country').nth(1).selectOption('US')
  await app.getByLabel('Phone number').nth(1).fill('(415) 555-0132')
  await expect(app.getByText('+442079460958')).toBeVisible()
  await expect(app.getByText('+14155550132')).toBeVisible()
  expect(await seriousAxeViolations(app)).toEqual([])

  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText(/Created #\d+/)
  expect(sandbox.requests.at(-1)!.json).toEqual({
    full_name: 'Ada Lovelace',
    contact_phones_attributes: [{ number: '+442079460958' }, { number: '+14155550132' }],
  })
  // Ready for the next contact, with one empty row in the country last chosen.
  await expect(app.getByLabel('Phone number')).toHaveValue('')
  await expect(app.getByLabel('Phone country')).toHaveValue('US')
})

test('says why a number is not valid in its row’s country, and where it looks valid', async ({ app }) => {
  await app.getByLabel('Phone country').selectOption('GB')
  await app.getByLabel('Phone number').fill('030 901820')
  await app.getByLabel('Phone number').blur()
  await expect(
    app.getByText('This is not a valid number in the United Kingdom. It looks like a number in Germany'),
  ).toBeVisible()
  await app.getByLabel('Phone number').fill('020 79')
  await expect(app.getByText('This is not a valid number in the United Kingdom: it is too short.')).toBeVisible()
})

test('an extension is kept in Description, visibly, before the contact is saved', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByLabel('Full name').fill('Front Desk')
  await app.getByLabel('Phone number').fill('+1 415 555 0132 ext 7')
  await expect(app.getByText('goes in Description when you leave this field')).toBeVisible()
  await app.getByLabel('Phone number').press('Tab')
  await expect(app.getByLabel('Description')).toHaveValue('+1 415 555 0132 ext. 7')
  await expect(app.getByText('was added to Description')).toBeVisible()
  expect(await seriousAxeViolations(app)).toEqual([])

  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText(/Created #\d+/)
  expect(sandbox.requests.at(-1)!.json).toEqual({
    full_name: 'Front Desk',
    description: '+1 415 555 0132 ext. 7',
    contact_phones_attributes: [{ number: '+14155550132' }],
  })
})

/** `npm run preview:web` as its own process, on `dataDir`; resolves with its address once it listens. */
async function startPreviewProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      'scripts/preview-web.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--in-memory-secrets',
      '--no-build',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`the preview did not start:\n${output}`)), 20_000)
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const found = /Web preview: (\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolveUrl(found[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`the preview exited (${code}):\n${output}`)))
  })
  return { child, url }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    child.once('exit', () => done())
    child.kill('SIGKILL')
  })
}

test('a draft survives a killed preview and comes back with a line saying so', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-e2e-draft-'))
  const children: ChildProcess[] = []
  try {
    const first = await startPreviewProcess(dataDir)
    children.push(first.child)
    await page.goto(first.url)
    await page.getByLabel('Full name').fill('Grace Hopper')
    await page.getByLabel('Phone country').selectOption('GB')
    await page.getByLabel('Phone number').fill('020 7946 0958')
    // Main has it within a second of typing: read the file it keeps, as the next run will.
    await expect
      .poll(() => {
        try {
          return readFileSync(join(dataDir, 'draft.json'), 'utf8')
        } catch {
          return ''
        }
      })
      .toContain('020 7946 0958')

    // Killed: no shutdown, no last write.
    await kill(first.child)
    const second = await startPreviewProcess(dataDir)
    children.push(second.child)
    await page.goto(second.url)
    await expect(page.getByLabel('Full name')).toHaveValue('Grace Hopper')
    await expect(page.getByLabel('Phone number')).toHaveValue('020 7946 0958')
    await expect(page.getByLabel('Phone country')).toHaveValue('GB')
    await expect(page.getByText('The contact you had not saved yet is back')).toBeVisible()
    expect(await seriousAxeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Discard draft' }).click()
    await expect(page.getByLabel('Full name')).toHaveValue('')
    await expect(page.getByText('The contact you had not saved yet is back')).toHaveCount(0)
    await expect.poll(() => JSON.parse(readFileSync(join(dataDir, 'draft.json'), 'utf8')).draft).toBeNull()
  } finally {
    for (const child of children) await kill(child)
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('Mark as sent asks first and can be undone', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  // The request reaches the server and the connection drops: it may have been created.
  sandbox.faults.set({ dropAfterRead: 1 })
  await app.getByLabel('Full name').fill('Mary Jackson')
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByRole('status')).toContainText('Not confirmed')

  await app.getByRole('button', { name: /^Outbox/ }).click()
  const row = app.getByRole('listitem').filter({ hasText: 'Mary Jackson' })
  await row.getByRole('button', { name: 'Mark as sent' }).click()
  const dialog = app.getByRole('dialog', { name: 'Mark as sent?' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('checked that “Mary Jackson” is in Cloverhound')
  expect(await seriousAxeViolations(app)).toEqual([])
  await dialog.getByRole('button', { name: 'Yes, mark as sent' }).click()
  await expect(row).toContainText('Sent — marked by you')

  await app.getByRole('button', { name: 'Undo' }).click()
  await expect(row).toContainText('Not confirmed — may have been created')
  await expect(row.getByRole('button', { name: 'Send again' })).toBeVisible()
  expect(await seriousAxeViolations(app)).toEqual([])
})
