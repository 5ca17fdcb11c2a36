// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import type { OutboxItem } from '../../../src/shared/outbox-schemas.ts'
import { listen } from '../../../src/renderer/src/bridge.ts'
import { useFollowedItem, type FollowedItem } from '../../../src/renderer/src/composables/use-followed-item.ts'
import { deferred, installFakeBridge } from './fake-bridge.ts'

let bridge: ReturnType<typeof installFakeBridge>
let followed: FollowedItem
let unsubscribe: () => void

const draft = (fullName: string) => ({ fullName, email: '', description: '', phones: [] })

/** The item as main has it now. */
const current = (id: string): OutboxItem => bridge.item(id)!

beforeEach(() => {
  bridge = installFakeBridge()
  followed = useFollowedItem()
  // Wired to main's events the way the form store wires it.
  unsubscribe = listen('outboxChanged', ({ ids }) => followed.changed(ids))
})

afterEach(() => unsubscribe())

describe('useFollowedItem', () => {
  it('follows its item through the queue and leaves other items alone', async () => {
    const [mine, other] = bridge.seed(2, (n) => ({ draft: draft(['Mine M', 'Other O'][n]!) }))
    followed.follow(current(mine!))

    bridge.worker.deliver(other!, 7)
    await flushPromises()
    expect(bridge.api.getOutboxItems).not.toHaveBeenCalled()

    bridge.worker.start(mine!)
    await flushPromises()
    expect(followed.item.value?.state).toBe('sending')

    bridge.worker.deliver(mine!, 1001)
    await flushPromises()
    expect(followed.item.value?.state).toBe('sent')
    expect(followed.item.value?.contact?.id).toBe(1001)
  })

  it('reads the item again when main says anything may have changed', async () => {
    const [id] = bridge.seed(1)
    followed.follow(current(id!))
    bridge.worker.start(id!)
    await flushPromises()
    bridge.api.getOutboxItems.mockClear()

    bridge.emit('outboxChanged', { ids: [] })
    await flushPromises()
    expect(bridge.api.getOutboxItems).toHaveBeenCalledWith({ ids: [id] })
  })

  it('catches up on a change main reported before the save answered with the item', async () => {
    const stop = followed.noteChanges()
    const saving = bridge.api.saveContact(draft('Grace Hopper'))
    const result = await saving
    if (!result.ok) throw new Error('the save failed')
    // Main sent it before the renderer learned which item it was.
    bridge.worker.deliver(result.value.id, 2024)
    followed.follow(result.value)
    stop()
    await flushPromises()

    expect(followed.item.value?.state).toBe('sent')
    expect(followed.item.value?.contact?.id).toBe(2024)
  })

  it('catches up after a reload announced while the save was on its way', async () => {
    const stop = followed.noteChanges()
    const result = await bridge.api.saveContact(draft('Katherine Johnson'))
    if (!result.ok) throw new Error('the save failed')
    bridge.worker.start(result.value.id)
    bridge.emit('outboxChanged', { ids: [] })
    followed.follow(result.value)
    stop()
    await flushPromises()
    expect(followed.item.value?.state).toBe('sending')
  })

  it('notes nothing once stopped, as after a failed save', async () => {
    const [id] = bridge.seed(1)
    const stop = followed.noteChanges()
    stop()
    bridge.worker.start(id!)
    followed.follow({ ...current(id!), state: 'queued' })
    await flushPromises()
    expect(bridge.api.getOutboxItems).not.toHaveBeenCalled()
    expect(followed.item.value?.state).toBe('queued')
  })

  it('applies only the newest of overlapping reads, even when an older answer comes last', async () => {
    const [id] = bridge.seed(1)
    followed.follow(current(id!))
    const first = deferred<void>()
    const real = bridge.api.getOutboxItems.getMockImplementation()!
    bridge.api.getOutboxItems.mockImplementationOnce(async (input) => {
      const answer = await real(input)
      await first.promise
      return answer
    })

    bridge.worker.start(id!) // read 1 answers "sending", held back
    await flushPromises()
    bridge.worker.deliver(id!, 5) // read 2 answers "sent" at once
    await flushPromises()
    expect(followed.item.value?.state).toBe('sent')

    first.resolve()
    await flushPromises()
    expect(followed.item.value?.state).toBe('sent')
  })

  it('drops an answer that arrives after the item was let go', async () => {
    const [id] = bridge.seed(1)
    followed.follow(current(id!))
    const held = deferred<Result<{ items: OutboxItem[] }>>()
    bridge.api.getOutboxItems.mockImplementationOnce(() => held.promise)
    bridge.worker.start(id!)
    await flushPromises()

    followed.follow(null)
    held.resolve({ ok: true, value: { items: [current(id!)] } })
    await flushPromises()
    expect(followed.item.value).toBeNull()
  })
})
