/**
 * `toObservable`: a receiving handle as an RxJS `Observable`.
 */

import type { Receiver } from "@panama/channel"
import { Observable } from "rxjs"
import { pump } from "./internal/pump.js"

/** Options of `toObservable()`. */
export interface ToObservableOptions {
  /**
   * Whether the handle is released (`rx.cancel()`) when the last subscription
   * ends. The Observable owns the handle it was given (SPEC §8): releasing it
   * when nobody observes lets the channel cancel, so its senders learn that
   * nobody listens. With `false` the handle stays open for later subscribers
   * and the caller keeps the duty to cancel it.
   * @defaultValue true
   */
  readonly releaseOnLastUnsubscribe?: boolean
}

const UNDELIVERED: unique symbol = Symbol.for("panama.channel.undelivered")
type WithHook<T> = Receiver<T> & { [UNDELIVERED]?: (value: T) => void }

/**
 * A hot Observable over a receiving handle. Each subscription is one more
 * receiver taking its share (competing consumers: a value goes to exactly one
 * subscriber); to give every subscriber every value, share one subscription
 * with `share()`. Values reach `next` one at a time, as they are received.
 *
 * Close semantics: when the channel is closed and drained the subscribers
 * complete; closed or cancelled with a reason, they error with it; cancelled
 * without one, they complete.
 *
 * Cancellation: unsubscribing aborts the subscription's pending receive, so
 * no value is taken that no subscriber got (the one receive the channel had
 * already fulfilled goes to the channel's `onDrop`, reason `"cancel"`). When
 * the last subscription ends the handle is released, unless
 * `releaseOnLastUnsubscribe` is `false`.
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { toObservable } from "@panama/rxjs"
 * import { map, share } from "rxjs"
 *
 * const [tx, rx] = bounded<number>(16)
 * const doubled = toObservable(rx).pipe(map((n) => n * 2), share())
 * doubled.subscribe((n) => console.log("a", n))
 * doubled.subscribe((n) => console.log("b", n)) // a and b both see every value
 * await tx.send(1)
 * tx.close()
 * ```
 */
export function toObservable<T>(rx: Receiver<T>, options: ToObservableOptions = {}): Observable<T> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { releaseOnLastUnsubscribe = true } = options
  if (typeof releaseOnLastUnsubscribe !== "boolean") {
    throw new TypeError("releaseOnLastUnsubscribe must be a boolean")
  }
  const hook = (rx as WithHook<T>)[UNDELIVERED]
  const undelivered = typeof hook === "function" ? (value: T) => hook.call(rx, value) : undefined
  const release = () => rx.cancel()
  let subscribers = 0
  return new Observable<T>((subscriber) => {
    subscribers++
    const stop = pump(rx, subscriber, { undelivered })
    return () => {
      if (typeof stop === "function") stop()
      if (--subscribers === 0 && releaseOnLastUnsubscribe) release()
    }
  })
}
