import { describe, expect, it } from "vitest"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { ChannelService, receive, send } from "../src/index.js"

class Jobs extends Context.Service<Jobs, ChannelService<number>>()("test/Jobs") {}
class Producer extends Context.Service<Producer, { readonly completed: number[] }>()("test/Producer") {}
class ConsumerA extends Context.Service<ConsumerA, { readonly received: number[] }>()("test/ConsumerA") {}
class ConsumerB extends Context.Service<ConsumerB, { readonly received: number[] }>()("test/ConsumerB") {}

const TOTAL = 500

const ProducerLive = Layer.effect(
  Producer,
  Effect.gen(function* () {
    const jobs = yield* Jobs
    const completed: number[] = []
    yield* Effect.forkScoped(
      Effect.forEach(Array.from({ length: TOTAL }, (_, i) => i), (n) =>
        Effect.map(send(jobs.sender, n), () => void completed.push(n)),
      ),
    )
    return { completed }
  }),
)

const consumer = <I>(key: Context.Key<I, { readonly received: number[] }>) =>
  Layer.effect(
    key,
    Effect.gen(function* () {
      const jobs = yield* Jobs
      const received: number[] = []
      yield* Effect.forkScoped(Effect.forever(Effect.map(receive(jobs.receiver), (n) => void received.push(n))))
      return { received }
    }),
  )

describe("a service graph sharing a channel through Layers", () => {
  it("accounts for every value when the scope shuts the graph down", async () => {
    const dropped: number[] = []
    const JobsLive = ChannelService.layer(Jobs, { capacity: 8, onDrop: (n) => dropped.push(n) })
    const App = Layer.mergeAll(ProducerLive, consumer(ConsumerA), consumer(ConsumerB)).pipe(
      Layer.provideMerge(JobsLive),
    )
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(App, scope)
        for (let i = 0; i < 200; i++) yield* Effect.yieldNow
        const jobs = Context.get(ctx, Jobs)
        yield* Scope.close(scope, Exit.void)
        return {
          jobs,
          completed: Context.get(ctx, Producer).completed,
          a: Context.get(ctx, ConsumerA).received,
          b: Context.get(ctx, ConsumerB).received,
        }
      }),
    )
    const { jobs, completed, a, b } = result
    // Both consumers did work, and the graph was stopped before the producer finished.
    expect(a.length).toBeGreaterThan(0)
    expect(b.length).toBeGreaterThan(0)
    expect(completed.length).toBeLessThan(TOTAL)
    // The layer released both handles: the channel is over.
    expect(jobs.sender.state).toBe("cancelled")
    const out = [...a, ...b, ...dropped]
    expect(new Set(out).size).toBe(out.length) // never twice
    expect(out.length).toBe(jobs.sender.stats.sent) // every accepted value received or dropped
    const seen = new Set(out)
    for (const n of completed) expect(seen.has(n)).toBe(true)
    // Each consumer sees values in send order.
    expect(a).toEqual([...a].sort((x, y) => x - y))
    expect(b).toEqual([...b].sort((x, y) => x - y))
  })

  it("closes the channel with the failure when the scope fails", async () => {
    const JobsLive = ChannelService.layer(Jobs, { capacity: 4 })
    const jobs = await Effect.runPromise(
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(JobsLive, scope)
        const j = Context.get(ctx, Jobs)
        const keep = j.receiver.clone()
        yield* send(j.sender, 1)
        yield* Scope.close(scope, Exit.fail("boom"))
        return { j, keep }
      }),
    )
    expect(jobs.keep.tryReceive()).toEqual({ ok: true, value: 1 })
    expect(jobs.keep.tryReceive()).toEqual({ ok: false, reason: "closed", error: "boom" })
  })

  it("cancels the channel on interruption", async () => {
    const dropped: number[] = []
    const JobsLive = ChannelService.layer(Jobs, { capacity: 4, onDrop: (n) => dropped.push(n) })
    const j = await Effect.runPromise(
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(JobsLive, scope)
        const j = Context.get(ctx, Jobs)
        yield* send(j.sender, 1)
        yield* send(j.sender, 2)
        yield* Scope.close(scope, Exit.interrupt())
        return j
      }),
    )
    expect(j.receiver.state).toBe("cancelled")
    expect(dropped).toEqual([1, 2])
  })
})
