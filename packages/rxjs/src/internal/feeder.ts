/**
 * The `Feeder`: what an Observable's `next` / `error` / `complete` do to a
 * sending handle. An Observable cannot be paused, so every value meets the
 * overflow policy at once:
 *
 * 1. Fast path: nothing is held, and `trySend` accepts the value.
 * 2. The channel is full and the stage has room: the value waits in the stage;
 *    one staged value at a time is offered with a waiting `send` ("in flight").
 * 3. The channel and the stage are full: the policy decides. `drop-newest`
 *    drops the new value, `drop-oldest` evicts the oldest held one, `reject`
 *    closes the channel with `ChannelFullError` carrying the new value and
 *    stops the source.
 *
 * Invariants: `held() <= stage`; values reach the channel in the order the
 * Observable emitted them; every value the feeder took from the Observable is
 * accepted by the channel, or passed to `onDrop` exactly once, or (only the one
 * value `reject` refused) carried by the `ChannelFullError`.
 */

import { ChannelFullError, type DropReason, type TrySendResult } from "@panama/channel"

/** What the feeder needs of a sender: a channel `Sender` or a `BroadcastSender`. */
export interface Sink<T> {
  readonly closed: Promise<void>
  trySend(value: T): TrySendResult<T>
  send(value: T, options?: { signal?: AbortSignal }): Promise<void>
  close(reason?: unknown): void
}

/** What `next` does when the channel and the stage are full. */
export type OverflowPolicy = "drop-newest" | "drop-oldest" | "reject"

export interface FeedOptions<T> {
  readonly overflow: OverflowPolicy
  readonly stage: number
  readonly onDrop: ((value: T, reason: DropReason) => void) | undefined
}

/** Marks an in-flight send evicted by `drop-oldest`; it rejects with this when the abort won. */
const EVICTED = Symbol("evicted")

/** The one staged value offered with a waiting `send`. */
interface Flight<T> {
  readonly value: T
  readonly abort: AbortController
  evicted: boolean
}

export class Feeder<T> {
  readonly #sink: Sink<T>
  readonly #overflow: OverflowPolicy
  readonly #stage: number
  readonly #onDrop: ((value: T, reason: DropReason) => void) | undefined
  #queue: T[] = [] // staged values behind the flight, oldest at #head
  #head = 0
  #flight: Flight<T> | null = null
  #stopped = false // no more values are taken from the source
  /** Called once when the feeder stops the source (reject, or the channel stopped taking values). */
  onHalt: () => void = () => {}

  constructor(sink: Sink<T>, options: FeedOptions<T>) {
    this.#sink = sink
    this.#overflow = options.overflow
    this.#stage = options.stage
    this.#onDrop = options.onDrop
    // The channel will take no more values (cancelled by its receivers, or closed by another sender).
    sink.closed.then(() => this.#halt())
  }

  get stopped(): boolean {
    return this.#stopped
  }

  /** Values the feeder holds: the flight and the queue. */
  held(): number {
    return (this.#flight === null ? 0 : 1) + this.#queue.length - this.#head
  }

  next(value: T): void {
    if (this.#stopped) return
    if (this.held() === 0) {
      // Fast path: nothing held, so nothing can be overtaken.
      const r = this.#sink.trySend(value)
      if (r.ok) return
      if (r.reason === "closed") {
        this.#drop(value, "cancel")
        this.#halt()
        return
      }
    }
    if (this.held() < this.#stage) {
      this.#enqueue(value)
      return
    }
    switch (this.#overflow) {
      case "drop-newest":
        this.#drop(value, "overflow")
        return
      case "drop-oldest":
        this.#evictOldest()
        this.#enqueue(value)
        return
      case "reject":
        // The held values go first (as waiting sends), then the close that refuses this one.
        this.#stopped = true
        this.#release()
        this.#sink.close(new ChannelFullError(value))
        this.onHalt()
    }
  }

  /**
   * The source finished (or was unsubscribed): the held values are offered as
   * waiting sends, in order, and then the handle is released, so the channel's
   * close rule admits them before the close (or the reason) is seen.
   */
  end(reason?: unknown, hasReason = false): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#release()
    if (hasReason) this.#sink.close(reason)
    else this.#sink.close()
  }

  // Offers every queued value as a waiting send; values the channel refuses are dropped as "cancel".
  #release(): void {
    const queue = this.#queue
    for (let i = this.#head; i < queue.length; i++) {
      const value = queue[i]!
      this.#sink.send(value).catch(() => this.#drop(value, "cancel"))
    }
    this.#queue = []
    this.#head = 0
  }

  // The channel takes no more values: stop the source, give up what is held.
  #halt(): void {
    if (this.#stopped) return
    this.#stopped = true
    const queue = this.#queue
    for (let i = this.#head; i < queue.length; i++) this.#drop(queue[i]!, "cancel")
    this.#queue = []
    this.#head = 0
    this.#sink.close()
    this.onHalt()
  }

  #enqueue(value: T): void {
    this.#queue.push(value)
    if (this.#flight === null) this.#fly()
  }

  // Drop-oldest: the oldest held value is the flight if there is one (abort it), else the queue head.
  #evictOldest(): void {
    const flight = this.#flight
    if (flight !== null) {
      // If the send was admitted before this abort, the abort is a no-op and the value is in the channel.
      flight.evicted = true
      this.#flight = null
      flight.abort.abort(EVICTED)
    } else if (this.#queue.length > this.#head) {
      this.#drop(this.#shift(), "overflow")
    }
  }

  #shift(): T {
    const value = this.#queue[this.#head]!
    this.#queue[this.#head++] = undefined as T
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      // Compact once the consumed prefix is at least half the array.
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
    return value
  }

  // Offers staged values: trySend while the channel takes them, then one waiting send.
  #fly(): void {
    while (this.#flight === null && this.#queue.length > this.#head) {
      const value = this.#queue[this.#head]!
      const r = this.#sink.trySend(value)
      if (r.ok) {
        this.#shift()
        continue
      }
      if (r.reason === "closed") {
        this.#halt()
        return
      }
      this.#shift()
      const flight: Flight<T> = { value, abort: new AbortController(), evicted: false }
      this.#flight = flight
      this.#sink.send(value, { signal: flight.abort.signal }).then(
        () => this.#landed(flight),
        (error: unknown) => this.#failed(flight, error),
      )
    }
  }

  #landed(flight: Flight<T>): void {
    if (this.#flight !== flight) return // evicted too late: it was accepted, nothing more to do
    this.#flight = null
    if (!this.#stopped) this.#fly()
  }

  #failed(flight: Flight<T>, error: unknown): void {
    if (flight.evicted && error === EVICTED) {
      this.#drop(flight.value, "overflow")
      return
    }
    if (this.#flight === flight) this.#flight = null
    // Refused by a closed or cancelled channel, or a full one under the channel's own `reject`.
    if (error instanceof ChannelFullError) {
      this.#drop(flight.value, "overflow")
      if (!this.#stopped) this.#fly()
      return
    }
    this.#drop(flight.value, "cancel")
    this.#halt()
  }

  #drop(value: T, reason: DropReason): void {
    const onDrop = this.#onDrop
    if (onDrop === undefined) return
    try {
      onDrop(value, reason)
    } catch (error) {
      reportError(error)
    }
  }
}

function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError
  if (typeof report === "function") report(error)
  else
    queueMicrotask(() => {
      throw error
    })
}
