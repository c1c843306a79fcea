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
  if (onDrop !== undefined) for (const v of held) onDrop(v)
}
