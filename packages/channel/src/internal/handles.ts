/**
 * The handles users hold: `SenderHandle` and `ReceiverHandle`, the classes
 * behind the public `Sender` / `Receiver` interfaces, and the plain waiters
 * their operations park. A handle is released once (`close` / `cancel` /
 * dispose); a released handle refuses work started after that as if the
 * channel were closed, while operations it started before go on.
 *
 * Hot paths (`trySend`, `tryReceive`, and `send` / `receive` that need not
 * wait) allocate at most their result: `send` returns one shared resolved
 * promise, `trySend` one shared frozen result.
 */

import {
  Chan,
  EMPTY,
  OK,
  REJECT,
  report,
  SHUT,
  STATE_NAMES,
  type Receiving,
  type Sending,
} from "./core.js"
import { ChannelFullError } from "../errors.js"
import { defer, later, type Deferred } from "./later.js"
import { checkWaitOptions, Pending, type WaitOptions } from "./wait.js"
import type { Link, WaitList } from "./wait-list.js"
import type {
  ChannelInfo,
  ChannelState,
  ChannelStats,
  ReceiveResult,
  Receiver,
  Sender,
  TryReceiveResult,
  TrySendResult,
} from "../channel.js"

/** Reads the channel behind a handle: null once the handle is released. Used by `select`. */
export const CORE: unique symbol = Symbol("panama.core")

/**
 * Hands back a value a receiver handle took but its adapter never delivered
 * (a `ReadableStream`'s prefetch, discarded on cancel): it counts as dropped
 * for "cancel" instead of received, and goes to `onDrop`. Registered with
 * `Symbol.for` so @panama/streams reaches it without an export; not public API.
 */
export const UNDELIVERED: unique symbol = Symbol.for("panama.channel.undelivered")

/** `Symbol.dispose` where the runtime has it, else the well-known fallback TypeScript's `using` uses. */
export const DISPOSE: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose)

const RESOLVED: Promise<void> = Promise.resolve()
const DONE: ReceiveResult<never> = Object.freeze({ done: true, value: undefined })
const DONE_PROMISE: Promise<ReceiveResult<never>> = Promise.resolve(DONE)
const TRY_OK: TrySendResult<never> = Object.freeze({ ok: true })
const TRY_EMPTY: TryReceiveResult<never> = Object.freeze({ ok: false, reason: "empty" })
const TRY_CLOSED: TryReceiveResult<never> = Object.freeze({ ok: false, reason: "closed" })

// ------------------------------------------------------------------ waiters

/** A parked `send`. */
class SendWaiter<T> extends Pending<void> implements Sending<T> {
  constructor(
    readonly chan: Chan<T>,
    readonly value: T,
    readonly weight: number,
  ) {
    super()
  }
  admit(): void {
    this.disarm()
    this.resolve()
  }
  refuse(chan: Chan<T>): void {
    this.disarm()
    this.reject(chan.closedError(this.value))
  }
  protected override left(): void {
    this.chan.senderLeft()
  }
}

/**
 * Pacing. When a producer and a consumer both await every message, the plain
 * hand-off puts them in lock-step: the consumer wakes before the producer
 * sends again, finds the channel empty and parks, every time (a promise and a
 * waiter per message). Waking it one microtask later instead lets the
 * producer's next value land in the buffer first, and the consumer then runs
 * one value behind and never parks. But a later wake costs a request/response
 * pair (ping-pong) a second park per round trip. So each channel counts
 * receives that park right after an immediate wake (lock-step); once the count
 * reaches `paceNeeded`, hand-offs wake later. A receive that parks right after
 * a delayed wake shows the delay did not help (round trips): the count resets
 * and `paceNeeded` doubles (up to 256), so a ping-pong channel tries it ever
 * more rarely; a delayed wake followed by a buffered value shows it did help.
 * Ownership is unchanged: the value is the receiver's at the hand-off, its
 * waiter already unlinked and disarmed; only the promise settles a tick later.
 */
const WOKE_NOW = 1
const WOKE_LATER = 2

/**
 * A parked `receive` (`many` false) or `receiveMany` (`many` true, resolving
 * with the first value; the caller tops the batch up on wake). Its settlement
 * is deferred (see later.ts) when pacing says so, or when an earlier
 * settlement on the channel is still deferred: it then settles behind it.
 */
class RecvWaiter<T> extends Pending<ReceiveResult<T> | T[]> implements Receiving<T>, Deferred {
  held: T | undefined = undefined // the value handed over, while its settlement is deferred
  ended = false // the deferred settlement is the end
  deferredNext: Deferred | null = null

  constructor(
    readonly chan: Chan<T>,
    readonly many: boolean,
  ) {
    super()
  }
  deliver(value: T): void {
    this.disarm()
    const c = this.chan
    let deferring = c.deferred > 0
    if (!this.many) {
      if (c.pace >= c.paceNeeded) {
        c.lastWake = WOKE_LATER
        deferring = true
      } else c.lastWake = WOKE_NOW
    }
    if (!deferring) return this.#settle(value)
    this.held = value
    this.#defer()
  }
  end(chan: Chan<T>): void {
    this.disarm()
    if (chan.deferred === 0) return this.#settleEnd()
    this.ended = true
    this.#defer()
  }
  // The same protocol as `later()`, without a closure: the waiter is the deferred entry.
  #defer(): void {
    this.chan.deferred++
    defer(this)
  }
  fire(): void {
    this.chan.deferred--
    if (this.ended) return this.#settleEnd()
    const value = this.held as T
    this.held = undefined
    this.#settle(value)
  }
  #settle(value: T): void {
    this.resolve(this.many ? [value] : { done: false, value })
  }
  #settleEnd(): void {
    const c = this.chan
    if (c.hasReason) this.reject(c.reason)
    else this.resolve(this.many ? [] : DONE)
  }
}

/**
 * Settles a receive that completed at once behind this channel's deferred
 * settlements, so concurrent receives still settle in the order they took
 * their values. An empty result (`DONE` or `[]`) is the end: it rejects with
 * the reason when the channel has one.
 */
function behind<T, R extends ReceiveResult<T> | T[]>(c: Chan<T>, result: R): Promise<R> {
  return new Promise<R>((resolve, reject) =>
    later(c, () => {
      const end = result === DONE || (Array.isArray(result) && result.length === 0)
      if (end && c.hasReason) reject(c.reason)
      else resolve(result)
    }),
  )
}

/** Updates the channel's pacing as a receive is about to park. */
function pace(c: Chan<unknown>): void {
  if (c.lastWake === WOKE_NOW) {
    c.pace++
  } else if (c.lastWake === WOKE_LATER) {
    c.pace = 0
    if (c.paceNeeded < 256) c.paceNeeded *= 2
  }
  c.lastWake = 0
}

/**
 * The one waiter of a `sendAll` call, reused for each value that must wait.
 * Its signal listener and timer cover the whole call; an abort or timeout that
 * fires between two waits is remembered in `fired`.
 */
class SendAllWaiter<T> implements Sending<T>, EventListenerObject {
  prev: Link | null = null
  next: Link | null = null
  list: WaitList<Link> | null = null
  value!: T
  weight = 1
  fired = false // the signal aborted or the timeout passed
  #resolve: ((admitted: boolean) => void) | undefined = undefined
  #signal: AbortSignal | undefined
  #timer: ReturnType<typeof setTimeout> | undefined = undefined

  constructor(
    readonly chan: Chan<T>,
    signal: AbortSignal | undefined,
    timeout: number | undefined,
  ) {
    this.#signal = signal
    if (signal !== undefined) signal.addEventListener("abort", this)
    if (timeout !== undefined && timeout !== Infinity) this.#armTimer(Date.now() + timeout)
  }

  // Case: a deadline beyond setTimeout's largest delay (2^31 - 1 ms) is re-armed in steps, not cut short.
  #armTimer(deadline: number): void {
    const rest = deadline - Date.now()
    const fire = rest > 0x7fffffff ? () => this.#armTimer(deadline) : () => this.handleEvent()
    this.#timer = setTimeout(fire, Math.min(Math.max(rest, 0), 0x7fffffff))
  }

  /** Waits for the current value. Precondition: parked in `sendq`. */
  wait(): Promise<boolean> {
    return new Promise((resolve) => (this.#resolve = resolve))
  }
  admit(): void {
    this.#resolve!(true)
  }
  refuse(): void {
    this.#resolve!(false)
  }
  handleEvent(): void {
    this.fired = true
    const list = this.list
    if (list === null) return
    list.remove(this)
    this.chan.senderLeft()
    this.#resolve!(false)
  }
  disarm(): void {
    this.#signal?.removeEventListener("abort", this)
    if (this.#timer !== undefined) clearTimeout(this.#timer)
  }
}

/**
 * Hooks for adapters whose runtime resumes through callbacks (Effect fibers):
 * a parked receive or send that completes by calling back synchronously at the
 * hand-off, with no promise in between, so there is no gap in which an
 * interruption could strand a value the channel already gave away. Keyed by
 * `Symbol.for`, so the core exports nothing for them. Each calls back at once
 * when it can complete now (and returns undefined), or parks and returns a
 * `withdraw` function: true when the wait left before completing (nothing
 * taken, nothing left behind), false when it had already completed.
 */
export const PARK_RECEIVE: unique symbol = Symbol.for("panama.channel.parkReceive")
export const PARK_SEND: unique symbol = Symbol.for("panama.channel.parkSend")

/** A parked callback receive (see PARK_RECEIVE). */
class CallbackReceive<T> implements Receiving<T> {
  prev: Link | null = null
  next: Link | null = null
  list: WaitList<Link> | null = null
  constructor(
    readonly onValue: (value: T) => void,
    readonly onEnd: (reason: unknown, hasReason: boolean) => void,
  ) {}
  // A throwing callback is reported, never thrown into the channel's loops: the
  // value was handed over (or the end reached) whatever the adapter does with it.
  deliver(value: T): void {
    try {
      this.onValue(value)
    } catch (error) {
      report(error)
    }
  }
  end(chan: Chan<T>): void {
    try {
      this.onEnd(chan.reason, chan.hasReason)
    } catch (error) {
      report(error)
    }
  }
}

/** A parked callback send (see PARK_SEND). */
class CallbackSend<T> implements Sending<T> {
  prev: Link | null = null
  next: Link | null = null
  list: WaitList<Link> | null = null
  constructor(
    readonly value: T,
    readonly weight: number,
    readonly onAccepted: () => void,
    readonly onRefused: (error: unknown) => void,
  ) {}
  admit(): void {
    try {
      this.onAccepted()
    } catch (error) {
      report(error)
    }
  }
  refuse(chan: Chan<T>): void {
    try {
      this.onRefused(chan.closedError(this.value))
    } catch (error) {
      report(error)
    }
  }
}

// ------------------------------------------------------------------ shared introspection

function stats<T>(c: Chan<T>): ChannelStats {
  return {
    sent: c.sent,
    received: c.received,
    dropped: { overflow: c.droppedOverflow, cancel: c.droppedCancel },
  }
}

function rejectBadOptions(options: WaitOptions | undefined): Promise<never> | undefined {
  try {
    checkWaitOptions(options)
  } catch (error) {
    return Promise.reject(error)
  }
  const signal = options?.signal
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason)
  return undefined
}

/** Validates a batch size: an integer >= 1 or Infinity. */
export function checkMax(max: unknown): void {
  if (typeof max !== "number") throw new TypeError("max must be a number")
  if (!(max >= 1) || (!Number.isInteger(max) && max !== Infinity)) {
    throw new RangeError("max must be an integer >= 1 or Infinity")
  }
}

// ------------------------------------------------------------------ handles

/** What both handles tell about the shared channel (SPEC §1, Introspection). */
abstract class Handle<T> implements ChannelInfo {
  protected released = false // set once by close / cancel; a released handle refuses new work

  constructor(protected readonly chan: Chan<T>) {}

  /** @internal The channel, or null once this handle is released (select reads it). */
  get [CORE](): Chan<T> | null {
    return this.released ? null : this.chan
  }

  /** Marks this handle released; true the first time only. */
  protected release(): boolean {
    if (this.released) return false
    this.released = true
    return true
  }

  get capacity(): number {
    return this.chan.capacity
  }
  get size(): number {
    return this.chan.load
  }
  get state(): ChannelState {
    return STATE_NAMES[this.chan.state]
  }
  get senders(): number {
    return this.chan.senders
  }
  get receivers(): number {
    return this.chan.receivers
  }
  get pendingSends(): number {
    return this.chan.sendq.length
  }
  get pendingReceives(): number {
    return this.chan.recvq.length
  }
  get stats(): ChannelStats {
    return stats(this.chan)
  }
}

export class SenderHandle<T> extends Handle<T> implements Sender<T> {

  get closed(): Promise<void> {
    return this.chan.txClosed()
  }

  send(value: T, options?: WaitOptions): Promise<void> {
    if (options !== undefined) {
      const bad = rejectBadOptions(options)
      if (bad !== undefined) return bad
    }
    const c = this.chan
    if (this.released) return Promise.reject(c.closedError(value))
    let weight: number
    let code: number
    try {
      weight = c.weigh(value)
      code = c.offer(value, weight)
    } catch (error) {
      return Promise.reject(error)
    }
    if (code === OK) return RESOLVED
    if (code === SHUT) return Promise.reject(c.closedError(value))
    if (c.overflow === REJECT) return Promise.reject(new ChannelFullError(value))
    // Case: `size()` (user code, run above) aborted the signal: nothing was sent.
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    // Full under suspend: wait in line for room (or a receiver, at capacity 0).
    const w = new SendWaiter(c, value, weight)
    c.parkSender(w)
    return w.wait(options)
  }

  trySend(value: T): TrySendResult<T> {
    const c = this.chan
    if (this.released) return { ok: false, reason: "closed", value }
    const code = c.offer(value, c.weigh(value))
    if (code === OK) return TRY_OK
    return { ok: false, reason: code === SHUT ? "closed" : "full", value }
  }

  async sendAll(values: Iterable<T>, options?: WaitOptions): Promise<T[]> {
    checkWaitOptions(options)
    if (values === null || typeof (values as Iterable<T>)[Symbol.iterator] !== "function") {
      throw new TypeError("values must be iterable")
    }
    const list = Array.from(values)
    const signal = options?.signal
    if ((signal !== undefined && signal.aborted) || this.released) return list
    const c = this.chan
    const started = Date.now()
    let w: SendAllWaiter<T> | undefined
    try {
      for (let i = 0; i < list.length; i++) {
        if ((signal !== undefined && signal.aborted) || w?.fired) return list.slice(i)
        const value = list[i]!
        const weight = c.weigh(value)
        const code = c.offer(value, weight)
        if (code === OK) continue
        if (code === SHUT || c.overflow === REJECT) return list.slice(i)
        // Case: `size()` (user code) aborted the signal just now: this value was not sent.
        if ((signal !== undefined && signal.aborted) || w?.fired) return list.slice(i)
        if (w === undefined) {
          const timeout = options?.timeout
          const rest = timeout === undefined ? undefined : Math.max(0, timeout - (Date.now() - started))
          w = new SendAllWaiter(c, signal, rest)
        }
        w.value = value
        w.weight = weight
        c.parkSender(w)
        if (!(await w.wait())) return list.slice(i)
      }
      return []
    } finally {
      w?.disarm()
    }
  }

  /** @internal See PARK_SEND. */
  [PARK_SEND](value: T, onAccepted: () => void, onRefused: (error: unknown) => void): (() => boolean) | undefined {
    const c = this.chan
    if (this.released) {
      onRefused(c.closedError(value))
      return undefined
    }
    let weight: number
    let code: number
    try {
      weight = c.weigh(value)
      code = c.offer(value, weight)
    } catch (error) {
      onRefused(error)
      return undefined
    }
    if (code === OK) onAccepted()
    else if (code === SHUT) onRefused(c.closedError(value))
    else if (c.overflow === REJECT) onRefused(new ChannelFullError(value))
    else {
      const w = new CallbackSend(value, weight, onAccepted, onRefused)
      c.parkSender(w)
      return () => {
        if (!c.sendq.remove(w)) return false
        c.senderLeft()
        return true
      }
    }
    return undefined
  }

  clone(): Sender<T> {
    if (this.released) throw new TypeError("cannot clone a released sender")
    this.chan.senders++
    return new SenderHandle(this.chan)
  }

  close(reason?: unknown): void {
    // The last sender released closes the channel; a reason closes it whatever the count.
    const last = this.release() && --this.chan.senders === 0
    if (last || reason !== undefined) this.chan.close(reason)
  }

  [DISPOSE](): void {
    this.close()
  }
}

export class ReceiverHandle<T> extends Handle<T> implements Receiver<T> {

  get closed(): Promise<void> {
    return this.chan.rxClosed()
  }

  receive(options?: WaitOptions): Promise<ReceiveResult<T>> {
    if (options !== undefined) {
      const bad = rejectBadOptions(options)
      if (bad !== undefined) return bad
    }
    if (this.released) return DONE_PROMISE
    const c = this.chan
    const value = c.take()
    if (value !== EMPTY) {
      // Case: a delayed wake let this value land first: keep delaying at this pace.
      if (c.lastWake === WOKE_LATER) c.paceNeeded = 2
      c.lastWake = 0
      if (c.deferred > 0) return behind(c, { done: false, value })
      return Promise.resolve({ done: false, value })
    }
    if (c.done) {
      if (c.deferred > 0) return behind(c, DONE)
      return c.hasReason ? Promise.reject(c.reason) : DONE_PROMISE
    }
    pace(c as Chan<unknown>)
    const w = new RecvWaiter<T>(c, false)
    c.parkReceiver(w)
    return w.wait(options) as Promise<ReceiveResult<T>>
  }

  tryReceive(): TryReceiveResult<T> {
    if (this.released) return TRY_CLOSED
    const c = this.chan
    const value = c.take()
    if (value !== EMPTY) return { ok: true, value }
    if (!c.done) return TRY_EMPTY
    return c.hasReason ? { ok: false, reason: "closed", error: c.reason } : TRY_CLOSED
  }

  receiveMany(max: number, options?: WaitOptions): Promise<T[]> {
    try {
      checkMax(max)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options !== undefined) {
      const bad = rejectBadOptions(options)
      if (bad !== undefined) return bad
    }
    if (this.released) return Promise.resolve([])
    const c = this.chan
    const batch: T[] = []
    takeInto(c, batch, max)
    if (c.deferred > 0 && (batch.length > 0 || c.done)) return behind(c, batch)
    if (batch.length > 0) return Promise.resolve(batch)
    if (c.done) return c.hasReason ? Promise.reject(c.reason) : Promise.resolve([])
    const w = new RecvWaiter<T>(c, true)
    c.parkReceiver(w)
    // On wake, top the batch up with what arrived meanwhile: one wake-up per burst.
    return (w.wait(options) as Promise<T[]>).then((first) => (first.length === 0 ? first : takeInto(c, first, max)))
  }

  tryReceiveMany(max: number = Infinity): T[] {
    checkMax(max)
    const batch: T[] = []
    if (!this.released) takeInto(this.chan, batch, max)
    return batch
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined, undefined> {
    // No prefetch: each next() is one receive(), so after a break the next value stays in the channel.
    const iterator: AsyncIterableIterator<T, undefined, undefined> = {
      next: () => this.receive(),
      return: () => DONE_PROMISE,
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }

  /** @internal See PARK_RECEIVE. */
  [PARK_RECEIVE](
    onValue: (value: T) => void,
    onEnd: (reason: unknown, hasReason: boolean) => void,
  ): (() => boolean) | undefined {
    const c = this.chan
    if (this.released) {
      onEnd(undefined, false)
      return undefined
    }
    const value = c.take()
    if (value !== EMPTY) onValue(value)
    else if (c.done) onEnd(c.reason, c.hasReason)
    else {
      const w = new CallbackReceive(onValue, onEnd)
      c.parkReceiver(w)
      return () => c.recvq.remove(w)
    }
    return undefined
  }

  clone(): Receiver<T> {
    if (this.released) throw new TypeError("cannot clone a released receiver")
    this.chan.receivers++
    return new ReceiverHandle(this.chan)
  }

  cancel(reason?: unknown): void {
    // The last receiver released cancels the channel; a reason cancels it whatever the count.
    const last = this.release() && --this.chan.receivers === 0
    if (last || reason !== undefined) this.chan.cancel(reason)
  }

  /** @internal See UNDELIVERED. Works on a released handle too. */
  [UNDELIVERED](value: T): void {
    const c = this.chan
    c.received--
    c.droppedCancel++
    c.drop(value, "cancel")
  }

  [DISPOSE](): void {
    this.cancel()
  }
}

function takeInto<T>(c: Chan<T>, batch: T[], max: number): T[] {
  c.takeMany(batch, max)
  return batch
}
