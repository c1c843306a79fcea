/**
 * Channel operations as Effects: `send`, `receive`, `receiveMany`, `trySend`,
 * `tryReceive`, `close`, `cancel`. Each has a data-first and a data-last form
 * (`send(tx, v)` and `pipe(tx, send(v))`), as Effect's own modules do.
 *
 * Close semantics: `receive` fails with `Cause.Done` once the channel is closed
 * and drained (or cancelled without a reason), and with the reason in the
 * error channel when there is one: the `Queue.take` convention.
 *
 * Cancellation: interrupting a fiber waiting in `send` withdraws the send: the
 * value was either accepted before (it is in the channel) or not at all (it is
 * not left behind). Interrupting a fiber waiting in `receive` takes no value
 * from the channel; a value the channel handed over in the same instant is
 * kept for the next `receive` on the same handle (see README, "Cancellation").
 */

import { Cause, Effect, Option } from "effect"
import { dual } from "effect/Function"
import type { ChannelClosedError, ChannelFullError, Receiver, Sender, TrySendResult } from "@panama/channel"
import { drainStash, pollOne, takeBatch, takeOne } from "./internal/receive.js"

const PARK_SEND: unique symbol = Symbol.for("panama.channel.parkSend")

type ParkSend<A> = (value: A, onAccepted: () => void, onRefused: (error: unknown) => void) => (() => boolean) | undefined

/** Why a `send` failed: the channel was closed or cancelled, or was full under `overflow: "reject"`. Both carry the value. */
export type SendError<A> = ChannelClosedError<A> | ChannelFullError<A>

function isSender(u: unknown): u is Sender<unknown> {
  return typeof u === "object" && u !== null && typeof (u as Sender<unknown>).trySend === "function"
}

function isReceiver(u: unknown): u is Receiver<unknown> {
  return typeof u === "object" && u !== null && typeof (u as Receiver<unknown>).tryReceive === "function"
}

/**
 * Sends a value, waiting while the channel is full (policy `suspend`).
 * Succeeds once the value is accepted; fails with `ChannelClosedError` or
 * `ChannelFullError`, each carrying the value.
 *
 * Cancellation: interruption aborts the waiting send; the value is then not in
 * the channel (or was accepted just before, and is).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bounded } from "@panama/channel"
 * import { send, receive } from "@panama/effect"
 *
 * const [tx, rx] = bounded<string>(1)
 * const program = Effect.gen(function* () {
 *   yield* send(tx, "job-1")
 *   return yield* receive(rx)
 * })
 * Effect.runPromise(program).then(console.log) // "job-1"
 * ```
 */
export const send: {
  <A>(value: A): (self: Sender<A>) => Effect.Effect<void, SendError<A>>
  <A>(self: Sender<A>, value: A): Effect.Effect<void, SendError<A>>
} = dual(2, <A>(self: Sender<A>, value: A): Effect.Effect<void, SendError<A>> =>
  Effect.suspend(() => {
    // Fast path: accepted (or dropped by policy) without waiting.
    if (self.trySend(value).ok) return Effect.void
    // The core's callback hook (PARK_SEND): accepted or refused synchronously, no promise.
    const hook = (self as unknown as { [PARK_SEND]?: ParkSend<A> })[PARK_SEND]
    if (typeof hook === "function") {
      return Effect.callback<void, SendError<A>>((resume) => {
        const withdraw = hook.call(
          self,
          value,
          () => resume(Effect.void),
          (error) => resume(Effect.fail(error as SendError<A>)),
        )
        if (withdraw !== undefined) return Effect.sync(() => void withdraw())
      })
    }
    return Effect.callback<void, SendError<A>>((resume, signal) => {
      self.send(value, { signal }).then(
        () => resume(Effect.void),
        (error: unknown) => {
          if (!signal.aborted) resume(Effect.fail(error as SendError<A>))
        },
      )
    })
  }))

/**
 * Sends without waiting; never fails. The value not accepted comes back in the result.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bounded } from "@panama/channel"
 * import { trySend } from "@panama/effect"
 *
 * const [tx] = bounded<number>(1)
 * const results = Effect.runSync(Effect.all([trySend(tx, 1), trySend(tx, 2)]))
 * // [{ ok: true }, { ok: false, reason: "full", value: 2 }]
 * ```
 */
export const trySend: {
  <A>(value: A): (self: Sender<A>) => Effect.Effect<TrySendResult<A>>
  <A>(self: Sender<A>, value: A): Effect.Effect<TrySendResult<A>>
} = dual(2, <A>(self: Sender<A>, value: A): Effect.Effect<TrySendResult<A>> => Effect.sync(() => self.trySend(value)))

/**
 * Receives the next value, waiting while the channel is empty.
 *
 * Close semantics: fails with `Cause.Done` once the channel is closed and
 * drained or cancelled without a reason (as `Queue.take` after `Queue.end`);
 * fails with the reason (typed `E`, `unknown` by default) when there is one.
 *
 * Cancellation: interruption takes no value from the channel.
 *
 * @example
 * ```ts
 * import { Cause, Effect } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { receive } from "@panama/effect"
 *
 * const [tx, rx] = unbounded<string>()
 * tx.trySend("a")
 * tx.close()
 * const program = Effect.gen(function* () {
 *   const first = yield* receive(rx)                         // "a"
 *   const end = yield* Effect.flip(receive(rx))              // Cause.Done
 *   return [first, Cause.isDone(end)] as const
 * })
 * Effect.runPromise(program).then(console.log) // ["a", true]
 * ```
 */
export const receive = <A, E = unknown>(self: Receiver<A>): Effect.Effect<A, E | Cause.Done> => takeOne<A, E>(self)

/**
 * Waits until at least one value is available, then takes up to `max` at once,
 * in order. Fails as `receive` does at the end (never succeeds with `[]`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { receiveMany } from "@panama/effect"
 *
 * const [tx, rx] = unbounded<number>()
 * for (const n of [1, 2, 3, 4, 5]) tx.trySend(n)
 * Effect.runPromise(receiveMany(rx, 3)).then(console.log) // [1, 2, 3]
 * ```
 */
export const receiveMany: {
  (max: number): <A, E = unknown>(self: Receiver<A>) => Effect.Effect<A[], E | Cause.Done>
  <A, E = unknown>(self: Receiver<A>, max: number): Effect.Effect<A[], E | Cause.Done>
} = dual(2, <A, E>(self: Receiver<A>, max: number): Effect.Effect<A[], E | Cause.Done> =>
  Effect.suspend(() => {
    if (typeof max !== "number" || !(max >= 1) || (!Number.isInteger(max) && max !== Infinity)) {
      return Effect.die(new RangeError("max must be an integer >= 1 or Infinity"))
    }
    return takeBatch<A, E>(self, max)
  }))

/**
 * Receives without waiting: `Option.some(value)`, or `Option.none()` when the
 * channel is empty. Fails as `receive` does once the channel is done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { tryReceive } from "@panama/effect"
 *
 * const [, rx] = unbounded<number>()
 * Effect.runSync(tryReceive(rx)) // Option.none()
 * ```
 */
export const tryReceive = <A, E = unknown>(self: Receiver<A>): Effect.Effect<Option.Option<A>, E | Cause.Done> =>
  Effect.map(pollOne<A, E>(self), (r) => (r === undefined ? Option.none() : Option.some(r.value)))

/**
 * Releases a sender handle; the last release closes the channel gracefully
 * (everything accepted is still delivered). With a reason, closes the whole
 * channel with it at once: receivers fail with the reason after the last value.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { close } from "@panama/effect"
 *
 * const [tx] = unbounded<number>()
 * Effect.runSync(close(tx))                      // data-first
 * Effect.runSync(close(new Error("boom"))(tx))   // data-last, with a reason
 * ```
 */
export const close: {
  <A>(self: Sender<A>, reason?: unknown): Effect.Effect<void>
  (reason?: unknown): <A>(self: Sender<A>) => Effect.Effect<void>
} = dual(
  (args) => isSender(args[0]),
  <A>(self: Sender<A>, reason?: unknown): Effect.Effect<void> => Effect.sync(() => self.close(reason)),
)

/**
 * Releases a receiver handle; the last release cancels the channel: buffered
 * values go to `onDrop(v, "cancel")`, waiting senders fail. With a reason,
 * cancels the whole channel with it at once.
 *
 * Values this adapter holds for the handle (delivered in the instant of an
 * interruption, see the module header) are returned, in order, so the caller
 * can account for them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { cancel } from "@panama/effect"
 *
 * const [, rx] = unbounded<number>()
 * Effect.runSync(cancel(rx)) // []
 * ```
 */
export const cancel: {
  <A>(self: Receiver<A>, reason?: unknown): Effect.Effect<A[]>
  (reason?: unknown): <A>(self: Receiver<A>) => Effect.Effect<A[]>
} = dual(
  (args) => isReceiver(args[0]),
  <A>(self: Receiver<A>, reason?: unknown): Effect.Effect<A[]> =>
    Effect.sync(() => {
      self.cancel(reason)
      return drainStash(self)
    }),
)
