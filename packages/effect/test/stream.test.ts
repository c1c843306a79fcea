import { describe, expect, it } from "vitest"
import { Effect, Fiber, Stream } from "effect"
import { bounded, unbounded } from "@panama/channel"
import { runIntoChannel, toStream } from "../src/index.js"

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

describe("toStream", () => {
  it("takes only what the consumer pulled: after take(2) the rest is still in the channel", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        for (const n of [1, 2, 3, 4]) tx.trySend(n)
        const rest = rx.clone()
        expect(yield* Stream.runCollect(Stream.take(toStream(rx), 2))).toEqual([1, 2])
        expect(rest.tryReceiveMany()).toEqual([3, 4])
      }),
    ))

  it("an interrupted stream leaves undelivered values in the channel (Effect #2840)", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        const rest = rx.clone()
        const seen: number[] = []
        const fiber = yield* Effect.forkChild(Stream.runForEach(toStream(rx), (n) => Effect.sync(() => seen.push(n))))
        yield* Effect.yieldNow
        tx.trySend(1)
        yield* Effect.yieldNow
        yield* Fiber.interrupt(fiber)
        tx.trySend(2)
        tx.trySend(3)
        expect(seen).toEqual([1])
        expect(rest.tryReceiveMany()).toEqual([2, 3])
      }),
    ))

  it("releases its handle when it ends", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        tx.close()
        yield* Stream.runDrain(toStream(rx))
        expect(rx.receivers).toBe(0)
      }),
    ))
})

describe("runIntoChannel", () => {
  it("applies backpressure: the stream waits while the channel is full", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const pulled: number[] = []
        const source = Stream.range(1, 6, 1).pipe(Stream.tap((n) => Effect.sync(() => pulled.push(n))))
        const fiber = yield* Effect.forkChild(runIntoChannel(source, tx))
        for (let i = 0; i < 5; i++) yield* Effect.yieldNow
        expect(pulled).toEqual([1, 2, 3]) // 1 and 2 buffered, 3 waiting
        expect(tx.pendingSends).toBe(1)
        const got = yield* Effect.promise(async () => {
          const out: number[] = []
          for await (const v of rx) out.push(v)
          return out
        })
        yield* Fiber.join(fiber)
        expect(got).toEqual([1, 2, 3, 4, 5, 6])
      }),
    ))

  it("closes the channel with the stream's failure after its values", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        const exit = yield* Effect.exit(runIntoChannel(Stream.concat(Stream.make(1, 2), Stream.fail("boom")), tx))
        expect(exit._tag).toBe("Failure")
        expect(rx.tryReceiveMany()).toEqual([1, 2])
        expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed", error: "boom" })
      }),
    ))

  it("fails with the refused value when the channel is cancelled under it", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(1)
        const fiber = yield* Effect.forkChild(runIntoChannel(Stream.make(1, 2, 3), tx))
        yield* Effect.yieldNow
        rx.cancel()
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error).toMatchObject({ name: "ChannelClosedError", value: 2 })
      }),
    ))
})
