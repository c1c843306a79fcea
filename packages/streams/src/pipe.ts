/**
 * Streams into channels: `pipeToChannel` and `fromReadableStream`.
 */

import { channel, type ChannelOptions, type Receiver, type Sender } from "@panama/channel"
import { Pipe } from "./internal/pipe.js"

/** Options of `pipeToChannel`: those of `ReadableStream.pipeTo`, with the channel as the destination. */
export interface PipeToChannelOptions {
  /**
   * Aborting it stops the pipe: the channel is closed with `signal.reason`
   * (unless `preventAbort`) and the source cancelled (unless `preventCancel`).
   * A send waiting for room is withdrawn and leaves nothing in the channel.
   */
  readonly signal?: AbortSignal
  /**
   * When the source closes, keep `tx` (the channel stays open for other
   * sends) instead of releasing it.
   * @defaultValue false
   */
  readonly preventClose?: boolean
  /**
   * When the source errors (or the signal aborts), keep `tx` instead of
   * closing the channel with the error.
   * @defaultValue false
   */
  readonly preventAbort?: boolean
  /**
   * When the channel stops taking values (or the signal aborts), leave the
   * source as it is instead of cancelling it. The reader's lock is released.
   * @defaultValue false
   */
  readonly preventCancel?: boolean
}

/**
 * Pipes `readable` into the channel behind `tx`, reading a chunk only once the
 * previous one was accepted: a full channel stops the reads, so backpressure
 * reaches the source (for a `fetch` body, the socket). Resolves when the
 * source closed and every chunk was accepted; rejects with the source's error,
 * the signal's reason, or the error that stopped the channel.
 *
 * The pipe owns `tx` and releases it when it finishes, except that
 * `preventClose` (source closed) and `preventAbort` (source errored, signal
 * aborted) leave it to the caller.
 *
 * Close semantics: the source closing releases `tx` (the channel closes
 * gracefully if it was the last sender: receivers get every chunk, then done).
 * The source erroring closes the channel with the error: receivers get every
 * chunk accepted before, then the error.
 *
 * Cancellation: when the channel is cancelled (its last receiver is gone) or
 * closed by another sender, the source is cancelled at once, even while a read
 * waits. The signal aborts a waiting send without losing anything the channel
 * holds; the chunk in hand (read, not accepted) is not sent.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { pipeToChannel } from "@panama/streams"
 *
 * const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: (chunk) => chunk.byteLength })
 * const response = await fetch("https://example.com/")
 * const piping = pipeToChannel(response.body!, tx)
 * for await (const chunk of rx) console.log(chunk.byteLength)
 * await piping
 * ```
 */
export function pipeToChannel<T>(
  readable: ReadableStream<T>,
  tx: Sender<T>,
  options: PipeToChannelOptions = {},
): Promise<void> {
  try {
    if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
    const { signal, preventClose = false, preventAbort = false, preventCancel = false } = options
    if (signal !== undefined && (typeof signal !== "object" || typeof signal.addEventListener !== "function")) {
      throw new TypeError("options.signal must be an AbortSignal")
    }
    const reader = readable.getReader()
    const pipe = new Pipe(reader, tx, {
      signal,
      preventClose: Boolean(preventClose),
      preventAbort: Boolean(preventAbort),
      preventCancel: Boolean(preventCancel),
    })
    return pipe.run()
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * A channel fed from `readable` by `pipeToChannel`, returned as its receiver.
 *
 * Throws `TypeError` for a locked stream, and what `channel()` throws for bad
 * options.
 *
 * Close semantics: the source closing closes the channel (receivers drain it,
 * then see done); the source erroring closes it with the error (receivers
 * drain it, then the receive rejects with the error).
 *
 * Cancellation: cancelling the channel (`rx.cancel()` on its last receiver)
 * cancels the source.
 *
 * @example
 * ```ts
 * import { fromReadableStream } from "@panama/streams"
 *
 * const words = new ReadableStream<string>({
 *   start(c) {
 *     for (const w of ["x", "y"]) c.enqueue(w)
 *     c.close()
 *   },
 * })
 * const rx = fromReadableStream(words, { capacity: 8 })
 * for await (const w of rx) console.log(w) // x, y
 * ```
 */
export function fromReadableStream<T>(readable: ReadableStream<T>, options?: ChannelOptions<T>): Receiver<T> {
  if (readable === null || typeof readable !== "object" || typeof readable.getReader !== "function") {
    throw new TypeError("readable must be a ReadableStream")
  }
  if (readable.locked) throw new TypeError("readable is locked")
  const [tx, rx] = channel<T>(options)
  // The pipe's outcome reaches receivers through the channel (done, or the error).
  pipeToChannel(readable, tx).catch(ignore)
  return rx
}

function ignore(): void {}
