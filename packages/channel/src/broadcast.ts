/**
 * `broadcast`: every receiver gets every value sent after it subscribed.
 * Each receiver has its own buffer of `capacity` values; the `overflow`
 * policy says what happens when one is full: `suspend` makes senders wait for
 * the slowest receiver, `drop-oldest` makes a lagging receiver skip its oldest
 * values, `drop-newest` makes it miss the new one, `reject` refuses the send.
 * A receiver that skipped or missed values learns how many on its next
 * receive (`{ lagged: n }`).
 *
 * Ownership: a value delivered to at least one receiver is delivered; a value
 * that every receiver dropped (or that was sent while nobody subscribed) is
 * passed to `onDrop` exactly once.
 */

import type { DropReason, Overflow, ReceiveResult, TrySendResult } from "./channel.js"
import { ChannelClosedError, ChannelFullError } from "./errors.js"
import { DROP_NEWEST, DROP_OLDEST, dropTo, keepFirstReason, OVERFLOW_NAMES, REJECT } from "./internal/core.js"
import { checkMax, DISPOSE } from "./internal/handles.js"
import { Latch } from "./internal/latch.js"
import { later } from "./internal/later.js"
import { Ring, type Queue } from "./internal/queue.js"
import { SELECT, type Port } from "./internal/select-core.js"
import { checkWaitOptions, Pending, type WaitOptions } from "./internal/wait.js"
import { WaitList } from "./internal/wait-list.js"
import { NOT_READY, park, portOf, SelectWake, type Wake } from "./internal/wake.js"

/** Options of `broadcast()`. */
export interface BroadcastOptions<T> {
  /** Values each receiver buffers: an integer >= 1, or `Infinity`. Required. */
  readonly capacity: number
  /**
   * What a send does when some receiver's buffer is full.
   * @defaultValue "suspend"
   */
  readonly overflow?: Overflow
  /** Called once for every accepted value that no receiver will ever get. */
  readonly onDrop?: (value: T, reason: DropReason) => void
}

/** What a broadcast receive gives: a value, the end, or how many values this receiver missed. */
export type BroadcastResult<T> = ReceiveResult<T> | { done: false; lagged: number; value: undefined }

export type BroadcastState = "open" | "closing" | "closed" | "cancelled"

/** The sending handle of a broadcast. */
export interface BroadcastSender<T> extends Disposable {
  readonly state: BroadcastState
  readonly capacity: number
  readonly senders: number
  /** Subscribed receivers. */
  readonly receivers: number
  readonly pendingSends: number
  /** Resolves when no value can be sent any more. Never rejects. */
  readonly closed: Promise<void>
  /** Sends to every receiver; under `suspend` waits while any receiver's buffer is full. */
  send(value: T, options?: WaitOptions): Promise<void>
  trySend(value: T): TrySendResult<T>
  /** A new receiver that gets every value sent from now on. */
  subscribe(): BroadcastReceiver<T>
  clone(): BroadcastSender<T>
  /** Releases this handle; the last release closes the broadcast. With a reason, closes at once. */
  close(reason?: unknown): void
}

/** A receiving handle of a broadcast; async iteration yields values and skips lag reports. */
export interface BroadcastReceiver<T> extends Disposable, AsyncIterable<T, undefined, undefined> {
  /** Values waiting in this receiver's buffer. */
  readonly size: number
  /** Resolves when this receiver will get no more values. Never rejects. */
  readonly closed: Promise<void>
  /** Values this receiver skipped or missed since it subscribed (lag, whether reported or not). */
  readonly missed: number
  receive(options?: WaitOptions): Promise<BroadcastResult<T>>
  /**
   * Waits until at least one value is buffered for this receiver, then takes
   * up to `max` at once. Resolves `[]` only when done. Lag is not reported in
   * a batch: it is counted in `missed`.
   */
  receiveMany(max: number, options?: WaitOptions): Promise<T[]>
  /** Takes up to `max` buffered values now (all by default); lag is counted in `missed`. */
  tryReceiveMany(max?: number): T[]
  tryReceive():
    | { ok: true; value: T }
    | { ok: true; lagged: number }
    | { ok: false; reason: "empty" | "closed"; error?: unknown }
  /**
   * Unsubscribes: this receiver's buffered values are given up (a value no
   * other receiver got goes to `onDrop(v, "cancel")`). With a reason, cancels
   * the whole broadcast. Idempotent.
   */
  cancel(reason?: unknown): void
}

const OPEN = 0
const CLOSING = 1
const CLOSED = 2
const CANCELLED = 3
const NAMES = ["open", "closing", "closed", "cancelled"] as const
const RESOLVED = Promise.resolve()
const TRY_OK: TrySendResult<never> = Object.freeze({ ok: true })
const DONE: ReceiveResult<never> = Object.freeze({ done: true, value: undefined })
/** Slots the shared log starts with (it doubles up to what the capacity needs). */
const LOG_MIN = 16
/** An empty log larger than this gives its memory back. */
const LOG_KEEP = 1024

/**
 * A value of a private buffer (drop-newest), shared by several buffers;
 * tracked only when there is an `onDrop` to call.
 */
interface Entry<T> {
  value: T
  left: number // buffers that still hold it or will decide about it
  delivered: boolean
}

class Sub<T> {
  /**
   * Position of this receiver's next read in the shared log; below
   * `bus.head` when drop-oldest overwrote values it had not read (lag).
   */
  cursor = 0
  /** This receiver's own buffer, under drop-newest only (a shared log cannot skip a value for one reader). */
  readonly own: Queue<T | Entry<T>> | null
  lagged = 0 // values skipped or missed, not yet reported by a receive
  missed = 0 // values skipped or missed since subscribing (lag not yet noticed excluded)
  index = -1 // position in bus.subs; -1 once unsubscribed
  readonly waiters = new WaitList<Wake<BroadcastResult<T>>>()
  readonly done = new Latch() // opens when this receiver will get no more values
  deferred = 0 // settlements of this receiver's receives deferred a microtask, not yet run
  #endAfter = false // open `done` once the deferred settlements have run

  constructor(own: Queue<T | Entry<T>> | null) {
    this.own = own
  }

  /** Opens `done`, after this receiver's deferred settlements (those queued later too). */
  end(): void {
    if (this.deferred === 0) this.done.open()
    else this.#endAfter = true
  }

  /** Runs `settle` a microtask later, behind this receiver's deferred settlements. */
  later(settle: () => void): void {
    later(this, () => {
      settle()
      if (this.deferred === 0 && this.#endAfter) {
        this.#endAfter = false
        this.done.open()
      }
    })
  }
}

/**
 * A parked `receiveMany`: handed its first value like any receive, it settles
 * (a microtask later, see `#wakeReaders`) with that value and whatever else
 * arrived meanwhile: one wake-up per burst.
 */
class BatchWake<T> extends Pending<T[]> implements Wake<BroadcastResult<T>> {
  constructor(
    readonly bus: Bus<T>,
    readonly sub: Sub<T>,
    readonly owner: unknown,
    readonly max: number,
  ) {
    super()
  }
  wake(first: BroadcastResult<T>): void {
    if (first.done) {
      this.disarm()
      this.resolve([])
      return
    }
    const out = this.bus.takeMany(this.sub, "lagged" in first ? [] : [first.value], this.max)
    if (out.length === 0 && this.sub.index >= 0 && !this.bus.ended) {
      // Woken by a lag report only (a batch carries values): wait on, still armed.
      this.bus.parked++
      this.sub.waiters.push(this)
      return
    }
    this.disarm()
    this.resolve(out)
  }
  fail(error: unknown): void {
    this.disarm()
    this.reject(error)
  }
}

class BusSend<T> extends Pending<void> {
  constructor(
    readonly bus: Bus<T>,
    readonly value: T,
  ) {
    super()
  }
  protected override left(): void {
    this.bus.senderLeft()
  }
}

/**
 * The broadcast's state. Values live in one shared log (tokio's design): a
 * ring of slots addressed by sequence number, which every receiver reads at
 * its own cursor. A send writes once, whatever the number of receivers. The
 * log counts the receivers at each position (`at`), so a receiver moving on,
 * one value or a batch, is O(1), and the oldest slots are freed as soon as no
 * receiver stands at or before them. A receiver's buffer is the part of the
 * log after its cursor, so "some receiver's buffer is full" is
 * `tail - head === capacity`; drop-oldest overwrites the oldest slot and the
 * receivers that had not read it notice the lag when they next read.
 *
 * Drop-newest is the exception: a full receiver must miss a value the others
 * get, which a shared log cannot express in bounded memory, so under
 * drop-newest (with a finite capacity) each receiver has its own buffer.
 */
class Bus<T> {
  readonly capacity: number
  readonly overflow: number
  readonly onDrop: ((value: T, reason: DropReason) => void) | undefined
  state = OPEN
  reason: unknown = undefined
  hasReason = false
  readonly subs: Sub<T>[] = [] // subscribed receivers, unordered
  readonly sendq = new WaitList<BusSend<T>>()
  senders = 1
  /** Receivers that parked a waiter since the last wake-up pass: 0 means none waits. */
  parked = 0
  readonly #txClosed = new Latch() // opens when sends end
  #waking = false // inside #wakeReaders
  #admitAfterWake = false // room appeared inside #wakeReaders: admit when it ends
  ownHeld = 0 // values in the receivers' own buffers (drop-newest)
  // The shared log (`slots` is null under drop-newest). Outside [head, tail]
  // every slot is undefined and every count 0.
  slots: (T | undefined)[] | null
  at: Int32Array // per position in [head, tail]: subscribed receivers whose next read is there
  taken: Uint8Array | null // per slot: whether some receiver read it (only with onDrop)
  mask: number // slots.length - 1 (a power of two)
  head = 0 // oldest position some receiver still needs (== tail when the log is empty)
  tail = 0 // position of the next value sent

  constructor(capacity: number, overflow: number, onDrop: ((value: T, reason: DropReason) => void) | undefined) {
    this.capacity = capacity
    this.overflow = overflow
    this.onDrop = onDrop
    const shared = overflow !== DROP_NEWEST || capacity === Infinity
    const size = shared ? logSize(Math.min(capacity + 1, LOG_MIN)) : 1
    this.slots = shared ? emptySlots(size) : null
    this.at = new Int32Array(size)
    this.taken = shared && onDrop !== undefined ? new Uint8Array(size) : null
    this.mask = size - 1
  }

  txClosed(): Promise<void> {
    return this.#txClosed.promise()
  }

  subscribe(): Sub<T> {
    const sub = new Sub<T>(this.slots !== null ? null : new Ring(Math.min(this.capacity, LOG_MIN)))
    sub.cursor = this.tail
    if (this.ended) return sub // no value will be sent any more: done at once
    sub.index = this.subs.length
    this.subs.push(sub)
    this.at[this.tail & this.mask]!++
    return sub
  }

  /** Whether a send would be accepted now without waiting. */
  canSend(): boolean {
    return (
      this.sendq.length === 0 &&
      (this.tail - this.head < this.capacity || this.overflow === DROP_OLDEST || this.overflow === DROP_NEWEST)
    )
  }

  /** Values waiting for `sub`. */
  size(sub: Sub<T>): number {
    if (sub.own !== null) return sub.own.length
    return sub.index < 0 ? 0 : this.tail - Math.max(sub.cursor, this.head)
  }

  /** Whether a receive by `sub` would complete now. */
  ready(sub: Sub<T>): boolean {
    return sub.lagged > 0 || this.size(sub) > 0 || sub.cursor < this.head || sub.index < 0 || this.ended
  }

  /** Notes the values drop-oldest overwrote before `sub` read them: it reports them on its next receive. */
  #catchUp(sub: Sub<T>): void {
    if (sub.cursor < this.head && sub.own === null) {
      const n = this.head - sub.cursor
      sub.lagged += n
      sub.missed += n
      sub.cursor = this.head
    }
  }

  missed(sub: Sub<T>): number {
    if (sub.index >= 0) this.#catchUp(sub)
    return sub.missed
  }

  // Hands the value to every subscriber: written once to the log (or to each own buffer).
  deliver(value: T): void {
    if (this.subs.length === 0) {
      // Nobody subscribed: the value is accepted and nobody will get it.
      this.drop(value, "cancel")
      return
    }
    if (this.slots === null) {
      this.#deliverOwn(value)
      return
    }
    let evicted = false
    let lost: T | undefined
    if (this.tail - this.head >= this.capacity) {
      // Only drop-oldest sends into a full log: the oldest value goes, and the
      // receivers that had not read it move on to the next (they lag).
      const i = this.head & this.mask
      if (this.taken !== null && this.taken[i] === 0) {
        evicted = true
        lost = this.slots[i]
      }
      this.slots[i] = undefined
      this.at[(i + 1) & this.mask]! += this.at[i]!
      this.at[i] = 0
      this.head++
    } else if (this.tail - this.head + 2 > this.mask + 1) this.#resize((this.mask + 1) * 2)
    const i = this.tail & this.mask
    this.slots![i] = value
    if (this.taken !== null) this.taken[i] = 0
    this.tail++
    if (this.parked !== 0) this.#wakeReaders()
    if (evicted) this.drop(lost as T, "overflow")
  }

  /**
   * A waiting receiver had nothing to read, so the value just written is its
   * next one: it is handed over now. A plain receive (or receiveMany) settles
   * one microtask later, after the sender's own continuation: a sender and
   * receivers that await every value would otherwise run in lock-step, each
   * receive finding the log empty and parking again (the channel core paces
   * its receivers the same way). A select case wins at once (it must withdraw
   * its other cases in the same call).
   */
  #wakeReaders(): void {
    const subs = this.subs
    let still = 0
    this.#waking = true
    try {
      for (let k = 0; k < subs.length; k++) {
        const sub = subs[k]!
        const w = sub.waiters.head
        if (w === null) continue
        const r = this.poll(sub)
        if (r === NOT_READY) {
          still++
          continue
        }
        sub.waiters.remove(w)
        if (w instanceof SelectWake) w.wake(r)
        else sub.later(() => w.wake(r))
        if (sub.waiters.head !== null) still++
      }
    } finally {
      this.#waking = false
    }
    this.parked = still
    if (this.#admitAfterWake) {
      // Reading in the pass made room: admit waiting senders now.
      this.#admitAfterWake = false
      this.#admitWaiting()
    }
  }

  /** Moves the log into a ring of `size` slots, each live position to its place there. */
  #resize(size: number): void {
    const slots = emptySlots<T>(size)
    const at = new Int32Array(size)
    const taken = this.taken === null ? null : new Uint8Array(size)
    const mask = size - 1
    for (let s = this.head; s <= this.tail; s++) {
      const i = s & this.mask
      const j = s & mask
      slots[j] = this.slots![i]
      at[j] = this.at[i]!
      if (taken !== null) taken[j] = this.taken![i]!
    }
    this.slots = slots
    this.at = at
    this.taken = taken
    this.mask = mask
  }

  /** Moves `sub`'s next read from `from` (>= head) to `to`. */
  #move(sub: Sub<T>, from: number, to: number): void {
    sub.cursor = to
    this.at[to & this.mask]!++
    this.#leave(from)
  }

  /**
   * A receiver's next read leaves position `from` (>= head). When that leaves
   * nobody at the head, the oldest slots are freed and waiting senders
   * admitted if that made room. A reader moving on has read what it passes,
   * so only an unsubscribe can free a value nobody read: it goes to
   * `onDrop(v, "cancel")`.
   */
  #leave(from: number): void {
    if (--this.at[from & this.mask]! === 0 && from === this.head) this.#advance()
  }

  #advance(): void {
    const slots = this.slots!
    const at = this.at
    const taken = this.taken
    const mask = this.mask
    const wasFull = this.tail - this.head >= this.capacity
    let head = this.head
    const tail = this.tail
    let lost: T[] | undefined
    while (head < tail && at[head & mask] === 0) {
      const i = head & mask
      if (taken !== null && taken[i] === 0) (lost ??= []).push(slots[i] as T)
      slots[i] = undefined
      head++
    }
    this.head = head
    if (head === tail) {
      // Empty and large: give the memory back (it regrows by doubling if needed).
      if (mask >= LOG_KEEP) this.#resize(LOG_MIN)
      this.#closeIfDrained()
    }
    if (wasFull && this.sendq.length > 0) {
      // Not inside a wake-up pass: admitting delivers, and a nested pass would
      // hand a waiter that is being handed a value a second one.
      if (this.#waking) this.#admitAfterWake = true
      else this.#admitWaiting()
    }
    if (lost !== undefined) for (const v of lost) this.drop(v, "cancel")
  }

  // Drop-newest: each receiver's own buffer, as a waiting receive, a push, or a miss.
  #deliverOwn(value: T): void {
    const subs = this.subs
    const n = subs.length
    const entry: Entry<T> | undefined =
      this.onDrop === undefined ? undefined : { value, left: n, delivered: false }
    const capacity = this.capacity
    let lost = false
    let still = 0
    for (let k = 0; k < n; k++) {
      const sub = subs[k]!
      const w = sub.waiters.head === null ? null : sub.waiters.shift()
      if (w !== null) {
        if (entry !== undefined) {
          entry.left--
          entry.delivered = true
        }
        w.wake({ done: false, value })
        if (sub.waiters.head !== null) still++
        continue
      }
      const own = sub.own!
      if (own.length < capacity) {
        own.push(entry ?? value)
        this.ownHeld++
      } else {
        sub.lagged++
        sub.missed++
        if (entry !== undefined && --entry.left === 0) lost = true
      }
    }
    this.parked = still
    if (lost && !entry!.delivered) this.drop(value, "overflow")
  }

  /** An own buffer gives up a value it held: the last to give up an undelivered value drops it. */
  #release(x: T | Entry<T>, reason: DropReason): void {
    if (this.onDrop === undefined) return
    const e = x as Entry<T>
    if (--e.left === 0 && !e.delivered) this.drop(e.value, reason)
  }

  drop(value: T, reason: DropReason): void {
    dropTo(this.onDrop, value, reason)
  }

  /** Takes the next value of `sub`. Precondition: `size(sub) > 0`, no lag pending. */
  #takeOne(sub: Sub<T>): T {
    const own = sub.own
    if (own !== null) {
      const x = own.shift()
      if (--this.ownHeld === 0) this.#closeIfDrained()
      if (this.onDrop === undefined) return x as T
      const e = x as Entry<T>
      e.left--
      e.delivered = true
      return e.value
    }
    const c = sub.cursor
    const i = c & this.mask
    const value = this.slots![i] as T
    if (this.taken !== null) this.taken[i] = 1
    this.#move(sub, c, c + 1)
    return value
  }

  /** A value, a lag report, the end, or NOT_READY. */
  poll(sub: Sub<T>): BroadcastResult<T> | typeof NOT_READY {
    if (sub.index >= 0) this.#catchUp(sub)
    if (sub.lagged > 0) {
      const lagged = sub.lagged
      sub.lagged = 0
      return { done: false, lagged, value: undefined }
    }
    if (this.size(sub) > 0) {
      const value = this.#takeOne(sub)
      if (this.ended && this.size(sub) === 0) sub.end()
      return { done: false, value }
    }
    if (sub.index < 0 || this.ended) {
      sub.end()
      // A released receiver sees done, unless the whole broadcast was cancelled with a reason.
      if (this.hasReason && (sub.index >= 0 || this.state === CANCELLED)) throw this.reason
      return DONE
    }
    return NOT_READY
  }

  /**
   * Takes up to `max - out.length` values for `sub` after those in `out`, in
   * order, without waiting; returns the batch (`out`, or a new array when
   * `out` was empty). A pending lag report is consumed (it stays counted in
   * `missed`): a batch carries values only.
   */
  takeMany(sub: Sub<T>, out: T[], max: number): T[] {
    if (sub.index >= 0) this.#catchUp(sub)
    sub.lagged = 0
    if (sub.own !== null) {
      while (out.length < max && sub.own.length > 0) out.push(this.#takeOne(sub))
    } else {
      // Moving on may free the oldest slots and admit waiting senders, whose
      // values land in the log too: go on while there is room in `out`.
      let n: number
      while ((n = Math.min(this.size(sub), max - out.length)) > 0) {
        const slots = this.slots!
        const mask = this.mask
        const c = sub.cursor
        const i = c & mask
        if (out.length === 0 && i + n <= slots.length) out = slots.slice(i, i + n) as T[]
        else for (let s = c; s < c + n; s++) out.push(slots[s & mask] as T)
        const taken = this.taken
        if (taken !== null) for (let s = c; s < c + n; s++) taken[s & mask] = 1
        this.#move(sub, c, c + n)
      }
    }
    if (this.ended && this.size(sub) === 0) sub.end()
    return out
  }

  #admitWaiting(): void {
    let s: BusSend<T> | null
    while (this.tail - this.head < this.capacity && (s = this.sendq.head) !== null) {
      this.sendq.remove(s)
      // Settle first: the sender's continuation then runs before the receivers
      // this value wakes, so they wake to the sender's next values as well.
      s.disarm()
      s.resolve()
      this.deliver(s.value)
    }
    if (this.state === CLOSING && this.sendq.length === 0) this.#sendsEnded()
  }

  senderLeft(): void {
    if (this.state >= CLOSED) return
    if (this.tail - this.head < this.capacity && this.sendq.length > 0) this.#admitWaiting()
    else if (this.state === CLOSING && this.sendq.length === 0) this.#sendsEnded()
  }

  unsubscribe(sub: Sub<T>): void {
    if (sub.index < 0) return
    // O(1): move the last subscriber into this one's slot.
    const last = this.subs.pop()!
    if (last !== sub) {
      this.subs[sub.index] = last
      last.index = sub.index
    }
    sub.index = -1
    const own = sub.own
    const held: (T | Entry<T>)[] = []
    if (own !== null) {
      while (own.length > 0) held.push(own.shift())
      this.ownHeld -= held.length
      this.#closeIfDrained()
    }
    this.#endWaiters(sub)
    sub.end()
    if (own === null) {
      // Gives up this receiver's unread values: one nobody read and nobody will read is dropped.
      const from = Math.max(sub.cursor, this.head)
      sub.cursor = this.tail
      this.#leave(from)
    }
    for (const x of held) this.#release(x, "cancel")
  }

  // The end reaches the waiting receives (behind any deferred settlement of this receiver; a select case at once).
  #endWaiters(sub: Sub<T>): void {
    let w: Wake<BroadcastResult<T>> | null
    while ((w = sub.waiters.shift()) !== null) {
      let ok = true
      let r: unknown
      try {
        const x = this.poll(sub)
        r = x === NOT_READY ? DONE : x
      } catch (error) {
        ok = false
        r = error
      }
      const waiter = w
      const settle = (): void => (ok ? waiter.wake(r as BroadcastResult<T>) : waiter.fail(r))
      if (sub.deferred > 0 && !(waiter instanceof SelectWake)) sub.later(settle)
      else settle()
    }
  }

  close(reason: unknown): void {
    if (this.state >= CLOSED) return
    keepFirstReason(this, reason)
    if (this.state === OPEN) {
      this.state = CLOSING
      this.#txClosed.open()
    }
    if (this.sendq.length === 0) this.#sendsEnded()
  }

  /**
   * No value will be sent any more: closed, or closing with no sender
   * waiting (receivers still drain what they hold), or cancelled.
   */
  get ended(): boolean {
    return this.state >= CLOSED || (this.state === CLOSING && this.sendq.length === 0)
  }

  // Closing and the last waiting sender is in (or gone): waiting receives end, drained receivers are done.
  #sendsEnded(): void {
    for (const sub of this.subs) {
      this.#endWaiters(sub)
      if (this.size(sub) === 0) sub.end()
    }
    this.#closeIfDrained()
  }

  /** Closing, sends ended and every receiver drained: closed (a cancel changes nothing any more). */
  #closeIfDrained(): void {
    if (this.state !== CLOSING || this.sendq.length > 0) return
    if (this.slots !== null ? this.head === this.tail : this.ownHeld === 0) this.state = CLOSED
  }

  cancel(reason: unknown): void {
    if (this.state >= CLOSED) return
    keepFirstReason(this, reason)
    const wasOpen = this.state === OPEN
    this.state = CANCELLED
    const held: (T | Entry<T>)[] = []
    const slots = this.slots
    if (slots === null) {
      for (const sub of this.subs) while (sub.own!.length > 0) held.push(sub.own!.shift())
      this.ownHeld = 0
    } else {
      // Every unread value goes; one nobody read is dropped. Every receiver moves to the end.
      for (let s = this.head; s < this.tail; s++) {
        const i = s & this.mask
        if (this.taken !== null && this.taken[i] === 0) held.push(slots[i] as T)
        slots[i] = undefined
      }
      this.head = this.tail
      this.at.fill(0)
      this.at[this.tail & this.mask] = this.subs.length
      for (const sub of this.subs) sub.cursor = this.tail
    }
    let s: BusSend<T> | null
    while ((s = this.sendq.shift()) !== null) {
      s.disarm()
      s.reject(new ChannelClosedError(s.value, this.hasReason ? this.reason : undefined))
    }
    for (const sub of this.subs) {
      this.#endWaiters(sub)
      sub.end()
    }
    if (wasOpen) this.#txClosed.open()
    if (slots === null) for (const x of held) this.#release(x, "cancel")
    else for (const v of held) this.drop(v as T, "cancel")
  }
}

/**
 * The promise of a receive that completed now (its value is taken): settled
 * behind the receiver's deferred settlements, if any, so receives settle in
 * the order they took their values.
 */
function settled<R>(sub: Sub<unknown>, ok: boolean, x: unknown): Promise<R> {
  if (sub.deferred === 0) return ok ? Promise.resolve(x as R) : Promise.reject(x)
  return new Promise<R>((resolve, reject) => sub.later(() => (ok ? resolve(x as R) : reject(x))))
}

/** `n` undefined slots in a packed array (what `slice` of it hands out stays packed). */
function emptySlots<T>(n: number): (T | undefined)[] {
  const slots: (T | undefined)[] = []
  for (let i = 0; i < n; i++) slots.push(undefined)
  return slots
}

/** Slots for `n` values: a power of two, at least 4. */
function logSize(n: number): number {
  let size = 4
  while (size < n) size *= 2
  return size
}

class Tx<T> implements BroadcastSender<T> {
  readonly #b: Bus<T>
  #released = false
  constructor(b: Bus<T>) {
    this.#b = b
  }
  get state(): BroadcastState {
    return NAMES[this.#b.state]
  }
  get capacity(): number {
    return this.#b.capacity
  }
  get senders(): number {
    return this.#b.senders
  }
  get receivers(): number {
    return this.#b.subs.length
  }
  get pendingSends(): number {
    return this.#b.sendq.length
  }
  get closed(): Promise<void> {
    return this.#b.txClosed()
  }
  send(value: T, options?: WaitOptions): Promise<void> {
    try {
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    const b = this.#b
    if (this.#released || b.state !== OPEN) {
      return Promise.reject(new ChannelClosedError(value, b.hasReason ? b.reason : undefined))
    }
    if (b.canSend()) {
      b.deliver(value)
      return RESOLVED
    }
    if (b.overflow === REJECT) return Promise.reject(new ChannelFullError(value))
    const w = new BusSend(b, value)
    b.sendq.push(w)
    return w.wait(options)
  }
  trySend(value: T): TrySendResult<T> {
    const b = this.#b
    if (this.#released || b.state !== OPEN) return { ok: false, reason: "closed", value }
    if (!b.canSend()) return { ok: false, reason: "full", value }
    b.deliver(value)
    return TRY_OK
  }
  subscribe(): BroadcastReceiver<T> {
    return new Rx(this.#b, this.#b.subscribe())
  }
  clone(): BroadcastSender<T> {
    if (this.#released) throw new TypeError("cannot clone a released sender")
    this.#b.senders++
    return new Tx(this.#b)
  }
  close(reason?: unknown): void {
    const b = this.#b
    if (!this.#released) {
      this.#released = true
      if (--b.senders === 0) {
        b.close(reason)
        return
      }
    }
    if (reason !== undefined) b.close(reason)
  }
  [DISPOSE](): void {
    this.close()
  }
}

class Rx<T> implements BroadcastReceiver<T> {
  readonly #b: Bus<T>
  readonly #s: Sub<T>
  constructor(b: Bus<T>, s: Sub<T>) {
    this.#b = b
    this.#s = s
  }
  get size(): number {
    return this.#b.size(this.#s)
  }
  get closed(): Promise<void> {
    const s = this.#s
    if (s.index < 0 || (this.#b.ended && this.#b.size(s) === 0)) {
      if (s.deferred === 0) return Promise.resolve()
      s.end() // behind the receives this receiver still has to settle
    }
    return s.done.promise()
  }
  receive(options?: WaitOptions): Promise<BroadcastResult<T>> {
    try {
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    let r: BroadcastResult<T> | typeof NOT_READY
    try {
      r = this.#b.poll(this.#s)
    } catch (error) {
      return settled(this.#s, false, error)
    }
    if (r !== NOT_READY) return settled(this.#s, true, r)
    this.#b.parked++
    return park(this.#s.waiters, this, options)
  }
  get missed(): number {
    return this.#b.missed(this.#s)
  }
  receiveMany(max: number, options?: WaitOptions): Promise<T[]> {
    try {
      checkMax(max)
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    const b = this.#b
    const s = this.#s
    const batch = b.takeMany(s, [], max)
    if (batch.length > 0) return settled(s, true, batch)
    let r: BroadcastResult<T> | typeof NOT_READY
    try {
      r = b.poll(s)
    } catch (error) {
      return settled(s, false, error)
    }
    if (r !== NOT_READY) {
      // Done (a value or a lag report cannot follow an empty batch, which took both).
      if (r.done) return settled(s, true, [])
      return "lagged" in r ? this.receiveMany(max, options) : settled(s, true, [r.value])
    }
    const w = new BatchWake(b, s, this, max)
    b.parked++
    s.waiters.push(w)
    return w.wait(options)
  }
  tryReceiveMany(max: number = Infinity): T[] {
    checkMax(max)
    return this.#b.takeMany(this.#s, [], max)
  }
  tryReceive():
    | { ok: true; value: T }
    | { ok: true; lagged: number }
    | { ok: false; reason: "empty" | "closed"; error?: unknown } {
    let r: BroadcastResult<T> | typeof NOT_READY
    try {
      r = this.#b.poll(this.#s)
    } catch (error) {
      return { ok: false, reason: "closed", error }
    }
    if (r === NOT_READY) return { ok: false, reason: "empty" }
    if (r.done) return { ok: false, reason: "closed" }
    if ("lagged" in r) return { ok: true, lagged: r.lagged }
    return { ok: true, value: r.value }
  }
  cancel(reason?: unknown): void {
    if (reason !== undefined) this.#b.cancel(reason)
    this.#b.unsubscribe(this.#s)
  }
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined, undefined> {
    // Each next() is one receive that skips lag reports (no generator: one
    // promise per value). No prefetch: after a break, the next value stays in
    // this receiver's buffer.
    const b = this.#b
    const s = this.#s
    const next = (): Promise<IteratorResult<T, undefined>> => {
      for (;;) {
        let r: BroadcastResult<T> | typeof NOT_READY
        try {
          r = b.poll(s)
        } catch (error) {
          return settled(s, false, error)
        }
        if (r === NOT_READY) {
          b.parked++
          return park(s.waiters, this, undefined).then(skipLag)
        }
        if (!("lagged" in r)) return settled(s, true, r)
      }
    }
    const skipLag = (r: BroadcastResult<T>): Promise<IteratorResult<T, undefined>> | IteratorResult<T, undefined> =>
      "lagged" in r ? next() : r
    const iterator: AsyncIterableIterator<T, undefined, undefined> = {
      next,
      return: () => Promise.resolve(DONE),
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }
  [SELECT](): Port<BroadcastResult<T>> {
    const b = this.#b
    const s = this.#s
    const port = portOf(
      s.waiters,
      this,
      () => b.ready(s),
      () => b.poll(s),
    )
    return {
      ready: port.ready,
      complete: port.complete,
      park(selection, index) {
        b.parked++
        return port.park(selection, index)
      },
    }
  }
  [DISPOSE](): void {
    this.cancel()
  }
}

/**
 * Makes a broadcast channel and its first receiver; `tx.subscribe()` makes more.
 *
 * Close semantics: after `close()`, each receiver still gets what its buffer
 * holds, then done (or the reason). Senders waiting at the close stay waiting
 * and are admitted as room appears, as for channels. The state is `closing`
 * until every receiver has drained, then `closed`; a cancel while closing
 * discards what remains (`onDrop(v, "cancel")` for values nobody got).
 *
 * Cancellation: an aborted send delivered nothing; an aborted receive took
 * nothing. `rx.cancel()` unsubscribes; `rx.cancel(reason)` cancels everything.
 *
 * @example
 * ```ts
 * import { broadcast } from "@panama/channel"
 *
 * const [tx, a] = broadcast<string>({ capacity: 16 })
 * const b = tx.subscribe()
 * await tx.send("hello")
 * console.log(await a.receive(), await b.receive()) // both get "hello"
 * ```
 */
export function broadcast<T>(options: BroadcastOptions<T>): [BroadcastSender<T>, BroadcastReceiver<T>] {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { capacity, overflow = "suspend", onDrop } = options
  if (typeof capacity !== "number") throw new TypeError("capacity must be a number")
  if (!(capacity >= 1) || (!Number.isInteger(capacity) && capacity !== Infinity)) {
    throw new RangeError("capacity must be an integer >= 1 or Infinity")
  }
  const policy = typeof overflow === "string" ? OVERFLOW_NAMES.indexOf(overflow) : -1
  if (policy < 0) throw new TypeError(`overflow must be one of ${OVERFLOW_NAMES.join(", ")}`)
  if (onDrop !== undefined && typeof onDrop !== "function") throw new TypeError("onDrop must be a function")
  const bus = new Bus<T>(capacity, policy, onDrop)
  return [new Tx(bus), new Rx(bus, bus.subscribe())]
}

