/**
 * `ChannelSink`: the underlying sink behind `toWritableStream`.
 *
 * Invariants:
 * - Each write is one `send` carrying the controller's signal, so `abort()`
 *   withdraws a send that waits for room (nothing is left in the channel).
 * - `finished` once the sink let go of the stream for good (closed, aborted,
 *   errored); the sender handle is released exactly then.
 */

import type { Sender } from "@panama/channel"
import { shutError } from "./shut.js"

export class ChannelSink<T> {
  readonly #tx: Sender<T>
  #c!: WritableStreamDefaultController
  #finished = false

  constructor(tx: Sender<T>) {
    this.#tx = tx
  }

  start(c: WritableStreamDefaultController): void {
    this.#c = c
    void this.#tx.closed.then(this.#onShut)
  }

  write(chunk: T): Promise<void> {
    const signal = this.#c.signal as AbortSignal | undefined
    return this.#tx.send(chunk, signal === undefined ? undefined : { signal }).then(undefined, this.#onWriteFailed)
  }

  close(): void {
    this.#release()
  }

  abort(reason: unknown): void {
    this.#finished = true
    const signal = this.#c.signal as AbortSignal | undefined
    // Case: abort() without a reason is still not a graceful close: receivers see an AbortError.
    const why = reason !== undefined ? reason : (signal?.reason ?? new DOMException("aborted", "AbortError"))
    this.#tx.close(why)
  }

  #onWriteFailed = (error: unknown): never => {
    // Case: abort() withdrew the send; the stream calls `abort` next, which closes with the reason.
    if (!(this.#c.signal as AbortSignal | undefined)?.aborted) this.#release()
    throw error
  }

  // The channel stopped taking values while this stream is still writable: error it now,
  // so a pipe into it cancels its source without waiting for its next chunk.
  #onShut = (): void => {
    if (this.#finished) return
    this.#release()
    void shutError(this.#tx as Sender<unknown>).then((error) => this.#c.error(error))
  }

  #release(): void {
    if (this.#finished) return
    this.#finished = true
    this.#tx.close()
  }
}
