/**
 * Releasing handles by the way an Effect ended. One mapping for every adapter
 * (SPEC §8): success → `close()`, failure → `close(error)`, interruption →
 * release without a reason.
 */

import { Cause, Exit } from "effect"
import type { Receiver, Sender } from "@panama/channel"
import { drainStash } from "./receive.js"

/** The reason a failed cause carries: its first typed error, else its squashed defect. */
export function reasonOf(cause: Cause.Cause<unknown>): unknown {
  const found = Cause.findErrorOption(cause)
  return found._tag === "Some" ? found.value : Cause.squash(cause)
}

/**
 * Releases `tx` as the exit says: a success closes (releases) it, a failure
 * closes the channel with the error, an interruption releases it.
 */
export function closeByExit(tx: Sender<unknown>, exit: Exit.Exit<unknown, unknown>): void {
  if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause)) tx.close(reasonOf(exit.cause))
  else tx.close()
}

/**
 * Releases `rx`; values the adapter still held for it (see receive.ts) go to
 * `onDrop`, since the channel can no longer deliver them.
 */
export function releaseReceiver<A>(rx: Receiver<A>, onDrop: ((value: A) => void) | undefined): void {
  rx.cancel()
  const held = drainStash(rx)
  for (const v of held) undelivered(rx, v, onDrop)
}

const UNDELIVERED: unique symbol = Symbol.for("panama.channel.undelivered")
type WithHook<A> = Receiver<A> & { [UNDELIVERED]?: (value: A) => void }

/**
 * A value taken through `rx` that will never be delivered: to the adapter's
 * `onDrop` if the user gave one, else to the channel's `onDrop` (reason
 * `"cancel"`, counted in `stats`) through the core's hook, so it never goes
 * silently away (SPEC §4).
 */
export function undelivered<A>(rx: Receiver<A>, value: A, onDrop: ((value: A) => void) | undefined): void {
  if (onDrop !== undefined) return onDrop(value)
  const hook = (rx as WithHook<A>)[UNDELIVERED]
  if (typeof hook === "function") hook.call(rx, value)
}
