/**
 * The channel: one state machine for every flavor (rendezvous, bounded,
 * unbounded, dropping, sliding, weighted). Flavors differ only in the buffer
 * (see queue.ts) and in what a send does when the buffer is full (`overflow`).
 *
 * Invariants, between any two operations:
 * - `recvq` non-empty implies the buffer is empty and `sendq` is empty — except
 *   that one `select` may wait on both sides of the same rendezvous channel;
 *   a select never pairs with itself because matching happens only when an
 *   operation arrives or room appears, never between the two queues.
 * - `sendq` non-empty implies the next waiting sender does not fit (or the
 *   capacity is 0): senders are admitted in order as room appears.
 * - `load` is the sum of the weights of the buffered values.
 * - `state` only advances: OPEN → CLOSING → CLOSED, OPEN | CLOSING → CANCELLED.
 *   CLOSING means closed to new sends while buffered values or waiting senders
 *   remain; it becomes CLOSED when both are gone.
 * - Ownership: a value counted in `sent` is either delivered (`received`) or
 *   passed to `onDrop` exactly once. A value not accepted never enters here.
 *
 * Reentrancy: the only outside code that runs synchronously inside an operation
 * is `size`, `onDrop`, and the callbacks of adapters parked through the
 * callback hooks (handles.ts, PARK_RECEIVE / PARK_SEND). `size` runs before any
 * state changes; `onDrop` runs after the state is consistent again; a waiter
 * is always unlinked and counted before it is completed. So any of them may
 * call back into the channel; a throwing one is reported, never propagated.
 */

import { ChannelClosedError } from "../errors.js"
import { later } from "./later.js"
import { Latch } from "./latch.js"
import { Chunked, Ring, type Queue } from "./queue.js"
import { WaitList, type Link } from "./wait-list.js"

export const OPEN = 0
export const CLOSING = 1
export const CLOSED = 2
export const CANCELLED = 3
export const STATE_NAMES = ["open", "closing", "closed", "cancelled"] as const

export const SUSPEND = 0
export const DROP_NEWEST = 1
export const DROP_OLDEST = 2
export const REJECT = 3
export const OVERFLOW_NAMES = ["suspend", "drop-newest", "drop-oldest", "reject"] as const

/** Outcome of `offer`. */
export const OK = 0
export const FULL = 1
export const SHUT = 2 // closed or cancelled: no new value is accepted

/** What `take` returns when no value is available. Never escapes the package. */
export const EMPTY: unique symbol = Symbol("empty")

export type DropReason = "overflow" | "cancel"

/** A parked receiver: a plain `receive`, a `receiveMany`, or a `recv` case of a select. */
export interface Receiving<T> extends Link {
  /** A value is handed over. Precondition: already unlinked from `recvq`. */
  deliver(value: T): void
  /** No value will ever come (closed and drained, or cancelled). Precondition: unlinked. */
  end(chan: Chan<T>): void
}

/** A parked sender: a plain `send`, a `sendAll` value, or a `send` case of a select. */
export interface Sending<T> extends Link {
  readonly value: T
  readonly weight: number
  /** The value was accepted (buffered or taken). Precondition: unlinked from `sendq`. */
  admit(): void
  /** The channel was cancelled; the value was not accepted. Precondition: unlinked. */
  refuse(chan: Chan<T>): void
}

export interface ChanOptions<T> {
  capacity: number
  overflow: number
  size: ((value: T) => number) | undefined
  onDrop: ((value: T, reason: DropReason) => void) | undefined
}

export class Chan<T> {
  readonly capacity: number // weight the buffer holds; 0 is rendezvous, may be Infinity
  readonly overflow: number // SUSPEND | DROP_NEWEST | DROP_OLDEST | REJECT
  readonly sizeOf: ((value: T) => number) | undefined // weight function; undefined means 1 each
  readonly onDrop: ((value: T, reason: DropReason) => void) | undefined

  state = OPEN
  reason: unknown = undefined // the first close or cancel reason given
  hasReason = false // whether `reason` was given (undefined is no reason)

  buf: Queue<T> // accepted values not yet received, oldest first
  weights: Queue<number> | undefined // weights of `buf`, in step with it; only with `sizeOf`
  load = 0 // total weight in `buf`
  readonly sendq = new WaitList<Sending<T>>() // parked senders, oldest first
  readonly recvq = new WaitList<Receiving<T>>() // parked receivers, oldest first

  senders = 1 // live sender handles
  receivers = 1 // live receiver handles

  pace = 0 // receives that parked right after an immediate wake, in a row (see handles.ts, "Pacing")
  paceNeeded = 2 // `pace` at which hand-offs wake later; doubles each time that did not help
  lastWake = 0 // how the last receive was completed: 0 otherwise, WOKE_NOW or WOKE_LATER
  deferred = 0 // receive settlements deferred by pacing, not yet run (see later.ts)

  sent = 0 // values accepted
  received = 0 // values delivered
  droppedOverflow = 0 // values passed to onDrop(v, "overflow")
  droppedCancel = 0 // values passed to onDrop(v, "cancel")

  readonly #txClosed = new Latch() // opens when sends end (state >= CLOSING)
  readonly #rxClosed = new Latch() // opens when receives end (state >= CLOSED)

  constructor(options: ChanOptions<T>) {
    this.capacity = options.capacity
    this.overflow = options.overflow
    this.sizeOf = options.size
    this.onDrop = options.onDrop
    this.buf = this.#newBuffer()
    if (this.sizeOf !== undefined) this.weights = new Chunked<number>()
  }

  #newBuffer(): Queue<T> {
    // Count-based and finite: a ring that never outgrows the capacity.
    if (this.sizeOf === undefined && this.capacity !== Infinity) return new Ring<T>(Math.min(this.capacity, 16))
    return new Chunked<T>()
  }

  /** The weight of `value`; throws for a `size` result no capacity could hold. */
  weigh(value: T): number {
    const sizeOf = this.sizeOf
    if (sizeOf === undefined) return 1
    const w = sizeOf(value)
    if (typeof w !== "number" || !(w >= 0) || w === Infinity) {
      throw new RangeError(`size() must return a finite number >= 0, got ${String(w)}`)
    }
    return w
  }

  /** Whether a value of weight `w` may enter the buffer now (ignoring waiting senders). */
  fits(w: number): boolean {
    return this.capacity > 0 && (this.buf.length === 0 || this.load + w <= this.capacity)
  }

  #push(value: T, w: number): void {
    this.buf.push(value)
    if (this.weights === undefined) this.load += w
    else {
      this.weights.push(w)
      this.#addWeight(w)
    }
  }

  #shift(): T {
    const weights = this.weights
    if (weights === undefined) this.load -= 1
    else {
      this.#addWeight(-weights.shift())
      // Case: an empty buffer weighs exactly 0, whatever rounding is left.
      if (weights.length === 0) this.load = this.#sum = this.#comp = 0
    }
    return this.buf.shift()
  }

  // Weighted channels: a compensated (Neumaier) running sum, so fractional
  // weights do not drift (0.2 + 0.4 + 0.3 - 0.2 is 0.7, not 0.7000000000000002,
  // and a 0.3 then fits a capacity of 1).
  #sum = 0
  #comp = 0

  #addWeight(x: number): void {
    const s = this.#sum
    const t = s + x
    this.#comp += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s
    this.#sum = t
    this.load = t + this.#comp
  }

  // ---------------------------------------------------------------- sending

  /**
   * Offers a value without waiting. Returns OK when accepted (handed to a
   * waiting receiver, buffered, or dropped by policy), FULL when the caller
   * must wait or refuse, SHUT when no value is accepted any more.
   */
  offer(value: T, w: number): number {
    if (this.state !== OPEN) return SHUT
    const r = this.recvq.head
    if (r !== null) {
      // Found a waiting receiver: the buffer is empty, pass the value directly.
      this.recvq.remove(r)
      this.sent++
      this.received++
      r.deliver(value)
      return OK
    }
    if (this.sendq.length === 0 && this.fits(w)) {
      this.#push(value, w)
      this.sent++
      return OK
    }
    switch (this.overflow) {
      case DROP_NEWEST:
        // Full: the new value is accepted and dropped.
        this.sent++
        this.droppedOverflow++
        this.drop(value, "overflow")
        return OK
      case DROP_OLDEST:
        this.#evictFor(value, w)
        return OK
      default:
        return FULL
    }
  }

  /** Whether `offer` would accept a value of weight `w` now (select's readiness test). */
  canOffer(w: number): boolean {
    return (
      this.recvq.length > 0 ||
      (this.sendq.length === 0 && this.fits(w)) ||
      this.overflow === DROP_NEWEST ||
      this.overflow === DROP_OLDEST
    )
  }

  // Full under drop-oldest: evict the oldest until the new value fits (or the
  // buffer is empty), buffer it, then report the evicted ones.
  #evictFor(value: T, w: number): void {
    const first = this.#shift()
    let more: T[] | undefined
    while (this.buf.length > 0 && this.load + w > this.capacity) (more ??= []).push(this.#shift())
    this.#push(value, w)
    this.sent++
    // Counted before any onDrop runs: a hook reading stats sees them all.
    this.droppedOverflow += 1 + (more === undefined ? 0 : more.length)
    this.drop(first, "overflow")
    if (more !== undefined) for (const v of more) this.drop(v, "overflow")
  }

  /** Parks a sender. Precondition: `offer` returned FULL under SUSPEND. */
  parkSender(w: Sending<T>): void {
    this.sendq.push(w)
  }

  /**
   * A parked sender left `sendq` without being admitted (abort, timeout, a
   * select that chose another case): a lighter sender behind it may fit now,
   * and a closing channel may have nothing left.
   */
  senderLeft(): void {
    // Case: cancelled (a select refused on this channel withdraws its other cases): nothing to admit.
    if (this.state >= CLOSED) return
    if (this.sendq.length > 0) this.#admitWaiting()
    else if (this.state === CLOSING && this.buf.length === 0) this.#finishClose()
  }

  // Room appeared: admit waiting senders, in order, while the next one fits.
  #admitWaiting(): void {
    let s: Sending<T> | null
    while ((s = this.sendq.head) !== null && this.fits(s.weight)) {
      this.sendq.remove(s)
      this.#push(s.value, s.weight)
      this.sent++
      s.admit()
    }
  }

  // ---------------------------------------------------------------- receiving

  /** Takes the next value without waiting, or returns EMPTY. */
  take(): T | typeof EMPTY {
    if (this.buf.length > 0) {
      const value = this.#shift()
      this.received++
      if (this.sendq.length > 0) this.#admitWaiting()
      else if (this.state === CLOSING && this.buf.length === 0) this.#finishClose()
      return value
    }
    const s = this.sendq.head
    if (s !== null) {
      // Rendezvous (or a closing channel's last senders): take straight from a waiting sender.
      this.sendq.remove(s)
      this.sent++
      this.received++
      s.admit()
      if (this.state === CLOSING && this.sendq.length === 0) this.#finishClose()
      return s.value
    }
    return EMPTY
  }

  /**
   * Takes up to `max - out.length` values without waiting, appending them to
   * `out`: the same values, in the same order, as repeated `take` calls, but
   * the buffer is drained in one loop and waiting senders admitted once per
   * loop rather than once per value.
   */
  takeMany(out: T[], max: number): void {
    while (out.length < max) {
      const buffered = this.buf.length
      if (buffered === 0) {
        // Rendezvous (or closing) senders: one at a time, as take does.
        const value = this.take()
        if (value === EMPTY) return
        out.push(value)
        continue
      }
      let n = Math.min(max - out.length, buffered)
      this.received += n
      if (this.weights === undefined) {
        this.load -= n
        while (n-- > 0) out.push(this.buf.shift())
      } else {
        while (n-- > 0) out.push(this.#shift())
      }
      if (this.sendq.length > 0) this.#admitWaiting()
      else {
        if (this.state === CLOSING && this.buf.length === 0) this.#finishClose()
        return
      }
    }
  }

  /** Whether a receive would complete now: a value, or the end. */
  canTake(): boolean {
    return this.buf.length > 0 || this.sendq.length > 0 || this.state >= CLOSED
  }

  /** Parks a receiver. Precondition: `take` returned EMPTY and the channel is not done. */
  parkReceiver(r: Receiving<T>): void {
    this.recvq.push(r)
  }

  /** Whether receivers are done: closed and drained, or cancelled. */
  get done(): boolean {
    return this.state >= CLOSED
  }

  // ---------------------------------------------------------------- close and cancel

  /** Graceful close: no new sends; what was accepted or is waiting is still delivered. */
  close(reason: unknown): void {
    if (this.state >= CLOSED) return
    keepFirstReason(this, reason)
    if (this.state === OPEN) {
      this.state = CLOSING
      this.#txClosed.open()
    }
    if (this.buf.length === 0 && this.sendq.length === 0) this.#finishClose()
  }

  // CLOSING → CLOSED: the last value is gone; waiting receivers see the end.
  #finishClose(): void {
    this.state = CLOSED
    let r: Receiving<T> | null
    while ((r = this.recvq.shift()) !== null) r.end(this)
    this.#openRxClosed()
  }

  // `rx.closed` settles after the receives settled before it, deferred or not.
  #openRxClosed(): void {
    if (this.deferred === 0) this.#rxClosed.open()
    else later(this, () => this.#rxClosed.open())
  }

  /** Immediate cancel: buffered values are dropped, waiting senders refused. */
  cancel(reason: unknown): void {
    if (this.state >= CLOSED) return
    keepFirstReason(this, reason)
    const wasOpen = this.state === OPEN
    this.state = CANCELLED
    const discarded = this.buf
    if (discarded.length > 0) {
      this.buf = this.#newBuffer()
      if (this.weights !== undefined) this.weights = new Chunked<number>()
      this.load = this.#sum = this.#comp = 0
    }
    // Unlink every waiter before the first call-out: a hook's refuse / end
    // callback may call back in, and must find the queues empty (a sender
    // still linked would be taken from a cancelled channel).
    const senders: Sending<T>[] = []
    let s: Sending<T> | null
    while ((s = this.sendq.shift()) !== null) senders.push(s)
    const receivers: Receiving<T>[] = []
    let r: Receiving<T> | null
    while ((r = this.recvq.shift()) !== null) receivers.push(r)
    this.droppedCancel += discarded.length
    for (const x of senders) x.refuse(this)
    for (const x of receivers) x.end(this)
    if (wasOpen) this.#txClosed.open()
    this.#openRxClosed()
    // The state is final now: onDrop may call back in safely.
    while (discarded.length > 0) this.drop(discarded.shift(), "cancel")
  }

  /** The error a refused send rejects with. */
  closedError(value: T): ChannelClosedError<T> {
    return new ChannelClosedError(value, this.hasReason ? this.reason : undefined)
  }

  /** Resolves when no value can be sent any more. */
  txClosed(): Promise<void> {
    return this.#txClosed.promise()
  }

  /** Resolves when no value will ever be received. */
  rxClosed(): Promise<void> {
    return this.#rxClosed.promise()
  }

  // ---------------------------------------------------------------- drops

  drop(value: T, reason: DropReason): void {
    dropTo(this.onDrop, value, reason)
  }
}

/** Passes a value to an `onDrop` hook, if any; a throwing hook is reported, never propagated. */
export function dropTo<T>(onDrop: ((value: T, reason: DropReason) => void) | undefined, value: T, reason: DropReason): void {
  if (onDrop === undefined) return
  try {
    onDrop(value, reason)
  } catch (error) {
    report(error)
  }
}

/** Reports an error nobody can catch: `reportError` where there is one, else an async rethrow. */
/** Records `reason` unless one was given before: the first given reason wins (`undefined` is none). */
export function keepFirstReason(x: { reason: unknown; hasReason: boolean }, reason: unknown): void {
  if (reason !== undefined && !x.hasReason) {
    x.reason = reason
    x.hasReason = true
  }
}

export function report(error: unknown): void {
  const reportError = (globalThis as { reportError?: (e: unknown) => void }).reportError
  if (typeof reportError === "function") reportError(error)
  else
    queueMicrotask(() => {
      throw error
    })
}
