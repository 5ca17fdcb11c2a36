// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useChangeBatches, type ChangeBatch } from '../../../src/renderer/src/composables/use-change-batches.ts'
import { PAGE_SIZE, useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { deferred, installFakeBridge } from './fake-bridge.ts'

let bridge: ReturnType<typeof installFakeBridge>

const names = () => useOutboxStore().items.map((item) => item.draft.fullName)
const draft = (fullName: string) => ({ fullName, email: '', description: '', phones: [] })

describe('The Outbox list following main', () => {
  beforeEach(() => {
    bridge = installFakeBridge()
    setActivePinia(createPinia())
  })

  afterEach(() => useOutboxStore().stop())

  async function shown() {
    const outbox = useOutboxStore()
    outbox.start()
    await outbox.show()
    return outbox
  }

  it('reads each changed item once per burst, however often it changed', async () => {
    const ids = bridge.seed(5)
    const outbox = await shown()
    for (const id of ids) bridge.worker.deliver(id) // two reports each: sending, then sent
    await outbox.settle()

    expect(bridge.api.getOutboxItems).toHaveBeenCalledTimes(1)
    expect(bridge.api.getOutboxItems.mock.calls[0]![0]!.ids).toHaveLength(5)
    expect(bridge.api.getOutboxItem).not.toHaveBeenCalled()
    expect(outbox.items.map((item) => item.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent'])
  })

  it('reads a burst in one call: the loaded rows it named, and others only to see whether they belong', async () => {
    const ids = bridge.seed(PAGE_SIZE + 50)
    const outbox = await shown()
    // Seeded oldest first, listed newest first: the 50 oldest are below the first page.
    const belowPage = ids.slice(0, 50)
    const onPage = ids.slice(-30)
    for (const id of [...belowPage, ...onPage]) bridge.worker.start(id)
    await outbox.settle()

    expect(bridge.api.getOutboxItems).toHaveBeenCalledTimes(1)
    expect(new Set(bridge.api.getOutboxItems.mock.calls[0]![0]!.ids)).toEqual(new Set([...onPage, ...belowPage]))
    expect(bridge.api.listOutbox).toHaveBeenCalledTimes(1)
    // The rows below the loaded part arrive with their page, not out of order at its end.
    expect(outbox.items).toHaveLength(PAGE_SIZE)
    expect(outbox.items.filter((item) => item.state === 'sending').map((item) => item.id)).toEqual(
      [...onPage].reverse(),
    )
  })

  it('loads the list again instead when main says anything may have changed', async () => {
    const [first] = bridge.seed(2)
    const outbox = await shown()
    bridge.worker.start(first!)
    bridge.emit('outboxChanged', { ids: [] })
    await outbox.settle()

    expect(bridge.api.listOutbox).toHaveBeenCalledTimes(2)
    expect(bridge.api.getOutboxItems).not.toHaveBeenCalled()
    expect(outbox.items.find((item) => item.id === first)?.state).toBe('sending')
  })

  it('puts a new save at the top', async () => {
    bridge.seed(1, () => ({ draft: draft('Old O') }))
    const outbox = await shown()
    await bridge.api.saveContact(draft('New N'))
    await outbox.settle()
    expect(names()).toEqual(['New N', 'Old O'])
    expect(outbox.total).toBe(2)
  })

  it('ignores main before the list is first shown, and reads nothing once stopped', async () => {
    const [id] = bridge.seed(1)
    const outbox = useOutboxStore()
    outbox.start()
    bridge.worker.start(id!)
    await outbox.settle()
    expect(bridge.api.getOutboxItems).not.toHaveBeenCalled()

    await outbox.show()
    expect(outbox.items[0]?.state).toBe('sending')

    outbox.stop()
    bridge.worker.deliver(id!)
    await outbox.settle()
    expect(bridge.api.getOutboxItems).not.toHaveBeenCalled()
    expect(outbox.items[0]?.state).toBe('sending')
  })
})

describe('useChangeBatches', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands over one batch at a time: what arrives meanwhile waits for the batch in hand', async () => {
    const batches: ChangeBatch[] = []
    const inHand = deferred<void>()
    const changes = useChangeBatches(async (batch) => {
      batches.push(batch)
      if (batches.length === 1) await inHand.promise
    })

    changes.add(['a'])
    changes.add(['b', 'a'])
    await vi.advanceTimersByTimeAsync(100)
    expect(batches).toEqual([{ reload: false, ids: ['a', 'b'] }])

    changes.add(['c'])
    changes.add([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(batches).toHaveLength(1)

    inHand.resolve()
    await flushPromises()
    await vi.advanceTimersByTimeAsync(100)
    // A reload covers the ids reported with it.
    expect(batches).toEqual([
      { reload: false, ids: ['a', 'b'] },
      { reload: true, ids: [] },
    ])
  })

  it('settles at once when asked, without waiting for the timer', async () => {
    const batches: ChangeBatch[] = []
    const changes = useChangeBatches(async (batch) => {
      batches.push(batch)
    })
    changes.add(['a'])
    await changes.settle()
    expect(batches).toEqual([{ reload: false, ids: ['a'] }])
  })

  it('keeps what it gathered when cancelled, for the next report to bring', async () => {
    const batches: ChangeBatch[] = []
    const changes = useChangeBatches(async (batch) => {
      batches.push(batch)
    })
    changes.add(['a'])
    changes.cancel()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(batches).toEqual([])

    changes.add(['b'])
    await vi.advanceTimersByTimeAsync(100)
    expect(batches).toEqual([{ reload: false, ids: ['a', 'b'] }])
  })
})
