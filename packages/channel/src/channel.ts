/**
 * Channels: the public API of `channel()` and its factories, and the `Sender`
 * / `Receiver` handles. The machinery is in `internal/` (core.ts is the state
 * machine, handles.ts the handle classes).
 */

import {
  Chan,
  DROP_NEWEST,
  DROP_OLDEST,
  OVERFLOW_NAMES,
} from "./internal/core.js"
import { ReceiverHandle, SenderHandle } from "./internal/handles.js"
import type { WaitOptions } from "./internal/wait.js"

export type { WaitOptions }

/** What a send does when the buffer is full. See the package README, "Overflow". */
export type Overflow = "suspend" | "drop-newest" | "drop-oldest" | "reject"

// NOTE: spelled out rather than aliased to internal/core.ts's DropReason, so the
// generated API docs do not point into internal/ (core.ts uses the same union).
/** Why an accepted value was passed to `onDrop`. */
export type DropReason = "overflow" | "cancel"

/** `open → closing → closed`, or `open | closing → cancelled`; states only advance. */
export type ChannelState = "open" | "closing" | "closed" | "cancelled"

/** Options of `channel()`. */
export interface ChannelOptions<T> {
  /**
   * How much the buffer holds: an integer >= 0, or `Infinity`. `0` is a
   * rendezvous channel (a send completes when a receiver takes the value).
   * @defaultValue 0
   */
  readonly capacity?: number
  /**
   * What a send does when the buffer is full.
   * @defaultValue "suspend"
   */
  readonly overflow?: Overflow
  /**
   * Weight of a value against `capacity` (e.g. byte length). A value is
   * admitted when it fits, or alone when the buffer is empty.
   * @defaultValue every value weighs 1
   */
  readonly size?: (value: T) => number
  /** Called exactly once for every accepted value that will never be delivered. */
  readonly onDrop?: (value: T, reason: DropReason) => void
}

/** Result of `receive()`: the `ReadableStreamDefaultReader.read()` shape. */
export type ReceiveResult<T> = { done: false; value: T } | { done: true; value: undefined }

/** Result of `trySend()`. A value not accepted comes back in `value`. */
export type TrySendResult<T> = { ok: true } | { ok: false; reason: "full" | "closed"; value: T }

/** Result of `tryReceive()`. `error` is the close or cancel reason, when one was given. */
export type TryReceiveResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "empty" | "closed"; error?: unknown }

/** Counts since the channel was made. */
export interface ChannelStats {
  /** Values accepted. */
  readonly sent: number
  /** Values delivered to a receiver. */
  readonly received: number
  /** Values passed to `onDrop`, by reason. */
  readonly dropped: { readonly overflow: number; readonly cancel: number }
}

/** What both handles tell about the shared channel. */
export interface ChannelInfo {
  /** The capacity the channel was made with. */
  readonly capacity: number
  /** Buffered weight (the number of buffered values unless `size` was given). */
  readonly size: number
  readonly state: ChannelState
  /** Live sender handles. */
  readonly senders: number
  /** Live receiver handles. */
  readonly receivers: number
  /** Senders waiting for room (or for a receiver). */
  readonly pendingSends: number
  /** Receivers waiting for a value. */
  readonly pendingReceives: number
  readonly stats: ChannelStats
}

/**
 * The sending handle of a channel.
 *
 * Close semantics: `close()` releases this handle; when the last sender handle
 * is released the channel closes gracefully (everything accepted is still
 * delivered). `close(reason)` closes the whole channel with that reason at once.
 *
 * Cancellation: every waiting operation takes `{ signal, timeout }`. An aborted
 * send leaves nothing behind: the value was either accepted before the abort
 * (the promise resolves) or not at all.
 */
export interface Sender<T> extends ChannelInfo, Disposable {
  /** Resolves when no value can be sent any more (closing, closed or cancelled). Never rejects. */
  readonly closed: Promise<void>
  /**
   * Sends a value, waiting while the buffer is full (policy `suspend`).
   * Resolves once the value is accepted. Rejects with `ChannelClosedError`
   * (carrying the value) on a closed or cancelled channel, `ChannelFullError`
   * under `reject`, the signal's reason on abort, a `TimeoutError` on timeout.
   *
   * @example
   * ```ts
   * import { bounded } from "@panama/channel"
   *
   * const [tx, rx] = bounded<number>(1)
   * await tx.send(1)                                           // buffered
   * const late = tx.send(2, { timeout: 100 })                  // waits for room
   * console.log(await rx.receive())                            // { done: false, value: 1 }
   * await late                                                 // accepted once 1 was taken
   * ```
   */
  send(value: T, options?: WaitOptions): Promise<void>
  /**
   * Sends without waiting. Never throws for a full or closed channel: the value
   * not accepted comes back in the result.
   *
   * @example
   * ```ts
   * import { bounded } from "@panama/channel"
   *
   * const [tx] = bounded<string>(1)
   * tx.trySend("a")                       // { ok: true }
   * const r = tx.trySend("b")             // { ok: false, reason: "full", value: "b" }
   * if (!r.ok) console.log(r.reason, r.value)
   * ```
   */
  trySend(value: T): TrySendResult<T>
  /**
   * Sends values in order, waiting as needed. Resolves with the values not
   * accepted (`[]` when all were); stops at the first that cannot be accepted
   * (closed, full under `reject`, abort, timeout) instead of rejecting.
   * `timeout` bounds the whole call.
   *
   * @example
   * ```ts
   * import { bounded } from "@panama/channel"
   *
   * const [tx, rx] = bounded<number>(2)
   * const rest = await tx.sendAll([1, 2, 3], { timeout: 10 })
   * console.log(rest) // [3]: nobody made room within 10 ms
   * ```
   */
  sendAll(values: Iterable<T>, options?: WaitOptions): Promise<T[]>
  /** A new sender handle onto the same channel. Throws `TypeError` on a released handle. */
  clone(): Sender<T>
  /**
   * Releases this handle; the last release closes the channel. With a reason,
   * closes the channel with it at once, whatever the count. Idempotent.
   */
  close(reason?: unknown): void
}

/**
 * The receiving handle of a channel. It is also an async iterable that
 * receives until done and never prefetches.
 *
 * Close semantics: after a close, receivers get every accepted value, then done
 * (or a rejection with the close reason). `cancel()` releases this handle; the
 * last release cancels the channel: buffered values go to `onDrop(v, "cancel")`
 * and waiting senders are refused.
 *
 * Cancellation: an aborted receive took no value; it stays for the next receiver.
 */
export interface Receiver<T> extends ChannelInfo, Disposable, AsyncIterable<T, undefined, undefined> {
  /** Resolves when no value will ever be received (closed and drained, or cancelled). Never rejects. */
  readonly closed: Promise<void>
  /**
   * Receives the next value, waiting while the channel is empty. Resolves
   * `{ done: true }` once the channel is closed and drained (or cancelled
   * without a reason); rejects with the reason when there is one.
   *
   * @example
   * ```ts
   * import { unbounded } from "@panama/channel"
   *
   * const [tx, rx] = unbounded<string>()
   * tx.trySend("hello")
   * tx.close()
   * console.log(await rx.receive()) // { done: false, value: "hello" }
   * console.log(await rx.receive()) // { done: true, value: undefined }
   * ```
   */
  receive(options?: WaitOptions): Promise<ReceiveResult<T>>
  /** Receives without waiting; never throws. */
  tryReceive(): TryReceiveResult<T>
  /**
   * Waits until at least one value is available, then takes up to `max` at
   * once, in order. Resolves `[]` only when the channel is done.
   *
   * @example
   * ```ts
   * import { unbounded } from "@panama/channel"
   *
   * const [tx, rx] = unbounded<number>()
   * for (let i = 0; i < 5; i++) tx.trySend(i)
   * console.log(await rx.receiveMany(3)) // [0, 1, 2]
   * ```
   */
  receiveMany(max: number, options?: WaitOptions): Promise<T[]>
  /** Takes up to `max` values available now (all of them by default). */
  tryReceiveMany(max?: number): T[]
  /** A new receiver handle onto the same channel. Throws `TypeError` on a released handle. */
  clone(): Receiver<T>
  /**
   * Releases this handle; the last release cancels the channel. With a reason,
   * cancels the channel with it at once, whatever the count. Idempotent.
   */
  cancel(reason?: unknown): void
}

/**
 * Makes a channel and returns its `[sender, receiver]` handles.
 * Throws `TypeError` for options of the wrong type or an unknown policy, and
 * `RangeError` for numbers out of range.
 *
 * @example
 * ```ts
 * import { channel } from "@panama/channel"
 *
 * const [tx, rx] = channel<string>({ capacity: 16 })
 * void (async () => {
 *   for (const job of ["a", "b", "c"]) await tx.send(job)
 *   tx.close()
 * })()
 * for await (const job of rx) console.log(job)
 * ```
 */
export function channel<T>(options: ChannelOptions<T> = {}): [Sender<T>, Receiver<T>] {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { capacity = 0, overflow = "suspend", size, onDrop } = options
  checkCapacity(capacity)
  const policy = typeof overflow === "string" ? OVERFLOW_NAMES.indexOf(overflow) : -1
  if (policy < 0) {
    throw new TypeError(`overflow must be one of ${OVERFLOW_NAMES.map((n) => `"${n}"`).join(", ")}`)
  }
  if (size !== undefined && typeof size !== "function") throw new TypeError("size must be a function")
  if (onDrop !== undefined && typeof onDrop !== "function") throw new TypeError("onDrop must be a function")
  if (capacity === 0 && (policy === DROP_NEWEST || policy === DROP_OLDEST)) {
    throw new RangeError(`overflow "${overflow}" needs a capacity >= 1`)
  }
  if (capacity === 0 && size !== undefined) throw new RangeError("size needs a capacity >= 1")
  const chan = new Chan<T>({ capacity, overflow: policy, size, onDrop })
  return [new SenderHandle(chan), new ReceiverHandle(chan)]
}

function checkCapacity(capacity: unknown): asserts capacity is number {
  if (typeof capacity !== "number") throw new TypeError("capacity must be a number")
  if (!(capacity >= 0) || (!Number.isInteger(capacity) && capacity !== Infinity)) {
    throw new RangeError("capacity must be an integer >= 0 or Infinity")
  }
}

/** Options of the factories: everything but what the factory fixes. */
export type FactoryOptions<T> = Omit<ChannelOptions<T>, "capacity" | "overflow">

/**
 * A channel of `capacity` whose sends wait while it is full.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: (chunk) => chunk.byteLength })
 * ```
 */
export function bounded<T>(capacity: number, options?: FactoryOptions<T>): [Sender<T>, Receiver<T>] {
  checkCapacity(capacity)
  return channel({ ...options, capacity, overflow: "suspend" })
}

/**
 * A channel whose sends never wait (capacity `Infinity`).
 *
 * @example
 * ```ts
 * import { unbounded } from "@panama/channel"
 * const [tx, rx] = unbounded<string>()
 * ```
 */
export function unbounded<T>(options?: FactoryOptions<T>): [Sender<T>, Receiver<T>] {
  return channel({ ...options, capacity: Infinity, overflow: "suspend" })
}

/**
 * A channel without a buffer: a send completes when a receiver takes the value.
 *
 * @example
 * ```ts
 * import { rendezvous } from "@panama/channel"
 * const [tx, rx] = rendezvous<string>()
 * ```
 */
export function rendezvous<T>(options?: Omit<FactoryOptions<T>, "size">): [Sender<T>, Receiver<T>] {
  return channel({ ...options, capacity: 0, overflow: "suspend" })
}

/**
 * A channel of `capacity` that drops the new value when full (`drop-newest`).
 *
 * @example
 * ```ts
 * import { dropping } from "@panama/channel"
 * const [tx, rx] = dropping<number>(8, { onDrop: (v) => console.log("dropped", v) })
 * ```
 */
export function dropping<T>(capacity: number, options?: FactoryOptions<T>): [Sender<T>, Receiver<T>] {
  checkCapacity(capacity)
  return channel({ ...options, capacity, overflow: "drop-newest" })
}

/**
 * A channel of `capacity` that evicts the oldest value when full (`drop-oldest`).
 *
 * @example
 * ```ts
 * import { sliding } from "@panama/channel"
 * const [tx, rx] = sliding<number>(8)
 * ```
 */
export function sliding<T>(capacity: number, options?: FactoryOptions<T>): [Sender<T>, Receiver<T>] {
  checkCapacity(capacity)
  return channel({ ...options, capacity, overflow: "drop-oldest" })
}

