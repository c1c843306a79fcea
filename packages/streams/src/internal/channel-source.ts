/**
 * `ChannelSource`: the underlying source behind `toReadableStream`.
 *
 * Invariants:
 * - The stream is built with `highWaterMark: 0`, so it calls `pull` only while
 *   a read waits, and a value enqueued then goes straight to that read: the
 *   stream's own queue stays empty. The user's `highWaterMark` is a prefetch
 *   buffer held here (`buf`), so a cancel knows exactly which values it held
 *   and can report them (SPEC §8: "prefetching is theft").
 * - At most one receive is in flight (`receiving`); a cancel aborts it.
 * - `end` records that the channel will give no more; the stream itself ends
 *   (close or error) only once nothing is held here any more. An error (a
 *   close with a reason) is raised only when a read asks past the last value.
 * - `finished` once the stream is closed, errored or cancelled; the receiver
 *   handle is released then (SPEC §8: the adapter owns its handle).
 */

import type { Receiver, ReceiveResult } from "@panama/channel"
import { asBytes, transferable } from "./bytes.js"
import { undelivered } from "./undelivered.js"

type Controller<T> = ReadableStreamDefaultController<T> | ReadableByteStreamController

const OPEN = 0 // the channel may still give values
const DONE = 1 // closed and drained, or cancelled without a reason
const FAILED = 2 // closed or cancelled with a reason (`reason`)

export interface SourceOptions<T> {
  highWaterMark: number // prefetch limit, in `size` units (bytes for a byte stream); 0: none
  size: ((value: T) => number) | undefined // weight of a prefetched value; undefined: 1 (bytes: byteLength)
  bytes: boolean // a `type: "bytes"` stream over ArrayBufferView values
}

/** Also the underlying source object the stream is built with: `type`, `start`, `pull`, `cancel`. */
export class ChannelSource<T> {
  readonly type: "bytes" | undefined // read once by the stream's constructor
  readonly #rx: Receiver<T>
  readonly #hwm: number
  readonly #size: ((value: T) => number) | undefined
  readonly #bytes: boolean
  #c!: Controller<T>
  #abort: AbortController | undefined = undefined // made with the first receive that waits

  #buf: T[] = [] // prefetched values not yet delivered; `#head` is the oldest
  #head = 0
  #load = 0 // weight of the prefetched values
  #leftover: Uint8Array | undefined = undefined // the rest of a value a BYOB read could not hold

  #waiting: (() => void) | undefined = undefined // settles the pull that waits for the fill loop
  #receiving = false // a receive is in flight
  #end = OPEN
  #reason: unknown = undefined
  #finished = false

  constructor(rx: Receiver<T>, options: SourceOptions<T>) {
    this.#rx = rx
    this.#hwm = options.highWaterMark
    this.#size = options.size
    this.#bytes = options.bytes
    this.type = options.bytes ? "bytes" : undefined
  }

  start(c: Controller<T>): void {
    this.#c = c
    const state = this.#rx.state
    // Case: the channel is already done: end now, so an errored channel gives an errored stream.
    if (state === "closed" || state === "cancelled") this.#channelDone()
    else void this.#rx.closed.then(() => this.#channelDone())
    if (this.#hwm > 0) void this.#fill()
  }

  pull(): Promise<void> | undefined {
    // Fast path: a default stream without prefetch, and a value ready in the channel.
    if (this.#hwm === 0 && !this.#bytes) {
      const r = this.#rx.tryReceive()
      if (r.ok) {
        ;(this.#c as ReadableStreamDefaultController<T>).enqueue(r.value)
        return
      }
      if (r.reason === "closed") {
        this.#finish(r.error, "error" in r)
        return
      }
    }
    if (this.#leftover !== undefined) {
      const rest = this.#leftover
      this.#leftover = undefined
      this.#deliverBytes(rest)
      return
    }
    return this.#hwm > 0 ? this.#pullBuffered() : this.#pullOne()
  }

  cancel(reason: unknown): void {
    if (this.#finished) return
    this.#finished = true
    // A receive in flight took nothing yet: aborting it leaves the value in the channel.
    this.#abort?.abort(reason)
    const rx = this.#rx
    for (let i = this.#head; i < this.#buf.length; i++) undelivered(rx, this.#buf[i]!)
    this.#buf = []
    this.#head = 0
    this.#load = 0
    if (this.#leftover !== undefined) undelivered(rx, this.#leftover as T)
    this.#leftover = undefined
    rx.cancel()
    this.#settleWaiting()
  }

  // ---------------------------------------------------------------- no prefetch

  // One read, one value: take it now if the channel has one, else wait for it.
  #pullOne(): Promise<void> | undefined {
    for (;;) {
      const r = this.#rx.tryReceive()
      if (!r.ok) {
        if (r.reason === "empty") break
        this.#finish(r.error, "error" in r)
        return
      }
      if (this.#deliver(r.value)) return
    }
    this.#receiving = true
    return this.#rx.receive({ signal: this.#signal() }).then(this.#onReceived, this.#onFailed)
  }

  #onReceived = (r: ReceiveResult<T>): Promise<void> | undefined => {
    this.#receiving = false
    if (this.#finished) {
      // Case: cancelled after the value was handed over but before this ran.
      if (!r.done) undelivered(this.#rx, r.value)
      return
    }
    if (r.done) this.#finish(undefined, false)
    // Case: an empty byte chunk satisfies no read; the read still waits.
    else if (!this.#deliver(r.value)) return this.#pullOne()
    return
  }

  #onFailed = (error: unknown): void => {
    this.#receiving = false
    if (!this.#finished) this.#finish(error, true)
  }

  // ---------------------------------------------------------------- prefetch (highWaterMark > 0)

  #pullBuffered(): Promise<void> | undefined {
    if (this.#head < this.#buf.length) {
      const value = this.#shift()
      this.#deliver(value)
      if (this.#holding()) void this.#fill()
      // Case: the last held value went out after a plain close: close now, it is delivered first.
      else if (this.#end === DONE) this.#finish(undefined, false)
      else if (this.#end === OPEN) void this.#fill()
      return
    }
    if (this.#end !== OPEN) {
      this.#finish(this.#reason, this.#end === FAILED)
      return
    }
    return new Promise<void>((resolve) => {
      this.#waiting = resolve
      void this.#fill()
    })
  }

  // Receives until the buffer holds `highWaterMark` and no pull waits. At most one runs.
  async #fill(): Promise<void> {
    if (this.#receiving || this.#finished || this.#end !== OPEN) return
    this.#receiving = true
    const rx = this.#rx
    try {
      while (this.#waiting !== undefined || this.#load < this.#hwm) {
        let value: T
        const t = rx.tryReceive()
        if (t.ok) value = t.value
        else if (t.reason === "closed") return this.#ended(t.error, "error" in t)
        else {
          const r = await rx.receive({ signal: this.#signal() })
          if (this.#finished) {
            if (!r.done) undelivered(rx, r.value)
            return
          }
          if (r.done) return this.#ended(undefined, false)
          value = r.value
        }
        const waiting = this.#waiting
        if (waiting !== undefined) {
          if (!this.#deliver(value)) continue
          this.#waiting = undefined
          waiting()
        } else if (!this.#finished) this.#push(value)
      }
    } catch (error) {
      if (!this.#finished) this.#ended(error, true)
    } finally {
      this.#receiving = false
    }
  }

  #push(value: T): void {
    let w: number
    try {
      w = this.#weigh(value)
    } catch (error) {
      undelivered(this.#rx, value)
      this.#fail(error)
      return
    }
    // Case: an empty byte chunk carries nothing a read could get.
    if (this.#bytes && w === 0) return
    this.#buf.push(value)
    this.#load += w
  }

  #shift(): T {
    const value = this.#buf[this.#head]!
    this.#buf[this.#head++] = undefined as T
    this.#load -= this.#weigh(value)
    if (this.#head === this.#buf.length) {
      this.#buf.length = 0
      this.#head = 0
    }
    return value
  }

  /** The weight of a prefetched value. Throws `RangeError` for a `size` result no buffer could hold. */
  #weigh(value: T): number {
    if (this.#bytes) return ArrayBuffer.isView(value) ? value.byteLength : 1
    if (this.#size === undefined) return 1
    const w = this.#size(value)
    if (typeof w !== "number" || !(w >= 0) || w === Infinity) {
      throw new RangeError(`size() must return a finite number >= 0, got ${String(w)}`)
    }
    return w
  }

  // ---------------------------------------------------------------- the end

  // The channel will give no more: end the stream once nothing is held here.
  #ended(reason: unknown, failed: boolean): void {
    if (this.#end !== OPEN || this.#finished) return
    this.#end = failed ? FAILED : DONE
    this.#reason = reason
    if (this.#holding()) return
    // Case: a read may wait (`#waiting`), or nobody reads: ending now loses nothing.
    this.#finish(reason, failed)
  }

  #channelDone(): void {
    if (this.#finished || this.#receiving || this.#end !== OPEN) return
    // `rx.closed` resolved: the channel is drained or cancelled, so this takes no value.
    const r = this.#rx.tryReceive()
    if (r.ok) this.#push(r.value)
    else this.#ended(r.error, "error" in r)
  }

  #holding(): boolean {
    return this.#head < this.#buf.length || this.#leftover !== undefined
  }

  #finish(reason: unknown, failed: boolean): void {
    if (this.#finished) return
    this.#finished = true
    const c = this.#c
    if (failed) c.error(reason)
    else {
      c.close()
      // A BYOB read waiting at close is answered with 0 bytes: it resolves done.
      if (this.#bytes) (c as ReadableByteStreamController).byobRequest?.respond(0)
    }
    this.#rx.cancel()
    this.#settleWaiting()
  }

  #fail(error: unknown): void {
    if (this.#finished) return
    this.#finished = true
    this.#c.error(error)
    this.#rx.cancel()
    this.#settleWaiting()
  }

  #settleWaiting(): void {
    const waiting = this.#waiting
    this.#waiting = undefined
    waiting?.()
  }

  #signal(): AbortSignal {
    return (this.#abort ??= new AbortController()).signal
  }

  // ---------------------------------------------------------------- delivery

  /** Hands `value` to the waiting read. Returns false if it satisfied no read (an empty byte chunk). */
  #deliver(value: T): boolean {
    if (!this.#bytes) {
      ;(this.#c as ReadableStreamDefaultController<T>).enqueue(value)
      return true
    }
    if (!ArrayBuffer.isView(value)) {
      undelivered(this.#rx, value)
      this.#fail(new TypeError("a byte stream needs ArrayBufferView values"))
      return true
    }
    if (value.byteLength === 0) return false
    this.#deliverBytes(value)
    return true
  }

  #deliverBytes(value: ArrayBufferView): void {
    const c = this.#c as ReadableByteStreamController
    const request = c.byobRequest
    const view = request?.view
    if (request == null || view == null) {
      c.enqueue(transferable(value))
      return
    }
    // A BYOB read: copy into the reader's buffer; what does not fit waits for the next read.
    const dst = asBytes(view)
    const src = asBytes(value)
    const n = Math.min(dst.byteLength, src.byteLength)
    dst.set(n === src.byteLength ? src : src.subarray(0, n))
    if (n < src.byteLength) this.#leftover = src.subarray(n)
    request.respond(n)
  }
}
