/**
 * `watch`: a single latest value with versions (configuration, status,
 * progress). Sending replaces the value; receivers read it with `borrow()` and
 * wait for a newer version with `changed()`. Nothing queues: a receiver that
 * looks late sees only the newest value.
 */

import type { ReceiveResult } from "./channel.js"
import { ChannelClosedError } from "./errors.js"
import { DISPOSE } from "./internal/handles.js"
import { Latch } from "./internal/latch.js"
import { SELECT, type Port } from "./internal/select-core.js"
import { checkWaitOptions, type WaitOptions } from "./internal/wait.js"
import { WaitList } from "./internal/wait-list.js"
import { NOT_READY, park, portOf, type Wake } from "./internal/wake.js"

/** The sending half of a watch. */
export interface WatchSender<T> extends Disposable {
  /** `"open"` until the sender closes, then `"closed"`. */
  readonly state: "open" | "closed"
  /** Version of the current value: 0 for the initial one, +1 per send. */
  readonly version: number
  /** Live receiver handles. */
  readonly receivers: number
  /** Resolves when the sender closed or every receiver is gone. Never rejects. */
  readonly closed: Promise<void>
  /** Replaces the value and wakes every `changed()`. Throws `ChannelClosedError` after close. */
  send(value: T): void
  /** The current value. */
  borrow(): T
  /** A new receiver that has seen the current version. */
  subscribe(): WatchReceiver<T>
  /** No more values: pending and later `changed()` see done (or the reason) once they saw the last one. */
  close(reason?: unknown): void
}

/** A receiving handle of a watch. Async-iterating it yields each newer value. */
export interface WatchReceiver<T> extends Disposable, AsyncIterable<T, undefined, undefined> {
  readonly version: number
  /** Whether a version newer than the last one this receiver saw exists. */
  readonly hasChanged: boolean
  /** The current value (does not mark it seen). */
  borrow(): T
  /**
   * Waits for a version newer than the last one this receiver saw, marks it
   * seen, and resolves with it. After the sender closed and the newest value
   * was seen: `{ done: true }`, or rejects with the close reason.
   */
  changed(options?: WaitOptions): Promise<ReceiveResult<T>>
  /** A receiver onto the same watch that has seen what this one saw. */
  clone(): WatchReceiver<T>
  /** Releases this handle. Idempotent. */
  cancel(): void
}

class Cell<T> {
  value: T
  version = 0
  open = true
  reason: unknown = undefined
  hasReason = false
  receivers = 1
  readonly waiters = new WaitList<Wake<ReceiveResult<T>>>() // changed() calls, oldest first; owner is the Rx
  readonly #closed = new Latch() // opens when the sender closed or every receiver is gone

  constructor(value: T) {
    this.value = value
  }

  get ended(): boolean {
    return !this.open || this.receivers === 0
  }

  closedPromise(): Promise<void> {
    return this.#closed.promise()
  }

  checkEnded(): void {
    if (this.ended) this.#closed.open()
  }

  /** For a receiver that saw `seen`: the newer value, the end, or NOT_READY. */
  poll(rx: Rx<T>): ReceiveResult<T> | typeof NOT_READY {
    if (rx.seen < this.version) {
      rx.seen = this.version
      return { done: false, value: this.value }
    }
    if (this.open) return NOT_READY
    if (this.hasReason) throw this.reason
    return { done: true, value: undefined }
  }

  wakeAll(): void {
    // Walks the queue in place: a waiter whose receiver an earlier waiter already
    // moved to this version (two waits on one receiver) stays parked. Each wake may
    // withdraw other waiters (a select's other cases), so go on from the head.
    let w = this.waiters.head
    while (w !== null) {
      let r: ReceiveResult<T> | typeof NOT_READY
      try {
        r = this.poll(w.owner as Rx<T>)
      } catch (error) {
        this.waiters.remove(w)
        w.fail(error)
        w = this.waiters.head
        continue
      }
      if (r === NOT_READY) {
        w = w.next as Wake<ReceiveResult<T>> | null
        continue
      }
      this.waiters.remove(w)
      w.wake(r)
      w = this.waiters.head
    }
  }
}

class Tx<T> implements WatchSender<T> {
  readonly #c: Cell<T>
  constructor(c: Cell<T>) {
    this.#c = c
  }
  get state(): "open" | "closed" {
    return this.#c.open ? "open" : "closed"
  }
  get version(): number {
    return this.#c.version
  }
  get receivers(): number {
    return this.#c.receivers
  }
  get closed(): Promise<void> {
    return this.#c.closedPromise()
  }
  send(value: T): void {
    const c = this.#c
    if (!c.open) throw new ChannelClosedError(value, c.hasReason ? c.reason : undefined)
    c.value = value
    c.version++
    c.wakeAll()
  }
  borrow(): T {
    return this.#c.value
  }
  subscribe(): WatchReceiver<T> {
    const c = this.#c
    c.receivers++
    return new Rx(c, c.version)
  }
  close(reason?: unknown): void {
    const c = this.#c
    if (!c.open) return
    if (reason !== undefined) {
      c.reason = reason
      c.hasReason = true
    }
    c.open = false
    c.checkEnded()
    c.wakeAll()
  }
  [DISPOSE](): void {
    this.close()
  }
}

class Rx<T> implements WatchReceiver<T> {
  readonly #c: Cell<T>
  seen: number // the newest version this receiver has seen
  #released = false

  constructor(c: Cell<T>, seen: number) {
    this.#c = c
    this.seen = seen
  }
  get version(): number {
    return this.#c.version
  }
  get hasChanged(): boolean {
    return this.seen < this.#c.version
  }
  borrow(): T {
    return this.#c.value
  }
  changed(options?: WaitOptions): Promise<ReceiveResult<T>> {
    try {
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    if (this.#released) return Promise.resolve({ done: true, value: undefined })
    const c = this.#c
    try {
      const r = c.poll(this)
      if (r !== NOT_READY) return Promise.resolve(r)
    } catch (error) {
      return Promise.reject(error)
    }
    return park(c.waiters, this, options)
  }
  clone(): WatchReceiver<T> {
    if (this.#released) throw new TypeError("cannot clone a released receiver")
    this.#c.receivers++
    return new Rx(this.#c, this.seen)
  }
  cancel(): void {
    if (this.#released) return
    this.#released = true
    this.#c.receivers--
    this.#c.checkEnded()
  }
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined, undefined> {
    const iterator: AsyncIterableIterator<T, undefined, undefined> = {
      next: () => this.changed(),
      return: () => Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }
  [SELECT](): Port<ReceiveResult<T>> {
    const c = this.#c
    if (this.#released) {
      return portOf(c.waiters, this, () => true, () => ({ done: true, value: undefined }))
    }
    return portOf(c.waiters, this, () => this.seen < c.version || !c.open, () => c.poll(this))
  }
  [DISPOSE](): void {
    this.cancel()
  }
}

/**
 * Makes a watch holding `initial` (version 0).
 *
 * Close semantics: after `tx.close()`, each receiver's `changed()` still
 * yields a version it has not seen, then done (or the close reason).
 *
 * Cancellation: an aborted `changed()` marks nothing seen.
 *
 * @example
 * ```ts
 * import { watch } from "@panama/channel"
 *
 * const [config, rx] = watch({ level: "info" })
 * setTimeout(() => config.send({ level: "debug" }), 1)
 * const r = await rx.changed()
 * if (!r.done) console.log(r.value.level) // "debug"
 * ```
 */
export function watch<T>(initial: T): [WatchSender<T>, WatchReceiver<T>] {
  const cell = new Cell(initial)
  return [new Tx(cell), new Rx(cell, 0)]
}
