/**
 * Channels as WHATWG `WritableStream`s: `toWritableStream`.
 */

import type { Sender } from "@panama/channel"
import { ChannelSink } from "./internal/channel-sink.js"

/**
 * A `WritableStream` constructor: the global one, or another implementation's
 * (e.g. `web-streams-polyfill`). Never mix two implementations in one pipe.
 * The stream it makes is typed as the global `WritableStream`.
 */
export type WritableStreamConstructor = new (...args: never[]) => unknown

/** Options of `toWritableStream`. */
export interface ToWritableStreamOptions {
  /**
   * How many writes the stream queues before it reports backpressure
   * (`writer.desiredSize`). At least 1: with 0 a `pipeTo` would never write.
   * @defaultValue 1
   */
  readonly highWaterMark?: number
  /**
   * The constructor to build the stream with.
   * @defaultValue globalThis.WritableStream
   */
  readonly WritableStream?: WritableStreamConstructor
}

/**
 * A `WritableStream` that sends each chunk into the channel through `tx`.
 * A write resolves once its chunk is accepted (buffered, taken, or dropped by
 * the channel's overflow policy).
 *
 * The stream owns `tx` and releases it (`tx.close()`) when it is closed,
 * aborted or errored; the channel closes only if that was its last sender.
 *
 * Close semantics: `close()` releases `tx` (a graceful close of the channel if
 * it was the last sender). `abort(reason)` closes the channel with `reason` at
 * once (an `AbortError` when no reason is given); values already accepted are
 * still delivered before receivers see the reason.
 *
 * Cancellation: `abort()` unblocks a write waiting for room at once (the send
 * carries the controller's signal and leaves nothing behind). When the channel
 * stops taking values (cancelled by its receivers, or closed through another
 * sender) the stream errors with a `ChannelClosedError` whose `cause` is the
 * reason, so a `pipeTo` into it cancels its source.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { toWritableStream } from "@panama/streams"
 *
 * const [tx, rx] = bounded<string>(16)
 * const source = new ReadableStream<string>({
 *   start(c) {
 *     c.enqueue("hello")
 *     c.close()
 *   },
 * })
 * await source.pipeTo(toWritableStream(tx))
 * console.log(await rx.receive()) // { done: false, value: "hello" }
 * ```
 */
export function toWritableStream<T>(tx: Sender<T>, options: ToWritableStreamOptions = {}): WritableStream<T> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { highWaterMark = 1 } = options
  const Ctor = (options.WritableStream ?? globalThis.WritableStream) as typeof globalThis.WritableStream
  if (typeof highWaterMark !== "number") throw new TypeError("highWaterMark must be a number")
  if (!(highWaterMark >= 1)) throw new RangeError("highWaterMark must be >= 1")
  if (typeof Ctor !== "function") throw new TypeError("WritableStream must be a constructor")
  const sink = new ChannelSink(tx)
  return new Ctor<T>(
    {
      start: (c) => sink.start(c),
      write: (chunk) => sink.write(chunk),
      close: () => sink.close(),
      abort: (reason) => sink.abort(reason),
    },
    { highWaterMark },
  )
}
