/**
 * The way back for values an adapter took from a channel but could not
 * deliver (a stream's prefetch, discarded by a cancel): the core's receiver
 * handles answer to a `Symbol.for` key, so the value is counted as dropped for
 * "cancel" and passed to the channel's `onDrop`, as SPEC §8 asks ("a cancel
 * re-delivers or reports what it held"). Nothing is exported from the core for
 * this; a `Receiver` that is not a panama handle has no such hook, and then
 * nothing can be reported.
 */

import type { Receiver } from "@panama/channel"

const UNDELIVERED: unique symbol = Symbol.for("panama.channel.undelivered")

type WithHook<T> = Receiver<T> & { [UNDELIVERED]?: (value: T) => void }

/** Reports `value`, taken through `rx` and never delivered, to the channel's `onDrop` (reason "cancel"). */
export function undelivered<T>(rx: Receiver<T>, value: T): void {
  const hook = (rx as WithHook<T>)[UNDELIVERED]
  if (typeof hook === "function") hook.call(rx, value)
}
