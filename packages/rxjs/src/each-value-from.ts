/**
 * `eachValueFrom`: an Observable as an async iterable with a bounded buffer.
 */

import type { ObservableInput } from "rxjs"
import { fromObservable, type FromObservableOptions } from "./from-observable.js"
import { checkFeedOptions, checkLimit, checkObject } from "./internal/options.js"

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
  // Checked now, not at the first next(): a mistake shows where it was made.
  checkObject(options)
  checkFeedOptions(options)
  checkLimit("capacity", options.capacity, 0)
  return iterate(observable, options)
}

async function* iterate<T>(
  observable: ObservableInput<T>,
  options: EachValueFromOptions<T>,
): AsyncGenerator<T, undefined, undefined> {
  const rx = fromObservable(observable, options)
  try {
    for (;;) {
      const r = await rx.receive()
      if (r.done) return undefined
      yield r.value
    }
  } finally {
    rx.cancel()
  }
}
