/**
 * `eachValueFrom`: an Observable as an async iterable with a bounded buffer.
 */

import type { Receiver, Sender } from "@panama/channel"
import type { ObservableInput } from "rxjs"
import { channelFor, subscribeToChannel, type FromObservableOptions } from "./from-observable.js"
import type { FeedOptions } from "./internal/feeder.js"

/** Options of `eachValueFrom()`: the buffer and what happens when it is full. */
export type EachValueFromOptions<T> = FromObservableOptions<T>

/**
 * Iterates the values of an Observable with `for await`, buffering at most
 * `capacity` values (plus `stage`) while the loop body runs; the `overflow`
 * policy says what happens to values beyond that. The Observable is
 * subscribed when iteration starts, once per iterator.
 *
 * Close semantics: the loop ends after the last buffered value when the
 * Observable completes, and throws its error after the last buffered value
 * when it errors (or the `ChannelFullError` of a `reject` overflow).
 *
 * Cancellation: leaving the loop (`break`, `return`, a throw) unsubscribes
 * the Observable; buffered values go to `onDrop(v, "cancel")`.
 *
 * @example
 * ```ts
 * import { eachValueFrom } from "@panama/rxjs"
 * import { interval } from "rxjs"
 *
 * for await (const n of eachValueFrom(interval(5), { capacity: 16, overflow: "drop-oldest" })) {
 *   if (n >= 3) break // unsubscribes interval
 * }
 * ```
 */
export function eachValueFrom<T>(
  observable: ObservableInput<T>,
  options: EachValueFromOptions<T>,
): AsyncGenerator<T, undefined, undefined> {
  // Made now, not at the first next(): a mistake in the options shows where it was made.
  // Nothing subscribes until iteration starts.
  const [tx, rx, feed] = channelFor(options)
  return iterate(observable, tx, rx, feed)
}

async function* iterate<T>(
  observable: ObservableInput<T>,
  tx: Sender<T>,
  rx: Receiver<T>,
  feed: FeedOptions<T>,
): AsyncGenerator<T, undefined, undefined> {
  try {
    // The first next() asks for a value: its receive waits before the subscription, so a
    // source that emits during subscribe() hands its first value over even at capacity 0.
    let pending = rx.receive()
    subscribeToChannel(observable, tx, feed)
    for (;;) {
      const r = await pending
      if (r.done) return undefined
      yield r.value
      pending = rx.receive()
    }
  } finally {
    rx.cancel()
  }
}
