/**
 * Bridges between channels and real Effect `Queue`s, keeping one vocabulary:
 *
 * | channel                | Effect Queue        |
 * |------------------------|---------------------|
 * | close()                | `Queue.end`         |
 * | close(e)               | `Queue.fail(e)`     |
 * | cancel                 | `Queue.shutdown`    |
 * | drop-newest            | `dropping`          |
 * | drop-oldest            | `sliding`           |
 * | rendezvous (0)         | `bounded(0)`        |
 *
 * Each bridge runs one pump fiber in the caller's `Scope`. A pump holds at most
 * the one value it is handing over; where that value can no longer be handed
 * over, it goes to `onDrop`.
 */

import { Cause, Effect, Exit, Queue, type Scope } from "effect"
import { channel, type ChannelOptions, type Overflow, type Receiver, type Sender } from "@panama/channel"
import { send } from "./effects.js"
import { takeOne } from "./internal/receive.js"
import { releaseReceiver, undelivered } from "./internal/release.js"

/** Options of `toQueue`. */
export interface ToQueueOptions<A> {
  /**
   * Called for a value the pump had taken from the channel but could not hand
   * to the queue because the queue was shut down (or the scope closed) first.
   * @defaultValue none
   */
  readonly onDrop?: ((value: A) => void) | undefined
}

/**
 * An Effect `Queue` fed from `rx`. The queue has capacity 0 (`bounded(0)`):
 * it buffers nothing, so values stay in the channel until a taker asks.
 *
 * Close semantics: the channel's `close()` becomes `Queue.end` (takers fail
 * with `Cause.Done` after the last value), `close(e)` becomes `Queue.fail(e)`,
 * a cancelled channel becomes `Queue.shutdown`.
 *
 * The full `Queue` is returned so that a consumer can `Queue.shutdown` it;
 * offer nothing into it (values offered there bypass the channel).
 *
 * Cancellation: the bridge owns `rx`. `Queue.shutdown` on the returned queue,
 * or the end of the scope, releases it (`rx.cancel()`), which cancels the
 * channel if it was the last receiver.
 *
 * @example
 * ```ts
 * import { Effect, Queue } from "effect"
 * import { unbounded } from "@panama/channel"
 * import { toQueue } from "@panama/effect"
 *
 * const [tx, rx] = unbounded<string>()
 * tx.trySend("a")
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const queue = yield* toQueue(rx)
 *     return yield* Queue.take(queue) // "a"
 *   }),
 * )
 * ```
 */
export const toQueue = <A, E = unknown>(
  rx: Receiver<A>,
  options?: ToQueueOptions<A>,
): Effect.Effect<Queue.Queue<A, E | Cause.Done>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queue = yield* Queue.bounded<A, E | Cause.Done>(0)
    const onDrop = options?.onDrop
    const pump: Effect.Effect<void> = Effect.gen(function* () {
      while (true) {
        const got = yield* Effect.exit(takeOne<A, E>(rx))
        if (Exit.isFailure(got)) {
          if (Cause.hasInterruptsOnly(got.cause)) return
          const error = Cause.findErrorOption(got.cause)
          if (error._tag === "Some" && !Cause.isDone(error.value)) yield* Queue.fail(queue, error.value)
          else if (rx.state === "cancelled") yield* Queue.shutdown(queue)
          else yield* Queue.end(queue)
          return
        }
        const value = got.value
        // Uninterruptible hand-over would block shutdown; instead an interrupted or refused offer reports the value.
        const offered = yield* Effect.onInterrupt(Queue.offer(queue, value), () =>
          Effect.sync(() => undelivered(rx, value, onDrop)),
        )
        if (!offered) {
          undelivered(rx, value, onDrop)
          return
        }
      }
    })
    yield* Effect.forkScoped(pump)
    // Queue.shutdown (or any end of the queue) ⇒ release the receiver.
    yield* Effect.forkScoped(
      Effect.ensuring(Effect.exit(Queue.await(queue)), Effect.sync(() => releaseReceiver(rx, onDrop))),
    )
    yield* Effect.addFinalizer(() => Effect.sync(() => Queue.shutdownUnsafe(queue)))
    return queue
  })

/** Options of `fromQueue`: the options of the channel it makes. */
export interface FromQueueOptions<A> extends ChannelOptions<A> {}

/** The channel policy that matches a queue's strategy. */
function overflowOf(strategy: "suspend" | "dropping" | "sliding"): Overflow {
  return strategy === "dropping" ? "drop-newest" : strategy === "sliding" ? "drop-oldest" : "suspend"
}

/**
 * A channel fed from an Effect `Queue`; returns its receiver. By default the
 * channel is a rendezvous (capacity 0): the queue already buffers, so the pump
 * takes a value only when it can hand it over at once or waits holding that
 * one. A `capacity` adopts the queue's strategy as the overflow policy unless
 * `overflow` is given (`dropping` → `drop-newest`, `sliding` → `drop-oldest`).
 *
 * Close semantics: `Queue.end` closes the channel (receivers see done after
 * the last value), `Queue.fail(e)` closes it with `e`, `Queue.shutdown`
 * cancels it.
 *
 * Cancellation: cancelling the channel (the last receiver released) shuts the
 * queue down; the value the pump held goes to `onDrop(v, "cancel")`. The end
 * of the scope releases the pump's sender.
 *
 * @example
 * ```ts
 * import { Effect, Queue } from "effect"
 * import { fromQueue } from "@panama/effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const queue = yield* Queue.bounded<number>(16)
 *     const rx = yield* fromQueue(queue)
 *     yield* Queue.offer(queue, 1)
 *     return yield* Effect.promise(() => rx.receive()) // { done: false, value: 1 }
 *   }),
 * )
 * ```
 */
export const fromQueue = <A, E>(
  queue: Queue.Queue<A, E>,
  options?: FromQueueOptions<A>,
): Effect.Effect<Receiver<A>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const capacity = options?.capacity ?? 0
    const overflow = options?.overflow ?? (capacity === 0 ? "suspend" : overflowOf(queue.strategy))
    const [tx, rx]: [Sender<A>, Receiver<A>] = channel<A>({ ...options, capacity, overflow })
    const onDrop = options?.onDrop
    const pump: Effect.Effect<void> = Effect.gen(function* () {
      while (true) {
        const got = yield* Effect.exit(Queue.take(queue))
        if (Exit.isFailure(got)) {
          const error = Cause.findErrorOption(got.cause)
          if (error._tag === "Some") {
            if (Cause.isDone(error.value)) tx.close()
            else tx.close(error.value)
          } else {
            // Case: the queue was shut down (or interrupted): cancel the channel.
            rx.cancel()
            tx.close()
          }
          return
        }
        const value = got.value
        // A refused or interrupted send leaves the value with the pump: report it as cancelled.
        const sent = yield* Effect.exit(
          Effect.onInterrupt(send(tx, value), () => Effect.sync(() => onDrop?.(value, "cancel"))),
        )
        if (Exit.isFailure(sent)) {
          onDrop?.(value, "cancel")
          return
        }
      }
    })
    yield* Effect.forkScoped(pump)
    // Channel cancelled (no receiver left) ⇒ shut the queue down.
    yield* Effect.forkScoped(
      Effect.flatMap(
        Effect.promise(() => rx.closed),
        () => (rx.state === "cancelled" ? Queue.shutdown(queue) : Effect.void),
      ),
    )
    yield* Effect.addFinalizer(() => Effect.sync(() => tx.close()))
    return rx
  })
