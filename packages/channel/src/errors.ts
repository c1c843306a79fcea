/**
 * The errors a channel operation can reject with. Abort and timeout are not
 * here: they reject with the signal's reason and a `TimeoutError`
 * `DOMException`, as the platform does.
 */

/**
 * A send (or a `send` case of `select`) on a channel that is closed or
 * cancelled, or through a released handle. The value that was not accepted
 * comes back in `value`; the close or cancel reason, if one was given, is the
 * `cause`.
 *
 * @example
 * ```ts
 * import { bounded, ChannelClosedError } from "@panama/channel"
 *
 * const [tx] = bounded<string>(1)
 * tx.close()
 * try {
 *   await tx.send("late")
 * } catch (e) {
 *   if (e instanceof ChannelClosedError) console.log(e.value) // "late"
 * }
 * ```
 */
export class ChannelClosedError<T = unknown> extends Error {
  override readonly name = "ChannelClosedError"
  /** The value that was not accepted. */
  readonly value: T

  constructor(value: T, cause?: unknown) {
    super("channel closed")
    this.value = value
    this.cause = cause
  }
}

/**
 * A send on a full channel whose `overflow` policy is `"reject"`. The value
 * that was not accepted comes back in `value`.
 *
 * @example
 * ```ts
 * import { channel, ChannelFullError } from "@panama/channel"
 *
 * const [tx] = channel<number>({ capacity: 1, overflow: "reject" })
 * await tx.send(1)
 * await tx.send(2).catch((e: unknown) => {
 *   if (e instanceof ChannelFullError) console.log("refused", e.value) // refused 2
 * })
 * ```
 */
export class ChannelFullError<T = unknown> extends Error {
  override readonly name = "ChannelFullError"
  /** The value that was not accepted. */
  readonly value: T

  constructor(value: T) {
    super("channel full")
    this.value = value
  }
}
