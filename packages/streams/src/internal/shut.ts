/**
 * The error that names why a channel stopped taking values, for adapters that
 * notice the stop without a send of their own (a `WritableStream` or a pipe
 * that sits idle when the channel is cancelled).
 */

import type { Sender } from "@panama/channel"

/**
 * The `ChannelClosedError` a send through `tx` gets: no value, and the close
 * or cancel reason as its `cause`. Precondition: `tx` is released, so the send
 * is refused at once without weighing or accepting anything.
 */
export function shutError(tx: Sender<unknown>): Promise<unknown> {
  return tx.send(undefined).then(
    () => new TypeError("a released sender accepted a value"),
    (error: unknown) => error,
  )
}
