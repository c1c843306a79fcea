/**
 * Channels as WHATWG `ReadableStream`s: `toReadableStream`.
 */

import type { Receiver } from "@panama/channel"
import { ChannelSource } from "./internal/channel-source.js"

/**
 * A `ReadableStream` constructor: the global one, or another implementation's
 * (e.g. `web-streams-polyfill`). Never mix two implementations in one pipe.
 * The stream it makes is typed as the global `ReadableStream`.
 */
export type ReadableStreamConstructor = new (...args: never[]) => unknown

/** Options of `toReadableStream`. */
export interface ToReadableStreamOptions<T> {
  /**
   * How many values (or, with `size`, how much weight; with `type: "bytes"`,
   * how many bytes) the stream takes out of the channel ahead of its reads.
   * `0` takes a value only when a read asks for one, so nothing is stranded in
   * the stream. Values held ahead and never read are passed to the channel's
   * `onDrop` with reason `"cancel"` when the stream is cancelled.
   * @defaultValue 0
   */
  readonly highWaterMark?: number
  /**
   * Weight of a value held ahead, against `highWaterMark`. Not allowed with
   * `type: "bytes"` (there a value weighs its byte length).
   * @defaultValue every value weighs 1
   */
  readonly size?: (value: T) => number
  /**
   * `"bytes"` makes a readable byte stream for a channel of `Uint8Array` (any
   * `ArrayBufferView`): BYOB readers work, and a value larger than a BYOB
   * reader's buffer is delivered over several reads. A value that is a view
   * into a larger buffer (a pooled Node `Buffer`) is copied, not transferred.
   * @defaultValue undefined (a default stream)
   */
  readonly type?: "bytes"
  /**
   * The constructor to build the stream with.
   * @defaultValue globalThis.ReadableStream
   */
  readonly ReadableStream?: ReadableStreamConstructor
}

/**
 * A `ReadableStream` that reads the channel through `rx`: each `pull`
 * receives one value and enqueues it.
 *
 * The stream owns `rx` and releases it (`rx.cancel()`) when it ends or is
 * cancelled; the channel itself cancels only if that was its last receiver.
 * Hand it `rx.clone()` to keep consuming elsewhere.
 *
 * Close semantics: a plain close of the channel closes the stream after the
 * last value; a close with a reason errors the stream with that reason, but
 * only once a read asks past the last value, so no value is lost to the error.
 *
 * Cancellation: `cancel(reason)` aborts the receive in flight (it took no
 * value; the value stays in the channel) and releases `rx`. Values taken ahead
 * under a `highWaterMark` above 0 go to the channel's `onDrop(value, "cancel")`.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { toReadableStream } from "@panama/streams"
 *
 * const [tx, rx] = bounded<string>(4)
 * void (async () => {
 *   for (const word of ["a", "b", "c"]) await tx.send(word)
 *   tx.close()
 * })()
 * for await (const word of toReadableStream(rx)) console.log(word) // a, b, c
 * ```
 */
export function toReadableStream(
  rx: Receiver<Uint8Array>,
  options: ToReadableStreamOptions<Uint8Array> & { readonly type: "bytes" },
): ReadableStream<Uint8Array>
export function toReadableStream<T>(rx: Receiver<T>, options?: ToReadableStreamOptions<T>): ReadableStream<T>
export function toReadableStream<T>(rx: Receiver<T>, options: ToReadableStreamOptions<T> = {}): ReadableStream<T> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { highWaterMark = 0, size, type } = options
  const Ctor = (options.ReadableStream ?? globalThis.ReadableStream) as typeof globalThis.ReadableStream
  if (typeof highWaterMark !== "number") throw new TypeError("highWaterMark must be a number")
  if (!(highWaterMark >= 0)) throw new RangeError("highWaterMark must be >= 0")
  if (size !== undefined && typeof size !== "function") throw new TypeError("size must be a function")
  if (type !== undefined && type !== "bytes") throw new TypeError('type must be "bytes" or undefined')
  if (type === "bytes" && size !== undefined) throw new RangeError('a "bytes" stream cannot have a size function')
  if (typeof Ctor !== "function") throw new TypeError("ReadableStream must be a constructor")

  // The source is the underlying source object itself: the stream calls its methods directly.
  // NOTE: the stream's own highWaterMark is 0 whatever the option: the prefetch is held by
  // the source, where a cancel can still see it (see internal/channel-source.ts).
  const source = new ChannelSource(rx, { highWaterMark, size, bytes: type === "bytes" })
  return new Ctor(source as UnderlyingDefaultSource<T>, { highWaterMark: 0 })
}
