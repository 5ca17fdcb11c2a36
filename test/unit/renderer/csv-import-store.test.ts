// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { useCsvImportStore } from '../../../src/renderer/src/stores/csv-import.ts'
import { useFakeBridgeEachTest, type FakeBridge } from './fake-bridge.ts'

let bridge: FakeBridge

useFakeBridgeEachTest((fake) => (bridge = fake))

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Barbara Liskov', 'Radia Perlman']
const FULL_DISK = 'The outbox file could not be written: the disk is full. Free some space, then try again.'

async function openFive(): Promise<ReturnType<typeof useCsvImportStore>> {
  const csv = ['Name,Email', ...NAMES.map((name) => `${name},${name.split(' ')[0]!.toLowerCase()}@example.com`)]
  const store = useCsvImportStore()
  await store.openFile(new File([csv.join('\n')], 'five.csv', { type: 'text/csv' }))
  expect(store.counts).toEqual({ valid: 5, invalid: 0, duplicate: 0 })
  return store
}

describe('Import N contacts', () => {
  it('takes what was imported out of the preview', async () => {
    const store = await openFive()
    await store.importValid()
    expect(store.done).toBe('5 contacts were added to the outbox; they are sent as usual.')
    expect(store.failure).toBeNull()
    expect(store.rows).toEqual([])
  })

  it('after a failure part-way, keeps only the rows main did not write, and imports them alone next time', async () => {
    const store = await openFive()
    bridge.stopNextImport(2, FULL_DISK)
    await store.importValid()

    expect(store.done).toBe('2 contacts were added to the outbox; they are sent as usual.')
    expect(store.failure).toEqual({
      code: 'storage',
      message: `3 other contacts were not added and stay here to import again. ${FULL_DISK}`,
    })
    expect(store.rows.map((row) => row.draft.fullName)).toEqual(NAMES.slice(2))

    await store.importValid()
    expect(store.done).toBe('3 contacts were added to the outbox; they are sent as usual.')
    expect(store.failure).toBeNull()
    expect(store.rows).toEqual([])
    // Each contact went to main once: the second import carried only the three left.
    const sent = bridge.api.importContacts.mock.calls.map(([input]) => input?.drafts.map((draft) => draft.fullName))
    expect(sent).toEqual([NAMES, NAMES.slice(2)])
  })
})
