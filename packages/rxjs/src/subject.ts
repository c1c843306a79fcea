/**
 * `channelSubject`: an RxJS `Subject` whose subscribers each read from a
 * bounded buffer of a `broadcast` channel.
 */

import { broadcast, type BroadcastReceiver, type BroadcastSender, type DropReason } from "@panama/channel"
import { Observable, ObjectUnsubscribedError, Subject, type Observer, type Subscription } from "rxjs"
import { Feeder, type OverflowPolicy } from "./internal/feeder.js"
import { checkFeedOptions, checkLimit, checkObject } from "./internal/options.js"
import { pump } from "./internal/pump.js"

/** Options of `channelSubject()`. */
export interface ChannelSubjectOptions<T> {
  /** Values buffered for each subscriber: a finite integer >= 1. Required. */
  readonly capacity: number
  /**
   * What `next` does when a subscriber's buffer is full. Required.
   * - `"drop-oldest"`: that subscriber skips its oldest buffered value.
   * - `"drop-newest"`: that subscriber misses the new value.
   * - `"reject"`: the subject is closed with a `ChannelFullError` carrying the
   *   value (subscribers error after their buffered values).
   */
  readonly overflow: OverflowPolicy
  /**
   * Under `"reject"`: values held while the slowest subscriber is full,
   * before the subject gives up. Bounded, like the buffers.
   * @defaultValue 0
   */
  readonly stage?: number
  /**
   * Called once for every value no subscriber will get: dropped by every
   * buffer (`"overflow"`), or sent while nobody subscribed (`"cancel"`, as
   * values sent to an RxJS `Subject` without observers are lost).
   */
  readonly onDrop?: (value: T, reason: DropReason) => void
  /** Called when a subscriber missed `n` values because its buffer was full. */
  readonly onLagged?: (n: number) => void
}

/**
 * An RxJS `Subject` over a `broadcast` channel. To RxJS code it is a Subject:
 * `instanceof Subject`, usable with every operator, with `share({ connector })`,
 * with `from()` and `Symbol.observable`. Each subscriber reads from its own
 * buffer of `capacity` values, so a slow subscriber lags or drops by the
 * policy instead of growing memory. It is also an async iterable: each
 * `for await` is one more subscriber that takes values at its own pace.
 *
 * Close semantics: `complete()` closes the channel and `error(e)` closes it
 * with `e`: each subscriber first gets the values in its buffer, then
 * completes or errors. Subscribing after that completes (or errors with `e`).
 * `unsubscribe()` closes the channel, as `complete()` does, and makes later
 * `next` calls throw `ObjectUnsubscribedError`, as a `Subject`'s do.
 *
 * Cancellation: unsubscribing a subscriber gives up its buffer and aborts its
 * pending receive; leaving a `for await` loop does the same.
 */
export class ChannelSubject<T> extends Subject<T> implements AsyncIterable<T> {
  readonly #tx: BroadcastSender<T>
  readonly #feeder: Feeder<T>
  readonly #out: Observable<T>
  readonly #onLagged: ((n: number) => void) | undefined
  #subscribers = 0
  #failure: { error: unknown } | undefined = undefined // set by error()

  constructor(options: ChannelSubjectOptions<T>) {
    super()
    checkObject(options)
    const feed = checkFeedOptions(options)
    const { capacity, onLagged } = options
    checkLimit("capacity", capacity, 1)
    if (onLagged !== undefined && typeof onLagged !== "function") throw new TypeError("onLagged must be a function")
    this.#onLagged = onLagged
    const [tx, first] = broadcast<T>({
      capacity,
      // Drops happen per subscriber buffer; for "reject" the feeder refuses when the slowest is full.
      overflow: feed.overflow === "reject" ? "suspend" : feed.overflow,
      ...(feed.onDrop === undefined ? {} : { onDrop: feed.onDrop }),
    })
    first.cancel() // subscribers join through subscribe(); values sent before any are lost, as with a Subject
    this.#tx = tx
    this.#feeder = new Feeder(tx, feed)
    this.#out = new Observable<T>((subscriber) => {
      if (this.#failure !== undefined && (tx.state === "closed" || tx.state === "cancelled")) {
        subscriber.error(this.#failure.error)
        return
      }
      const rx = tx.subscribe()
      this.#subscribers++
      const stop = pump(rx, subscriber, { lagged: onLagged })
      return () => {
        this.#subscribers--
        if (typeof stop === "function") stop()
        rx.cancel()
      }
    })
  }

  /** Whether the subject has subscribers (RxJS `Subject#observed`). */
  override get observed(): boolean {
    return this.#subscribers > 0
  }

  /** Sends `value` to every subscriber's buffer, under the overflow policy. */
  override next(value: T): void {
    if (this.closed) throw new ObjectUnsubscribedError()
    this.#feeder.next(value)
  }

  /** Closes the channel with `error`: subscribers get their buffered values, then the error. */
  override error(error: unknown): void {
    if (this.closed) throw new ObjectUnsubscribedError()
    if (this.#feeder.stopped) return
    this.#failure = { error }
    this.#feeder.end(error, true)
  }

  /** Closes the channel: subscribers get their buffered values, then complete. */
  override complete(): void {
    if (this.closed) throw new ObjectUnsubscribedError()
    this.#feeder.end()
  }

  override unsubscribe(): void {
    super.unsubscribe()
    this.#feeder.end()
  }

  override subscribe(observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null): Subscription
  /** @deprecated Pass an observer object instead of separate callbacks (as in RxJS 7). */
  override subscribe(
    next?: ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription
  override subscribe(...args: unknown[]): Subscription {
    return (this.#out.subscribe as (...a: unknown[]) => Subscription).apply(this.#out, args)
  }

  /**
   * A new subscriber as an async iterator, joined now (it gets every value sent
   * from this call on) and paced by the loop; leaving the loop unsubscribes it.
   * Lag reports go to `onLagged`.
   */
  [Symbol.asyncIterator](): AsyncGenerator<T, undefined, undefined> {
    return iterate(this.#tx.subscribe(), this.#onLagged)
  }
}

async function* iterate<T>(
  rx: BroadcastReceiver<T>,
  onLagged: ((n: number) => void) | undefined,
): AsyncGenerator<T, undefined, undefined> {
  try {
    for (;;) {
      const r = await rx.receive()
      if (r.done) return undefined
      if ("lagged" in r) onLagged?.(r.lagged)
      else yield r.value
    }
  } finally {
    rx.cancel()
  }
}

/**
 * Makes a `ChannelSubject`: a real RxJS `Subject` that multicasts through a
 * bounded buffer per subscriber.
 *
 * @example
 * ```ts
 * import { channelSubject } from "@panama/rxjs"
 * import { filter } from "rxjs"
 *
 * const ticks = channelSubject<number>({ capacity: 256, overflow: "drop-oldest" })
 * ticks.pipe(filter((n) => n % 2 === 0)).subscribe((n) => console.log("even", n))
 * ticks.next(1)
 * ticks.next(2)
 * ticks.complete()
 * for await (const n of ticks) console.log(n) // joined after complete: ends at once
 * ```
 */
export function channelSubject<T>(options: ChannelSubjectOptions<T>): ChannelSubject<T> {
  return new ChannelSubject(options)
}
