/**
 * Observables into channels: `subscribeToChannel` feeds a sending handle,
 * `fromObservable` makes the channel and hands back its receiving handle.
 */

import {
  channel,
  type BroadcastSender,
  type DropReason,
  type Receiver,
  type Sender,
} from "@panama/channel"
import { from, Subject, takeUntil, type ObservableInput, type Subscription } from "rxjs"
import { Feeder, type FeedOptions, type OverflowPolicy } from "./internal/feeder.js"
import { checkFeedOptions, checkLimit, checkObject } from "./internal/options.js"

export type { OverflowPolicy }

/** Options of `subscribeToChannel()`. */
export interface SubscribeToChannelOptions<T> {
  /**
   * What `next` does when the channel and the stage are full. Required: an
   * Observable cannot be paused, so the choice is the user's.
   * - `"drop-newest"`: the new value is dropped (`onDrop(v, "overflow")`).
   * - `"drop-oldest"`: the oldest value the adapter holds is dropped.
   * - `"reject"`: the channel is closed with a `ChannelFullError` carrying the
   *   new value, and the source is unsubscribed.
   */
  readonly overflow: OverflowPolicy
  /**
   * Values the adapter holds while the channel is full, offered in order as
   * room appears: a bounded staging buffer with its own limit. Staging needs a
   * channel whose own overflow is `"suspend"`.
   * @defaultValue 0, or 1 for `"drop-oldest"`
   */
  readonly stage?: number
  /**
   * Called once for every value taken from the Observable that the channel
   * never accepted: dropped by the policy (`"overflow"`), or still held when
   * the channel stopped taking values (`"cancel"`).
   */
  readonly onDrop?: (value: T, reason: DropReason) => void
}

/**
 * Subscribes to an Observable and sends its values into a channel under an
 * explicit overflow policy. The adapter owns the handle it is given and
 * releases it when the source is finished.
 *
 * Close semantics: `complete` releases the handle (`tx.close()`: the channel
 * closes if it was the last sender); `error(e)` closes the channel with `e`.
 * Values the adapter still holds are sent first, so receivers see them before
 * the close. Unsubscribing the returned `Subscription` stops the source and
 * releases the handle the same way as `complete`.
 *
 * Cancellation: when the channel stops taking values (every receiver gone, or
 * closed by another sender) the source is unsubscribed at once; values the
 * adapter held go to `onDrop(v, "cancel")`.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { subscribeToChannel } from "@panama/rxjs"
 * import { interval } from "rxjs"
 *
 * const [tx, rx] = bounded<number>(64)
 * const subscription = subscribeToChannel(interval(10), tx, {
 *   overflow: "drop-oldest",
 *   stage: 16,
 *   onDrop: (n) => console.log("missed", n),
 * })
 * for await (const n of rx) if (n === 100) break
 * rx.cancel() // the channel is cancelled: interval is unsubscribed
 * console.log(subscription.closed)
 * ```
 */
export function subscribeToChannel<T>(
  observable: ObservableInput<T>,
  tx: Sender<T> | BroadcastSender<T>,
  options: SubscribeToChannelOptions<T>,
): Subscription {
  const feed = checkFeedOptions(options)
  const source = from(observable)
  const feeder = new Feeder<T>(tx, feed)
  // takeUntil is how a feeder stops even a source that emits synchronously inside subscribe().
  const halt = new Subject<void>()
  feeder.onHalt = () => halt.next()
  const subscription = source.pipe(takeUntil(halt)).subscribe({
    next: (value) => feeder.next(value),
    error: (error: unknown) => feeder.end(error, true),
    complete: () => feeder.end(),
  })
  subscription.add(() => feeder.end())
  return subscription
}

/** Options of `fromObservable()`: the channel's and the adapter's. */
export interface FromObservableOptions<T> extends SubscribeToChannelOptions<T> {
  /** How many values the channel buffers: a finite integer >= 0. Required. */
  readonly capacity: number
  /** Weight of a value against `capacity`, as in `channel()`. */
  readonly size?: (value: T) => number
}

/**
 * Subscribes to an Observable at once and returns a receiving handle onto a
 * channel it feeds. `drop-newest` and `drop-oldest` are the channel's own
 * policies (`dropping` / `sliding`); `reject` refuses a value the channel
 * and the stage cannot hold. One `onDrop` hears every dropped value, whether
 * the channel or the adapter dropped it.
 *
 * Close semantics: the channel closes when the Observable completes, and
 * closes with the error when it errors; receivers get every buffered value
 * first. Under `reject`, an overflow closes it with a `ChannelFullError`.
 *
 * Cancellation: `rx.cancel()` (the last receiver gone) unsubscribes the
 * Observable at once; buffered values go to `onDrop(v, "cancel")`.
 *
 * @example
 * ```ts
 * import { fromObservable } from "@panama/rxjs"
 * import { interval, take } from "rxjs"
 *
 * const rx = fromObservable(interval(1).pipe(take(5)), { capacity: 8, overflow: "reject" })
 * for await (const n of rx) console.log(n) // 0 1 2 3 4
 * ```
 */
export function fromObservable<T>(observable: ObservableInput<T>, options: FromObservableOptions<T>): Receiver<T> {
  const [tx, rx, feed] = channelFor(options)
  subscribeToChannel(observable, tx, feed)
  return rx
}

/** @internal The channel `fromObservable` feeds, made (and every option checked) before anything subscribes. */
export function channelFor<T>(options: FromObservableOptions<T>): [Sender<T>, Receiver<T>, FeedOptions<T>] {
  checkObject(options)
  const feed = checkFeedOptions(options)
  const { capacity, size, onDrop } = options
  checkLimit("capacity", capacity, 0)
  const [tx, rx] = channel<T>({
    capacity,
    // The channel drops by itself; for "reject" it reports "full" and the feeder refuses.
    overflow: feed.overflow === "reject" ? "suspend" : feed.overflow,
    ...(size === undefined ? {} : { size }),
    ...(onDrop === undefined ? {} : { onDrop }),
  })
  return [tx, rx, feed]
}
