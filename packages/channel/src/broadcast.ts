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
import { DROP_NEWEST, DROP_OLDEST, OVERFLOW_NAMES, REJECT, report } from "./internal/core.js"
import { checkMax, DISPOSE } from "./internal/handles.js"
import { Latch } from "./internal/latch.js"
import { Chunked, Ring, type Queue } from "./internal/queue.js"
import { SELECT, type Port } from "./internal/select-core.js"
import { checkWaitOptions, Pending, type WaitOptions } from "./internal/wait.js"
import { WaitList } from "./internal/wait-list.js"
import { NOT_READY, park, portOf, type Wake } from "./internal/wake.js"

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

/** A value shared by several buffers, tracked only when there is an `onDrop` to call. */
interface Entry<T> {
  value: T
  left: number // buffers that still hold it or will decide about it
  delivered: boolean
}

class Sub<T> {
  readonly buf: Queue<T | Entry<T>> // this receiver's values, oldest first
  lagged = 0 // values skipped or missed, not yet reported by a receive
  missed = 0 // values skipped or missed since subscribing
  index = -1 // position in bus.subs; -1 once unsubscribed
  readonly waiters = new WaitList<Wake<BroadcastResult<T>>>()
  readonly done = new Latch() // opens when this receiver will get no more values

  constructor(capacity: number) {
    // A finite buffer is a ring that never outgrows it; an unbounded one is chunked.
    this.buf = capacity === Infinity ? new Chunked() : new Ring(Math.min(capacity, 16))
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

class Bus<T> {
  readonly capacity: number
  readonly overflow: number
  readonly onDrop: ((value: T, reason: DropReason) => void) | undefined
  state = OPEN
  reason: unknown = undefined
  hasReason = false
  readonly subs: Sub<T>[] = [] // subscribed receivers, unordered
  full = 0 // subscribers whose buffer holds `capacity` values
  readonly sendq = new WaitList<BusSend<T>>()
  senders = 1
  readonly #txClosed = new Latch() // opens when sends end

  constructor(capacity: number, overflow: number, onDrop: ((value: T, reason: DropReason) => void) | undefined) {
    this.capacity = capacity
    this.overflow = overflow
    this.onDrop = onDrop
  }

  txClosed(): Promise<void> {
    return this.#txClosed.promise()
  }

  subscribe(): Sub<T> {
    const sub = new Sub<T>(this.capacity)
    if (this.state >= CLOSED) return sub // a receiver of a finished broadcast is done at once
    sub.index = this.subs.length
    this.subs.push(sub)
    return sub
  }

  /** Whether a send would be accepted now without waiting. */
  canSend(): boolean {
    return this.sendq.length === 0 && (this.full === 0 || this.overflow === DROP_NEWEST || this.overflow === DROP_OLDEST)
  }

  // Hands the value to every subscriber: a waiting receive, its buffer, or (full) its policy.
  deliver(value: T): void {
    const subs = this.subs
    const n = subs.length
    if (n === 0) {
      // Nobody subscribed: the value is accepted and nobody will get it.
      this.drop(value, "cancel")
      return
    }
    const entry: Entry<T> | undefined =
      this.onDrop === undefined ? undefined : { value, left: n, delivered: false }
    const capacity = this.capacity
    let lost: (T | Entry<T>)[] | undefined
    for (let i = 0; i < n; i++) {
      const sub = subs[i]!
      const w = sub.waiters.head === null ? null : sub.waiters.shift()
      if (w !== null) {
        if (entry !== undefined) {
          entry.left--
          entry.delivered = true
        }
        w.wake({ done: false, value })
        continue
      }
      const buf = sub.buf
      if (buf.length < capacity) {
        buf.push(entry ?? value)
        if (buf.length === capacity) this.full++
      } else if (this.overflow === DROP_OLDEST) {
        sub.lagged++
        sub.missed++
        ;(lost ??= []).push(buf.shift())
        buf.push(entry ?? value)
      } else {
        // DROP_NEWEST: this subscriber misses the new value.
        sub.lagged++
        sub.missed++
        if (entry !== undefined) (lost ??= []).push(entry)
      }
    }
    if (lost !== undefined) for (const x of lost) this.release(x, "overflow")
  }

  /** A buffer gives up a value it held: the last to give up an undelivered value drops it. */
  release(x: T | Entry<T>, reason: DropReason): void {
    if (this.onDrop === undefined) return
    const e = x as Entry<T>
    if (--e.left === 0 && !e.delivered) this.drop(e.value, reason)
  }

  drop(value: T, reason: DropReason): void {
    const onDrop = this.onDrop
    if (onDrop === undefined) return
    try {
      onDrop(value, reason)
    } catch (error) {
      report(error)
    }
  }

  /** A value, a lag report, the end, or NOT_READY. */
  poll(sub: Sub<T>): BroadcastResult<T> | typeof NOT_READY {
    if (sub.lagged > 0) {
      const lagged = sub.lagged
      sub.lagged = 0
      return { done: false, lagged, value: undefined }
    }
    const buf = sub.buf
    if (buf.length > 0) {
      const x = buf.shift()
      let value: T
      if (this.onDrop !== undefined) {
        const e = x as Entry<T>
        e.left--
        e.delivered = true
        value = e.value
      } else value = x as T
      if (buf.length === this.capacity - 1 && sub.index >= 0) {
        // This buffer was full: it may have been the last one holding senders back.
        if (--this.full === 0 && this.sendq.length > 0) this.#admitWaiting()
      }
      if (buf.length === 0 && this.state >= CLOSED) sub.done.open()
      return { done: false, value }
    }
    if (sub.index < 0 || this.state >= CLOSED) {
      sub.done.open()
      // A released receiver sees done, unless the whole broadcast was cancelled with a reason.
      if (this.hasReason && (sub.index >= 0 || this.state === CANCELLED)) throw this.reason
      return DONE
    }
    return NOT_READY
  }

  /**
   * Takes up to `max - out.length` buffered values for `sub` into `out`, in
   * order, without waiting. A pending lag report is consumed (it stays counted
   * in `missed`): a batch carries values only.
   */
  takeMany(sub: Sub<T>, out: T[], max: number): void {
    sub.lagged = 0
    const buf = sub.buf
    const tracked = this.onDrop !== undefined
    while (out.length < max && buf.length > 0) {
      const wasFull = buf.length >= this.capacity
      let n = Math.min(max - out.length, buf.length)
      while (n-- > 0) {
        const x = buf.shift()
        if (tracked) {
          const e = x as Entry<T>
          e.left--
          e.delivered = true
          out.push(e.value)
        } else out.push(x as T)
      }
      // This buffer was full: it may have been the last one holding senders back
      // (admitting them may refill it: the loop goes on while there is room in `out`).
      if (wasFull && sub.index >= 0 && --this.full === 0 && this.sendq.length > 0) this.#admitWaiting()
    }
    if (buf.length === 0 && this.state >= CLOSED) sub.done.open()
  }

  #admitWaiting(): void {
    let s: BusSend<T> | null
    while (this.full === 0 && (s = this.sendq.head) !== null) {
      this.sendq.remove(s)
      this.deliver(s.value)
      s.disarm()
      s.resolve()
    }
    if (this.state === CLOSING && this.sendq.length === 0) this.#finishClose()
  }

  senderLeft(): void {
    if (this.state >= CLOSED) return
    if (this.full === 0 && this.sendq.length > 0) this.#admitWaiting()
    else if (this.state === CLOSING && this.sendq.length === 0) this.#finishClose()
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
    const wasFull = sub.buf.length >= this.capacity
    const held: (T | Entry<T>)[] = []
    while (sub.buf.length > 0) held.push(sub.buf.shift())
    this.#endWaiters(sub)
    sub.done.open()
    if (wasFull && --this.full === 0 && this.sendq.length > 0) this.#admitWaiting()
    for (const x of held) this.release(x, "cancel")
  }

  #endWaiters(sub: Sub<T>): void {
    let w: Wake<BroadcastResult<T>> | null
    while ((w = sub.waiters.shift()) !== null) {
      try {
        const r = this.poll(sub)
        w.wake(r === NOT_READY ? DONE : r)
      } catch (error) {
        w.fail(error)
      }
    }
  }

  close(reason: unknown): void {
    if (this.state >= CLOSED) return
    if (reason !== undefined && !this.hasReason) {
      this.reason = reason
      this.hasReason = true
    }
    if (this.state === OPEN) {
      this.state = CLOSING
      this.#txClosed.open()
    }
    if (this.sendq.length === 0) this.#finishClose()
  }

  #finishClose(): void {
    this.state = CLOSED
    for (const sub of this.subs) {
      this.#endWaiters(sub)
      if (sub.buf.length === 0) sub.done.open()
    }
  }

  cancel(reason: unknown): void {
    if (this.state >= CLOSED) return
    if (reason !== undefined && !this.hasReason) {
      this.reason = reason
      this.hasReason = true
    }
    const wasOpen = this.state === OPEN
    this.state = CANCELLED
    const held: (T | Entry<T>)[] = []
    for (const sub of this.subs) while (sub.buf.length > 0) held.push(sub.buf.shift())
    this.full = 0
    let s: BusSend<T> | null
    while ((s = this.sendq.shift()) !== null) {
      s.disarm()
      s.reject(new ChannelClosedError(s.value, this.hasReason ? this.reason : undefined))
    }
    for (const sub of this.subs) {
      this.#endWaiters(sub)
      sub.done.open()
    }
    if (wasOpen) this.#txClosed.open()
    for (const x of held) this.release(x, "cancel")
  }
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
    return this.#s.buf.length
  }
  get closed(): Promise<void> {
    const s = this.#s
    if (s.index < 0 || (this.#b.state >= CLOSED && s.buf.length === 0)) return Promise.resolve()
    return s.done.promise()
  }
  receive(options?: WaitOptions): Promise<BroadcastResult<T>> {
    try {
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    try {
      const r = this.#b.poll(this.#s)
      if (r !== NOT_READY) return Promise.resolve(r)
    } catch (error) {
      return Promise.reject(error)
    }
    return park(this.#s.waiters, this, options)
  }
  get missed(): number {
    return this.#s.missed
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
    const batch: T[] = []
    b.takeMany(s, batch, max)
    if (batch.length > 0) return Promise.resolve(batch)
    let r: BroadcastResult<T> | typeof NOT_READY
    try {
      r = b.poll(s)
    } catch (error) {
      return Promise.reject(error)
    }
    if (r !== NOT_READY) return Promise.resolve(r.done ? [] : this.receiveMany(max, options))
    // On wake, top the batch up with what arrived meanwhile: one wake-up per burst.
    return park<BroadcastResult<T>>(s.waiters, this, options).then((first) => {
      if (first.done) return []
      const out = "lagged" in first ? [] : [first.value]
      b.takeMany(s, out, max)
      return out.length > 0 ? out : this.receiveMany(max, options)
    })
  }
  tryReceiveMany(max: number = Infinity): T[] {
    checkMax(max)
    const batch: T[] = []
    this.#b.takeMany(this.#s, batch, max)
    return batch
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
  async *[Symbol.asyncIterator](): AsyncGenerator<T, undefined, undefined> {
    for (;;) {
      const r = await this.receive()
      if (r.done) return undefined
      if (!("lagged" in r)) yield r.value
    }
  }
  [SELECT](): Port<BroadcastResult<T>> {
    const b = this.#b
    const s = this.#s
    return portOf(
      s.waiters,
      this,
      () => s.lagged > 0 || s.buf.length > 0 || s.index < 0 || b.state >= CLOSED,
      () => b.poll(s),
    )
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
 * and are admitted as room appears, as for channels.
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

