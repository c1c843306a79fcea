/**
 * A channel as an Effect service. `ChannelService.layer` from @panama/effect
 * builds a channel when the layer is provided and releases it when the
 * layer's scope closes; the way the scope ends decides how the channel ends:
 *
 * 1. success: a producer and two stream workers share the `Jobs` service;
 *    every job is processed once and the channel ends closed;
 * 2. interruption: the channel is cancelled and what it still held goes to
 *    `onDrop(job, "cancel")`;
 * 3. failure: the channel is closed with the error, so a handle kept outside
 *    the scope (a `clone()`) still drains what was sent, then sees the error.
 */

import { Cause, Context, Effect, Exit, Stream } from "effect"
import type { Receiver } from "@panama/channel"
import { ChannelService, close, send, toStream } from "@panama/effect"

class Jobs extends Context.Service<Jobs, ChannelService<number>>()("example/Jobs") {}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Sends the jobs, then releases the service's sender: the channel closes once drained. */
const produce = (ids: readonly number[]) =>
  Effect.gen(function* () {
    const jobs = yield* Jobs
    yield* Effect.forEach(ids, (id) => send(jobs.sender, id))
    yield* close(jobs.sender)
  })

/** A worker reads its own clone of the receiver as a Stream (toStream owns and releases the clone). */
const worker = (name: string) =>
  Effect.gen(function* () {
    const jobs = yield* Jobs
    const done = yield* toStream(jobs.receiver.clone()).pipe(
      Stream.mapEffect((id) => Effect.as(Effect.yieldNow, id * 2)),
      Stream.runCollect,
    )
    return { name, done }
  })

async function success(): Promise<void> {
  console.log("1. success: a producer and two workers share Jobs")
  const program = Effect.gen(function* () {
    const [, a, b] = yield* Effect.all([produce(range(1, 12)), worker("a"), worker("b")], { concurrency: "unbounded" })
    return { a, b, jobs: yield* Jobs }
  })
  const { a, b, jobs } = await Effect.runPromise(program.pipe(Effect.provide(ChannelService.layer(Jobs, { capacity: 4 }))))
  const all = [...a.done, ...b.done].sort((x, y) => x - y)
  console.log(`worker a: ${a.done.length} jobs, worker b: ${b.done.length} jobs`)
  console.log(`results: ${all.join(", ")}`)
  console.log(`each job exactly once: ${all.join() === range(1, 12).map((n) => n * 2).join()}`)
  console.log(`after the scope: channel ${jobs.sender.state}, senders ${jobs.sender.senders}, receivers ${jobs.receiver.receivers}`)
}

async function interruption(): Promise<void> {
  console.log("2. interruption: the channel is cancelled")
  const dropped: string[] = []
  const program = Effect.gen(function* () {
    yield* produce(range(1, 5)).pipe(Effect.andThen(Effect.interrupt))
  })
  const exit = await Effect.runPromiseExit(
    program.pipe(Effect.provide(ChannelService.layer(Jobs, { capacity: 8, onDrop: (id, reason) => void dropped.push(`${id} (${reason})`) }))),
  )
  console.log(`exit: ${Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "not interrupted"}`)
  console.log(`dropped: ${dropped.join(", ")}`)
}

async function failure(): Promise<void> {
  console.log("3. failure: the channel is closed with the error")
  let kept: Receiver<number> | undefined
  const program = Effect.gen(function* () {
    const jobs = yield* Jobs
    kept = jobs.receiver.clone()
    yield* send(jobs.sender, 1)
    yield* send(jobs.sender, 2)
    return yield* Effect.fail(new Error("disk full"))
  })
  const exit = await Effect.runPromiseExit(program.pipe(Effect.provide(ChannelService.layer(Jobs, { capacity: 8 }))))
  console.log(`exit: ${Exit.isFailure(exit) ? "failed" : "succeeded"}`)
  const drained: number[] = []
  try {
    for await (const id of kept!) drained.push(id)
    console.log(`the kept clone drained ${drained.join(", ")} and then saw done`)
  } catch (error) {
    console.log(`the kept clone drained ${drained.join(", ")} and then saw: ${(error as Error).message}`)
  }
  kept!.cancel()
}

await success()
await interruption()
await failure()
console.log("effect-service complete.")
