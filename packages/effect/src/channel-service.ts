/**
 * A channel as an Effect service, built by a `Layer` from channel options.
 *
 * ```ts
 * class Jobs extends Context.Service<Jobs, ChannelService<Job>>()("app/Jobs") {}
 * const JobsLive = ChannelService.layer(Jobs, { capacity: 16 })
 * ```
 *
 * The layer owns both handles and releases them when its scope closes:
 * success → `sender.close()` (graceful close), failure → `sender.close(error)`,
 * interruption → `receiver.cancel()` first (the channel is cancelled: buffered
 * values go to `onDrop(v, "cancel")`). In every case both handles are released,
 * so the channel ends unless someone holds a `clone()`.
 */

import { Cause, Effect, Exit, Layer, type Context, type Scope } from "effect"
import { channel, type ChannelOptions, type Receiver, type Sender } from "@panama/channel"
import { reasonOf } from "./internal/release.js"

/** The shape of a channel service: the two handles of one channel. */
export interface ChannelService<A> {
  readonly sender: Sender<A>
  readonly receiver: Receiver<A>
}

function release<A>(service: ChannelService<A>, exit: Exit.Exit<unknown, unknown>): void {
  const { sender, receiver } = service
  if (Exit.isSuccess(exit)) {
    sender.close()
    receiver.cancel()
  } else if (Cause.hasInterruptsOnly(exit.cause)) {
    receiver.cancel()
    sender.close()
  } else {
    sender.close(reasonOf(exit.cause))
    receiver.cancel()
  }
}

/**
 * Makes a channel whose handles are released when the scope closes, as the
 * module header says.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ChannelService, send, receive } from "@panama/effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const jobs = yield* ChannelService.make<string>({ capacity: 4 })
 *     yield* send(jobs.sender, "a")
 *     return yield* receive(jobs.receiver) // "a"
 *   }),
 * )
 * ```
 */
const make = <A>(options?: ChannelOptions<A>): Effect.Effect<ChannelService<A>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync((): ChannelService<A> => {
      const [sender, receiver] = channel<A>(options)
      return { sender, receiver }
    }),
    (service, exit) => Effect.sync(() => release(service, exit)),
  )

/**
 * The `Layer` of a channel service declared with `Context.Service`.
 *
 * Close semantics: when the layer's scope closes with success the channel is
 * closed gracefully, with a failure it is closed with the error, on
 * interruption it is cancelled.
 *
 * @example
 * ```ts
 * import { Context, Effect } from "effect"
 * import { ChannelService, send, receive } from "@panama/effect"
 *
 * class Jobs extends Context.Service<Jobs, ChannelService<string>>()("app/Jobs") {}
 * const JobsLive = ChannelService.layer(Jobs, { capacity: 16 })
 *
 * const program = Effect.gen(function* () {
 *   const jobs = yield* Jobs
 *   yield* send(jobs.sender, "build")
 *   return yield* receive(jobs.receiver)
 * }).pipe(Effect.provide(JobsLive))
 * ```
 */
const layer = <I, A>(service: Context.Key<I, ChannelService<A>>, options?: ChannelOptions<A>): Layer.Layer<I> =>
  Layer.effect(service, make(options))

/** Constructors of channel services: `make` (scoped) and `layer`. */
export const ChannelService = { make, layer } as const
