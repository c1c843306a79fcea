/**
 * Channels as Effect Streams and Sinks.
 *
 * `toStream(rx)` pulls one value per downstream pull: it never takes a value
 * the stream's consumer did not ask for, so nothing is stranded in a prefetch
 * buffer when the stream is interrupted (the `Stream.fromQueue` +
 * `toReadableStream` problem of Effect #2840).
 *
 * `toSink(tx)` and `runIntoChannel(stream, tx)` send every element with
 * backpressure and close the channel with the stream's end.
 */

import { Cause, Effect, Stream, Sink } from "effect"
import { dual } from "effect/Function"
import type { Receiver, Sender } from "@panama/channel"
import { send, type SendError } from "./effects.js"
import { takeOne } from "./internal/receive.js"
import { closeByExit, reasonOf, releaseReceiver } from "./internal/release.js"

/** Options of `toStream`. */
export interface ToStreamOptions<A> {
  /**
   * Called for each value the stream had taken from the channel but could not
   * emit when it released the handle (only a value delivered in the instant of
   * an interruption; see README, "Cancellation").
   * @defaultValue none
   */
  readonly onDrop?: ((value: A) => void) | undefined
}

/**
 * A Stream of the values received from `rx`, one per pull.
 *
 * Close semantics: the stream ends when the channel is closed and drained (or
 * cancelled without a reason) and fails with the reason when there is one.
 *
 * Cancellation: the stream owns `rx` and releases it (`rx.cancel()`) when it
 * ends for any reason; hand it a `clone()` to keep receiving elsewhere.
 * Interruption takes no value from the channel.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { toStream } from "@panama/effect"
 *
 * const [tx, rx] = unbounded<number>()
 * for (const n of [1, 2, 3]) tx.trySend(n)
 * tx.close()
 * Effect.runPromise(Stream.runCollect(toStream(rx))).then(console.log) // [1, 2, 3]
 * ```
 */
export const toStream = <A, E = unknown>(rx: Receiver<A>, options?: ToStreamOptions<A>): Stream.Stream<A, E> =>
  Stream.fromPull(Effect.succeed(Effect.map(takeOne<A, E>(rx), (v): readonly [A] => [v]))).pipe(
    Stream.ensuring(Effect.sync(() => releaseReceiver(rx, options?.onDrop))),
  )

/** Sends a chunk in order: synchronously while the channel accepts, waiting only where it must. */
function sendChunk<A>(tx: Sender<A>, chunk: ReadonlyArray<A>): Effect.Effect<void, SendError<A>> {
  return Effect.suspend(() => {
    let i = 0
    while (i < chunk.length && tx.trySend(chunk[i] as A).ok) i++
    if (i === chunk.length) return Effect.void
    // Case: full (or closed): wait for this value, then go on with the rest.
    const rest = chunk.slice(i + 1)
    return Effect.flatMap(send(tx, chunk[i] as A), () => (rest.length === 0 ? Effect.void : sendChunk(tx, rest)))
  })
}

/**
 * A Sink that sends every element into `tx`, waiting while the channel is full.
 *
 * Close semantics: when the stream ends the sink releases `tx` (`tx.close()`),
 * so the channel closes if it was the last sender; when the stream fails it
 * closes the channel with the error (`tx.close(error)`); on interruption it
 * releases `tx`. It fails with `ChannelClosedError` (carrying the value) when
 * the channel is closed or cancelled under it.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { toSink } from "@panama/effect"
 *
 * const [tx, rx] = unbounded<number>()
 * Effect.runPromise(Stream.run(Stream.make(1, 2, 3), toSink(tx))).then(() =>
 *   console.log(rx.tryReceiveMany(), rx.state), // [1, 2, 3] "closed"
 * )
 * ```
 */
export const toSink = <A>(tx: Sender<A>): Sink.Sink<void, A, never, SendError<A>> =>
  Sink.fromTransform((upstream) => {
    let upstreamCause: Cause.Cause<unknown> | undefined // the stream's own failure, if it failed
    const pull = Effect.catchCause(upstream, (cause) => {
      if (!isEndOfInput(cause)) upstreamCause = streamFailure(cause)
      return Effect.failCause(cause)
    })
    return pull.pipe(
      Effect.flatMap((chunk) => sendChunk(tx, chunk)),
      Effect.forever({ disableYield: true }),
      Effect.catchCause((cause) =>
        upstreamCause === undefined && isEndOfInput(cause)
          ? Effect.succeed<Sink.End<void>>([undefined])
          : Effect.failCause(cause),
      ),
      Effect.onExit((exit) =>
        Effect.sync(() => {
          if (upstreamCause === undefined) closeByExit(tx as Sender<unknown>, exit)
          else if (Cause.hasInterruptsOnly(upstreamCause)) tx.close()
          else tx.close(reasonOf(upstreamCause))
        }),
      ),
    ) as Effect.Effect<Sink.End<void>, SendError<A>>
  })

/** Whether a pull failed only because the input ended (`Cause.Done`). */
function isEndOfInput(cause: Cause.Cause<unknown>): boolean {
  return cause.reasons.length > 0 && cause.reasons.every((r) => Cause.isFailReason(r) && Cause.isDone(r.error))
}

/**
 * The stream's failure as the sink sees it through its upstream pull.
 * NOTE: Effect 4.1 hands a sink the stream's failure wrapped as a defect,
 * `Die(Done(cause))`, so that it is not mistaken for the sink's own error
 * (see `upstreamFailureToDefect` in effect/src/Channel.ts); unwrap it.
 */
function streamFailure(cause: Cause.Cause<unknown>): Cause.Cause<unknown> {
  for (const r of cause.reasons) {
    if (Cause.isDieReason(r) && Cause.isDone(r.defect)) {
      const inner = (r.defect as Cause.Done<unknown>).value
      if (Cause.isCause(inner)) return inner
    }
  }
  return cause
}

/**
 * Runs `stream` into `tx` with backpressure; see `toSink` for how the channel
 * is closed. Fails with the stream's error, or with `ChannelClosedError` when
 * the channel is closed or cancelled under it.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { bounded } from "@panama/channel"
 * import { runIntoChannel } from "@panama/effect"
 *
 * const [tx, rx] = bounded<number>(2)
 * const producer = Stream.range(1, 10).pipe(runIntoChannel(tx)) // waits while full
 * Effect.runFork(producer)
 * ```
 */
export const runIntoChannel: {
  <A>(tx: Sender<A>): <E, R>(self: Stream.Stream<A, E, R>) => Effect.Effect<void, E | SendError<A>, R>
  <A, E, R>(self: Stream.Stream<A, E, R>, tx: Sender<A>): Effect.Effect<void, E | SendError<A>, R>
} = dual(2, <A, E, R>(self: Stream.Stream<A, E, R>, tx: Sender<A>): Effect.Effect<void, E | SendError<A>, R> =>
  Stream.run(self, toSink(tx)))
