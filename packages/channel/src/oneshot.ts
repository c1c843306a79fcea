/**
 * `oneshot`: a channel for exactly one value (a reply, a result). The
 * receiver is a `PromiseLike` of the value; the sender learns through
 * `closed` when nobody will take a value any more.
 */

import type { ReceiveResult, TrySendResult, DropReason } from "./channel.js"
import { ChannelClosedError } from "./errors.js"
import { dropTo, keepFirstReason } from "./internal/core.js"
import { Latch } from "./internal/latch.js"
import { DISPOSE } from "./internal/handles.js"
import { SELECT, type Port } from "./internal/select-core.js"
import { checkWaitOptions, type WaitOptions } from "./internal/wait.js"
import { WaitList } from "./internal/wait-list.js"
import { NOT_READY, park, portOf, type Wake } from "./internal/wake.js"

/** `empty → full → taken`, or `empty → closed`, or `empty | full → cancelled`. */
export type OneshotState = "empty" | "full" | "taken" | "closed" | "cancelled"

/** Options of `oneshot()`. */
export interface OneshotOptions<T> {
  /** Called once if a sent value is never received (the receiver cancelled). */
  readonly onDrop?: (value: T, reason: DropReason) => void
}

/** The sending half of a oneshot. */
export interface OneshotSender<T> extends Disposable {
  readonly state: OneshotState
  /** Resolves when no value can be sent any more: sent, closed, or the receiver is gone. Never rejects. */
  readonly closed: Promise<void>
  /**
   * Sends the value. Throws `ChannelClosedError` (carrying it) when the
   * receiver is gone or the sender closed, and `TypeError` on a second send.
   */
  send(value: T): void
  /** Sends without throwing for a gone receiver: `{ ok: false, reason: "closed", value }`. */
  trySend(value: T): TrySendResult<T>
  /** Gives up without a value: the receiver sees done, or the reason. Idempotent. */
  close(reason?: unknown): void
}

/** The receiving half of a oneshot; `await rx` gives the value (or rejects if none will come). */
export interface OneshotReceiver<T> extends PromiseLike<T>, Disposable {
  readonly state: OneshotState
  /** Resolves when no value will be received any more. Never rejects. */
  readonly closed: Promise<void>
  /** Waits for the value: `{ done: false, value }`, then `{ done: true }` for later calls. */
  receive(options?: WaitOptions): Promise<ReceiveResult<T>>
  /** Takes the value if it is there. */
  tryReceive(): { ok: true; value: T } | { ok: false; reason: "empty" | "closed"; error?: unknown }
  /** Gives up the value: a value sent and not received goes to `onDrop(v, "cancel")`. Idempotent. */
  cancel(reason?: unknown): void
}

const EMPTY = 0
const FULL = 1
const TAKEN = 2
const CLOSED = 3
const CANCELLED = 4
const NAMES = ["empty", "full", "taken", "closed", "cancelled"] as const
const DONE: ReceiveResult<never> = Object.freeze({ done: true, value: undefined })

class Slot<T> {
  state = EMPTY
  value: T | undefined = undefined
  reason: unknown = undefined
  hasReason = false
  readonly waiters = new WaitList<Wake<ReceiveResult<T>>>() // parked receives, oldest first
  readonly onDrop: ((value: T, reason: DropReason) => void) | undefined
  readonly txDone = new Latch() // released when no value can be sent any more
  readonly rxDone = new Latch() // released when no value will be received any more

  constructor(onDrop: ((value: T, reason: DropReason) => void) | undefined) {
    this.onDrop = onDrop
  }

  /** Takes the value or reports the end; NOT_READY while empty. */
  poll(): ReceiveResult<T> | typeof NOT_READY {
    if (this.state === FULL) {
      const value = this.value as T
      this.value = undefined
      this.state = TAKEN
      this.rxDone.open()
      return { done: false, value }
    }
    if (this.state === EMPTY) return NOT_READY
    if (this.hasReason) throw this.reason
    return DONE
  }

  // The value or the end arrived: the first waiter takes it, the rest see done.
  wakeAll(): void {
    let w: Wake<ReceiveResult<T>> | null
    while ((w = this.waiters.shift()) !== null) {
      let result: ReceiveResult<T> | typeof NOT_READY
      try {
        result = this.poll()
      } catch (error) {
        w.fail(error)
        continue
      }
      w.wake(result as ReceiveResult<T>)
    }
  }
}

class Tx<T> implements OneshotSender<T> {
  readonly #s: Slot<T>
  constructor(s: Slot<T>) {
    this.#s = s
  }
  get state(): OneshotState {
    return NAMES[this.#s.state]
  }
  get closed(): Promise<void> {
    return this.#s.txDone.promise()
  }
  send(value: T): void {
    const r = this.trySend(value)
    if (!r.ok) throw new ChannelClosedError(value, this.#s.hasReason ? this.#s.reason : undefined)
  }
  trySend(value: T): TrySendResult<T> {
    const s = this.#s
    if (s.state === FULL || s.state === TAKEN) throw new TypeError("oneshot value already sent")
    if (s.state !== EMPTY) return { ok: false, reason: "closed", value }
    s.state = FULL
    s.value = value
    s.txDone.open()
    s.wakeAll()
    return { ok: true }
  }
  close(reason?: unknown): void {
    const s = this.#s
    if (s.state !== EMPTY) return
    keepFirstReason(s, reason)
    s.state = CLOSED
    s.txDone.open()
    s.rxDone.open()
    s.wakeAll()
  }
  [DISPOSE](): void {
    this.close()
  }
}

class Rx<T> implements OneshotReceiver<T> {
  readonly #s: Slot<T>
  constructor(s: Slot<T>) {
    this.#s = s
  }
  get state(): OneshotState {
    return NAMES[this.#s.state]
  }
  get closed(): Promise<void> {
    return this.#s.rxDone.promise()
  }
  receive(options?: WaitOptions): Promise<ReceiveResult<T>> {
    try {
      checkWaitOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    const s = this.#s
    try {
      const r = s.poll()
      if (r !== NOT_READY) return Promise.resolve(r)
    } catch (error) {
      return Promise.reject(error)
    }
    return park(s.waiters, this, options)
  }
  tryReceive(): { ok: true; value: T } | { ok: false; reason: "empty" | "closed"; error?: unknown } {
    const s = this.#s
    if (s.state === EMPTY) return { ok: false, reason: "empty" }
    if (s.state === FULL) return { ok: true, value: (s.poll() as { value: T }).value }
    return s.hasReason ? { ok: false, reason: "closed", error: s.reason } : { ok: false, reason: "closed" }
  }
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.receive()
      .then((r) => {
        if (r.done) throw new ChannelClosedError(undefined)
        return r.value
      })
      .then(onfulfilled, onrejected)
  }
  cancel(reason?: unknown): void {
    const s = this.#s
    if (s.state !== EMPTY && s.state !== FULL) return
    keepFirstReason(s, reason)
    const held = s.state === FULL
    const value = s.value as T
    s.value = undefined
    s.state = CANCELLED
    s.txDone.open()
    s.rxDone.open()
    s.wakeAll()
    if (held) dropTo(s.onDrop, value as T, "cancel")
  }
  [SELECT](): Port<ReceiveResult<T>> {
    const s = this.#s
    return portOf(s.waiters, this, () => s.state !== EMPTY, () => s.poll())
  }
  [DISPOSE](): void {
    this.cancel()
  }
}

/**
 * Makes a oneshot channel: one value, then done.
 *
 * Close semantics: `tx.close()` without a value makes the receiver see done
 * (`await rx` rejects with `ChannelClosedError`), or the reason if given.
 *
 * Cancellation: `rx.receive({ signal })` aborted takes nothing; `rx.cancel()`
 * gives the value up (to `onDrop`) and makes later sends fail.
 *
 * @example
 * ```ts
 * import { oneshot } from "@panama/channel"
 *
 * const [reply, answer] = oneshot<number>()
 * setTimeout(() => reply.send(42), 1)
 * console.log(await answer) // 42
 * ```
 */
export function oneshot<T>(options: OneshotOptions<T> = {}): [OneshotSender<T>, OneshotReceiver<T>] {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  if (options.onDrop !== undefined && typeof options.onDrop !== "function") {
    throw new TypeError("onDrop must be a function")
  }
  const slot = new Slot<T>(options.onDrop)
  return [new Tx(slot), new Rx(slot)]
}
