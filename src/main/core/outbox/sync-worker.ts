import type { SyncStatus } from '../../../shared/outbox-schemas.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import type { CloverhoundClient } from '../cloverhound-client.ts'
import type { ConnectionHealth } from '../connection-health.ts'
import type { Connection } from '../credentials.ts'
import { errorName, silentLogger, type Logger } from '../logger.ts'
import { backoffDelay, type BackoffOptions } from './backoff.ts'
import { decideOutcome, interruptedDecision, type SendDecision } from './decide-outcome.ts'
import type { OutboxStore, StoredItem } from './outbox-store-types.ts'
import { recordDecision } from './record-decision.ts'
import { buildSyncStatus } from './sync-status.ts'
import { Lanes, type Lane } from './worker-lanes.ts'
import { TurnBatch } from './turn-batch.ts'
import {
  noKeyForServer,
  requestCredentials,
  resolveConnection,
  sameTarget,
  targetOf,
  type WorkerCredentials,
} from './worker-connection.ts'
import { realTimers, waitFor, type WorkerTimers } from './worker-timers.ts'

/** A few requests at once: enough to drain a backlog, few enough to be polite (keep-alive comes from fetch). */
export const MAX_IN_FLIGHT = 4
/** How long stop() lets in-flight requests finish before cutting them off. */
export const STOP_GRACE_MS = 5_000
/** After an abort, how long to wait for the request to notice before recording it ourselves. */
const ABORT_SETTLE_MS = 1_000
/** "Send now" and coming online make at most this many queued items due in one go. */
const FORCE_BATCH = 500
/** A floor under every timer: whatever goes wrong, the worker cannot spin. */
const MIN_TIMER_MS = 100
/** When a round fails (the disk, say), try again after this long. */
const ERROR_RETRY_MS = 30_000

export type KickReason =
  'startup' | 'enqueue' | 'online' | 'credentials' | 'profiles' | 'send_now' | 'timer' | 'settled'

export interface SyncWorkerOptions {
  store: OutboxStore
  client: Pick<CloverhoundClient, 'createContact'>
  credentials: WorkerCredentials
  now?: () => number
  timers?: WorkerTimers
  /** [0, 1); jitters the backoff. */
  random?: () => number
  /** The platform's idea of connectivity: a hint, corrected by what requests actually do. */
  isOnline?: () => boolean
  logger?: Logger
  /** Items whose row changed. */
  onChange?: (ids: string[]) => void
  /** Called when the status (state, words or counts) changes. */
  onStatus?: (status: SyncStatus) => void
  /** What the server last said about the active profile's connection, carried in the status for Settings. */
  health?: Pick<ConnectionHealth, 'view' | 'stamp' | 'record'>
  maxInFlight?: number
  stopGraceMs?: number
  backoff?: BackoffOptions
}

interface Settled {
  lane: Lane
  id: string
  attempts: number
  decision: SendDecision
  version: number
  /** Its request's; the slot is freed when the outcome is written, if it is still this request's. */
  controller: AbortController
  written: () => void
}

/** Items picked for a lane's freed slots, to start once the commit that marked them `sending` is written. */
interface Refill {
  lane: Lane
  connection: Connection
  items: StoredItem[]
}

interface InFlight {
  controller: AbortController
  done: Promise<void>
  lane: Lane
}

/**
 * Sends the outbox, in the shape of GitHub Desktop's BackgroundFetcher: collaborators injected,
 * triggered by `kick`, one timer for the earliest due item, a `stopped` check after every await,
 * errors logged, never thrown. Items are independent: no order between them is promised. Each connection
 * profile has its own lane (worker-lanes.ts): its items go with its own key, and a refusal pauses only it.
 */
export class SyncWorker {
  readonly #options: SyncWorkerOptions
  readonly #store: OutboxStore
  readonly #now: () => number
  readonly #timers: WorkerTimers
  readonly #logger: Logger
  readonly #maxInFlight: number
  readonly #lanes = new Lanes()
  readonly #inFlight = new Map<string, InFlight>()
  /** Ids to send regardless of their backoff (Send now, coming online). */
  readonly #forced = new Set<string>()
  #stopped = false
  #stopping: Promise<void> | undefined
  #pumping = false
  #again = false
  #timer: unknown
  /** Bumped when credentials change, so an old request's 401 cannot pause the new ones. */
  #credentialsVersion = 0
  #lastStatus = ''
  /** Changed items and the status go out once per turn of the event loop, not once per item. */
  readonly #batch = new TurnBatch((ids, status) => {
    if (ids.length > 0) this.#options.onChange?.(ids)
    if (status) this.#publishNow()
  })
  #settledKickPending = false
  /** Outcomes that came back in the current task, written together once its promises have run. */
  readonly #settled: Settled[] = []

  constructor(options: SyncWorkerOptions) {
    this.#options = options
    this.#store = options.store
    this.#now = options.now ?? Date.now
    this.#timers = options.timers ?? realTimers
    this.#logger = options.logger ?? silentLogger
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? MAX_IN_FLIGHT)
  }

  /** App start: send whatever is due. */
  start(): void {
    this.kick('startup')
  }

  /**
   * Something happened that may make items sendable. Returns at once; the work runs in the background.
   * `credentials` with a profile id: only that profile's settings changed, so only its refusal is forgotten.
   */
  kick(reason: KickReason, profileId?: string): void {
    if (this.#stopped) return
    if (reason === 'credentials') {
      this.#credentialsVersion += 1
      for (const lane of this.#lanes.all()) {
        if (profileId !== undefined && lane.profileId !== profileId) continue
        lane.connection = undefined
        lane.queue.credentialsChanged()
      }
    }
    if (this.#pumping) this.#again = true
    else void this.#pump(reason)
  }

  /** The user's "Send now": one item, or every queued one, without waiting out the backoff. */
  sendNow(id?: string): void {
    if (id !== undefined) this.#forced.add(id)
    const profileId = id === undefined ? undefined : this.#store.get(id, this.#now())?.profileId
    for (const lane of this.#lanes.all()) {
      if (profileId === undefined || lane.profileId === profileId) lane.queue.sendNowRequested(id === undefined)
    }
    this.kick('send_now')
  }

  /** The renderer's online/offline events: offline shows at once; the next answered request corrects it. */
  reportConnectivity(online: boolean): void {
    for (const lane of this.#lanes.all()) lane.queue.connectivityReported(online)
    if (online) this.kick('online')
    else this.publishStatus()
  }

  /** How many requests are in flight (tests and diagnostics). */
  get inFlight(): number {
    return this.#inFlight.size
  }

  /** The active profile's state, the whole outbox's counts, and how many other profiles are stopped with contacts waiting. */
  status(): SyncStatus {
    const now = this.#now()
    const active = this.#lanes.active
    const target = active.connection && targetOf(active.connection.profile)
    let held = target ? this.#store.heldForOtherTargets(target) : 0
    let otherProfilesStopped = 0
    for (const lane of this.#lanes.all()) {
      if (lane === active) continue
      if (this.#stoppedWithWork(lane, now)) otherProfilesStopped += 1
      // Another profile's items for its own organization are not held: its lane sends them.
      const laneTarget = Lanes.targetOf(lane)
      if (target && laneTarget && !sameTarget(laneTarget, target)) {
        held -= this.#store.queuedForProfile({ target: laneTarget, profileId: lane.profileId })
      }
    }
    return buildSyncStatus(active.queue.condition(now), {
      counts: this.#store.counts(now),
      held: Math.max(0, held),
      nextAttemptAt: target ? this.#store.nextAttemptAt(target, active.profileId) : undefined,
      host: target && new URL(target.baseUrl).host,
      now,
      connection: this.#options.health?.view(active.profileId),
      otherProfilesStopped,
    })
  }

  /** Paused by a refusal or without a usable connection while contacts saved for it wait: the user must act. */
  #stoppedWithWork(lane: Lane, now: number): boolean {
    const { state } = lane.queue.condition(now)
    if (state !== 'paused_auth' && state !== 'not_configured') return false
    // Rare (a stopped profile), so the walk over this profile's rows is affordable here.
    const waiting = this.#store.waitingForProfile(lane.profileId)
    return (waiting.queued ?? 0) > 0
  }

  /** Tells onStatus when the status changed (also after commands that change counts), once per turn. */
  publishStatus(): void {
    this.#batch.statusChanged()
  }

  #publishNow(): void {
    try {
      const status = this.status()
      const text = JSON.stringify(status)
      if (text === this.#lastStatus) return
      this.#lastStatus = text
      this.#options.onStatus?.(status)
    } catch (error) {
      this.#logger.error('Sync status unavailable', { error: errorName(error) })
    }
  }

  /**
   * No new sends; in-flight requests get a grace period, then are aborted and recorded as
   * unconfirmed (the server may have read them). Resolves when no row is left `sending`.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<void> {
    try {
      await this.#stopSending()
    } finally {
      // While the store is still open: what changed last is told before the app closes it.
      this.#batch.flush()
    }
  }

  async #stopSending(): Promise<void> {
    this.#stopped = true
    this.#clearTimer()
    const settled = Promise.allSettled([...this.#inFlight.values()].map((flight) => flight.done))
    const grace = this.#options.stopGraceMs ?? STOP_GRACE_MS
    if (this.#inFlight.size === 0 || (await waitFor(settled, grace, this.#timers))) return
    this.#logger.warn('Aborting sends still in flight at stop', { count: this.#inFlight.size })
    for (const flight of this.#inFlight.values()) flight.controller.abort()
    if (await waitFor(settled, ABORT_SETTLE_MS, this.#timers)) return
    // A fetch that ignores its abort signal: record it ourselves; its late reply is then ignored.
    const stuck = [...this.#inFlight.entries()]
    this.#inFlight.clear()
    for (const [id, flight] of stuck) this.#record(flight.lane, id, 0, interruptedDecision(), this.#credentialsVersion)
  }

  async #pump(reason: KickReason): Promise<void> {
    this.#pumping = true
    try {
      do {
        this.#again = false
        await this.#round()
      } while (this.#again && !this.#stopped)
      this.#schedule()
    } catch (error) {
      this.#logger.error('A sync round failed', { reason, error: errorName(error) })
      this.#schedule(this.#now() + ERROR_RETRY_MS)
    } finally {
      this.#pumping = false
    }
    if (!this.#stopped) this.#batch.statusChanged()
  }

  /** Starts sends, profile by profile, until the slots are full or nothing more is due. */
  async #round(): Promise<void> {
    const version = this.#credentialsVersion
    await this.#lanes.refresh(this.#options.credentials)
    const online = this.#options.isOnline?.()
    const started: string[] = []
    for (const lane of this.#lanes.all()) {
      if (this.#stopped || version !== this.#credentialsVersion) break
      if (online !== undefined) lane.queue.applyPlatformHint(online)
      await this.#laneRound(lane, version, started)
    }
    if (started.length > 0) this.#batch.changed(started)
  }

  async #laneRound(lane: Lane, version: number, started: string[]): Promise<void> {
    const connection = lane.connection ?? (await this.#resolve(lane))
    // Credentials changed while they were read: the round that kick asked for reads them again.
    if (this.#stopped || !connection || version !== this.#credentialsVersion) return
    lane.connection = connection
    for (const item of this.#fill(lane, connection)) {
      this.#start(lane, item, connection, version)
      started.push(item.id)
    }
  }

  /**
   * Picks what the lane may send now into its free slots and marks it `sending`, in one write (inside
   * the caller's transaction, when there is one). The requests start only once that is committed.
   */
  #fill(lane: Lane, connection: Connection): StoredItem[] {
    const target = targetOf(connection.profile)
    if (lane.lastTarget && !sameTarget(lane.lastTarget, target)) lane.queue.targetChanged()
    lane.lastTarget = target
    const now = this.#now()
    if (!lane.queue.maySend(now)) return []
    if (lane.queue.takeForceAll()) {
      for (const item of this.#store.due(target, Number.MAX_SAFE_INTEGER, FORCE_BATCH, lane.profileId)) {
        this.#forced.add(item.id)
      }
    }
    const filled: StoredItem[] = []
    for (let free = this.#freeSlots(lane) - filled.length; free > 0; free = this.#freeSlots(lane) - filled.length) {
      // Items filled already are `sending` now, so neither list offers them again.
      const candidates = [
        ...this.#takeForced(lane, target, now, free),
        ...this.#store.due(target, now, free, lane.profileId),
      ]
      const picked = new Set<string>()
      for (const candidate of candidates) {
        if (picked.size < free && !this.#inFlight.has(candidate.id)) picked.add(candidate.id)
      }
      // The items picked together go to `sending` in one transaction.
      const sending = picked.size === 0 ? [] : this.#store.markSendingAll([...picked], this.#now())
      filled.push(...sending)
      if (sending.length === 0) break
    }
    return filled
  }

  /** Slots left for this lane: the worker's overall limit, and the lane's own (one probe while its way is down). */
  #freeSlots(lane: Lane): number {
    let laneInFlight = 0
    for (const flight of this.#inFlight.values()) if (flight.lane === lane) laneInFlight += 1
    const overall = this.#maxInFlight - this.#inFlight.size
    return Math.min(overall, lane.queue.concurrency(this.#maxInFlight) - laneInFlight)
  }

  #takeForced(lane: Lane, target: OutboxTarget, now: number, limit: number): StoredItem[] {
    const items: StoredItem[] = []
    for (const id of this.#forced) {
      if (items.length >= limit) break
      const item = this.#store.get(id, now)
      // Another profile's item waits for that profile's lane.
      if (item?.state === 'queued' && item.profileId !== lane.profileId) continue
      this.#forced.delete(id)
      if (item?.state === 'queued' && sameTarget(item.target, target)) items.push(item)
    }
    return items
  }

  async #resolve(lane: Lane): Promise<Connection | undefined> {
    const resolved = await resolveConnection(this.#options.credentials, lane.profileId)
    lane.queue.connectionResolved(resolved)
    return resolved.connection
  }

  #start(lane: Lane, item: StoredItem, connection: Connection, version: number): void {
    const controller = new AbortController()
    const done = this.#send(lane, item, connection, controller)
      .then((decision) => {
        // stop() gave up on this request and recorded it already.
        if (this.#inFlight.get(item.id)?.controller !== controller) return
        // The slot stays taken until the outcome is written: the commit that writes it refills it.
        return this.#recordTogether({ lane, id: item.id, attempts: item.attempts, decision, version, controller })
      })
      .finally(() => {
        if (this.#inFlight.get(item.id)?.controller === controller) this.#inFlight.delete(item.id)
        this.#kickAfterTurn()
      })
    this.#inFlight.set(item.id, { controller, done, lane })
  }

  async #send(
    lane: Lane,
    item: StoredItem,
    connection: Connection,
    controller: AbortController,
  ): Promise<SendDecision> {
    const credentials = requestCredentials(item.target, connection)
    if (!credentials) return noKeyForServer(item.target)
    const { profile } = credentials
    const { health } = this.#options
    // Each answer is about this lane's profile; Settings shows the active one's.
    const stamp = health?.stamp(lane.profileId)
    try {
      const outcome = await this.#options.client.createContact({
        profile,
        apiKey: credentials.apiKey,
        body: item.request,
        idempotencyKey: item.idempotencyKey,
        signal: controller.signal,
      })
      if (stamp !== undefined) health?.record(lane.profileId, outcome, stamp)
      // No `stopped` check here on purpose: stop() waits for this outcome so no row stays `sending`.
      if (controller.signal.aborted && outcome.kind !== 'created') return interruptedDecision()
      return decideOutcome(outcome, {
        host: new URL(profile.baseUrl).host,
        organizationId: profile.organizationId,
        serverDeduplicates: connection.profile.deduplicatesRetries === true,
      })
    } catch {
      return interruptedDecision()
    }
  }

  #record(lane: Lane, id: string, attempts: number, decision: SendDecision, version: number): void {
    try {
      const now = this.#now()
      const random = this.#options.random ?? Math.random
      const backoff = this.#options.backoff ?? {}
      const effect = recordDecision(this.#store, id, attempts, decision, { now, random, backoff })
      const probeDelay = (failures: number): number => backoffDelay(failures, random, backoff)
      // A lane whose profile was deleted meanwhile has nothing left to pause.
      if (this.#lanes.get(lane.profileId) === lane) {
        lane.queue.apply(effect, version === this.#credentialsVersion, now, probeDelay)
      }
    } catch (error) {
      // The row stays `sending`; the next start-up turns it into `unconfirmed`, so nothing is lost.
      this.#logger.error('Could not record a send', { error: errorName(error) })
    }
    this.#batch.changed([id])
  }

  /** Resolves once the outcome is written (stop() waits for that), with the others that came back in the same task. */
  #recordTogether(outcome: Omit<Settled, 'written'>): Promise<void> {
    return new Promise((written) => {
      if (this.#settled.push({ ...outcome, written }) === 1) {
        queueMicrotask(() => this.#recordSettled())
      }
    })
  }

  /**
   * One transaction and one durable commit for every outcome that came back in the same task (each
   * its own savepoint), written as soon as that task's promises have run: the slot waits for no turn.
   */
  #recordSettled(): void {
    const settled = this.#settled.splice(0)
    const version = this.#credentialsVersion
    let refills: Refill[] = []
    try {
      this.#store.together(() => {
        for (const entry of settled) {
          this.#record(entry.lane, entry.id, entry.attempts, entry.decision, entry.version)
          if (this.#inFlight.get(entry.id)?.controller === entry.controller) this.#inFlight.delete(entry.id)
        }
        refills = this.#refill(version)
      })
    } catch (error) {
      // The rows stay `sending`; the next start-up turns them into `unconfirmed`, so nothing is lost.
      this.#logger.error('Could not record a send', { error: errorName(error) })
      refills = []
    } finally {
      for (const entry of settled) entry.written()
    }
    const started: string[] = []
    for (const { lane, connection, items } of refills) {
      for (const item of items) {
        this.#start(lane, item, connection, version)
        started.push(item.id)
      }
    }
    if (started.length > 0) this.#batch.changed(started)
  }

  /**
   * The slots these outcomes freed, filled in the same commit that records them: one durable commit
   * carries both the outcomes and the next items' `sending`. Lanes whose connection must be read again
   * wait for the round that follows.
   */
  #refill(version: number): Refill[] {
    if (this.#stopped || version !== this.#credentialsVersion) return []
    const refills: Refill[] = []
    for (const lane of this.#lanes.all()) {
      const connection = lane.connection
      if (!connection) continue
      try {
        const items = this.#fill(lane, connection)
        if (items.length > 0) refills.push({ lane, connection, items })
      } catch (error) {
        // Its savepoint is undone; the outcomes still commit, and the next round tries the lane again.
        this.#logger.error('Could not pick the next sends', { error: errorName(error) })
      }
    }
    return refills
  }

  /** Sends that settle in the same turn free their slots together, so one round refills them all. */
  #kickAfterTurn(): void {
    if (this.#settledKickPending) return
    this.#settledKickPending = true
    setImmediate(() => {
      this.#settledKickPending = false
      this.kick('settled')
    })
  }

  /**
   * One timer, for the earliest moment something can be sent (or the server's wait ends, or the
   * keychain may be back): the queue's state decides when.
   */
  #schedule(at?: number): void {
    this.#clearTimer()
    if (this.#stopped) return
    if (at === undefined) {
      at = this.#wakeAt()
      if (at === undefined) return
    }
    this.#timer = this.#timers.setTimeout(
      () => {
        this.#timer = undefined
        this.kick('timer')
      },
      Math.max(MIN_TIMER_MS, at - this.#now()),
    )
  }

  /** The earliest moment any lane with a free slot can send (a busy one's next settle kicks by itself). */
  #wakeAt(): number | undefined {
    const now = this.#now()
    let at: number | undefined
    for (const lane of this.#lanes.all()) {
      if (this.#freeSlots(lane) <= 0) continue
      const target = Lanes.targetOf(lane)
      const laneAt = lane.queue.wakeAt(now, target && this.#store.nextAttemptAt(target, lane.profileId))
      if (laneAt !== undefined) at = Math.min(at ?? laneAt, laneAt)
    }
    return at
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return
    this.#timers.clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
