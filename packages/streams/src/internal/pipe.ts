/**
 * `Pipe`: the loop behind `pipeToChannel`. It reads one chunk, sends it, and
 * reads the next only once the send resolved, so a full channel stops the
 * reads and the backpressure reaches the source (for a fetch body, the socket).
 *
 * The shutdown rules are those of WHATWG `pipeTo`, with the channel as the
 * destination:
 * - source closes → release `tx` (a graceful close), unless `preventClose`;
 * - source errors → `tx.close(error)`, unless `preventAbort`;
 * - channel stops taking values (cancelled, or closed by another sender; a
 *   send rejects) → release `tx`, cancel the source, unless `preventCancel`;
 * - signal aborts → `tx.close(reason)` unless `preventAbort`, cancel the
 *   source unless `preventCancel`.
 * A read in flight when the signal aborts or the channel stops is interrupted
 * (by cancelling the source, or by releasing the reader under
 * `preventCancel`). No `Promise.race`: one listener and one `closed` reaction
 * per pipe, whatever the number of chunks.
 */

import type { Sender } from "@panama/channel"
import { shutError } from "./shut.js"

export interface PipeOptions {
  signal: AbortSignal | undefined
  preventClose: boolean
  preventAbort: boolean
  preventCancel: boolean
}

export class Pipe<T> implements EventListenerObject {
  readonly #reader: ReadableStreamDefaultReader<T>
  readonly #tx: Sender<T>
  readonly #o: PipeOptions
  #reading = false // a read is in flight
  #stopping = false // a shutdown began: later stop events change nothing
  #cancelling: Promise<void> | undefined = undefined // the source's cancel, once asked for
  #shut: Promise<unknown> | undefined = undefined // the error naming why the channel stopped, once asked for

  constructor(reader: ReadableStreamDefaultReader<T>, tx: Sender<T>, options: PipeOptions) {
    this.#reader = reader
    this.#tx = tx
    this.#o = options
  }

  async run(): Promise<void> {
    const { signal } = this.#o
    const tx = this.#tx
    try {
      if (signal?.aborted) return await this.#aborted(signal.reason)
      signal?.addEventListener("abort", this)
      void tx.closed.then(this.#onShut)
      const sendOptions = signal === undefined ? undefined : { signal }
      for (;;) {
        if (tx.state !== "open") return await this.#channelShut(undefined)
        let r: ReadableStreamReadResult<T>
        this.#reading = true
        try {
          r = await this.#reader.read()
        } catch (error) {
          if (signal?.aborted) return await this.#aborted(signal.reason)
          if (tx.state !== "open") return await this.#channelShut(undefined)
          return this.#sourceErrored(error)
        } finally {
          this.#reading = false
        }
        // Case: the read was interrupted (or raced) by an abort or by the channel's end.
        if (signal?.aborted) return await this.#aborted(signal.reason)
        if (tx.state !== "open") return await this.#channelShut(undefined)
        if (r.done) return this.#sourceClosed()
        try {
          await tx.send(r.value, sendOptions)
        } catch (error) {
          if (signal?.aborted && error === signal.reason) return await this.#aborted(error)
          return await this.#channelShut(error)
        }
      }
    } finally {
      this.#stopping = true
      signal?.removeEventListener("abort", this)
      this.#reader.releaseLock()
    }
  }

  // The signal aborted while a read was in flight: interrupt it.
  handleEvent(): void {
    if (this.#stopping || !this.#reading) return
    this.#interruptRead(this.#o.signal!.reason)
  }

  #onShut = (): void => {
    if (this.#stopping || !this.#reading) return
    // The channel stopped taking values while the source is idle: do not wait for its next chunk.
    void this.#shutError().then((error) => this.#interruptRead(error))
  }

  // Releases `tx` (the pipe is done with it) and learns the reason the channel stopped.
  #shutError(): Promise<unknown> {
    this.#tx.close()
    return (this.#shut ??= shutError(this.#tx as Sender<unknown>))
  }

  #interruptRead(reason: unknown): void {
    if (!this.#reading) return
    if (this.#o.preventCancel) this.#reader.releaseLock()
    else this.#cancelSource(reason)
  }

  #cancelSource(reason: unknown): Promise<void> {
    return (this.#cancelling ??= this.#reader.cancel(reason))
  }

  #sourceClosed(): void {
    this.#stopping = true
    if (!this.#o.preventClose) this.#tx.close()
  }

  #sourceErrored(error: unknown): never {
    this.#stopping = true
    if (!this.#o.preventAbort) this.#tx.close(error)
    throw error
  }

  async #aborted(reason: unknown): Promise<never> {
    this.#stopping = true
    if (!this.#o.preventAbort) this.#tx.close(reason)
    if (!this.#o.preventCancel) await this.#cancelSource(reason)
    throw reason
  }

  // `error`: the send's rejection, or undefined when the end was seen without a send.
  async #channelShut(error: unknown): Promise<never> {
    this.#stopping = true
    this.#tx.close()
    const why = error !== undefined ? error : await this.#shutError()
    if (!this.#o.preventCancel) await this.#cancelSource(why)
    throw why
  }
}
