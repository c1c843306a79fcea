import { describe, expect, it } from "vitest"
import { Cause, Effect, Queue } from "effect"
import { unbounded } from "@panama/channel"
import { fromQueue, toQueue } from "../src/index.js"

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

describe("toQueue", () => {
  it("close maps to Queue.end after the last value", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const [tx, rx] = unbounded<number>()
          tx.trySend(1)
          tx.trySend(2)
          tx.close()
          const q = yield* toQueue(rx)
          expect(yield* Queue.take(q)).toBe(1)
          expect(yield* Queue.take(q)).toBe(2)
          expect(Cause.isDone(yield* Effect.flip(Queue.take(q)))).toBe(true)
        }),
      ),
    ))

  it("close(e) maps to Queue.fail(e)", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const [tx, rx] = unbounded<number>()
          tx.trySend(1)
          tx.close("boom")
          const q = yield* toQueue<number, string>(rx)
          expect(yield* Queue.take(q)).toBe(1)
          expect(yield* Effect.flip(Queue.take(q))).toBe("boom")
        }),
      ),
    ))

  it("takes nothing from the channel before a taker asks (bounded(0))", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const [tx, rx] = unbounded<number>()
          const q = yield* toQueue(rx)
          tx.trySend(1)
          tx.trySend(2)
          yield* Effect.yieldNow
          // The pump holds at most the value it is handing over; the queue buffers none.
          expect(Queue.sizeUnsafe(q)).toBe(0)
          expect(rx.size).toBe(1)
          expect(yield* Queue.take(q)).toBe(1)
        }),
      ),
    ))

  it("Queue.shutdown cancels the channel and reports the held value", () =>
    run(
      Effect.gen(function* () {
        const dropped: number[] = []
        const channelDropped: number[] = []
        const [tx, rx] = unbounded<number>({ onDrop: (v) => channelDropped.push(v) })
        yield* Effect.scoped(
          Effect.gen(function* () {
            const q = yield* toQueue(rx, { onDrop: (v) => dropped.push(v) })
            tx.trySend(1)
            tx.trySend(2)
            yield* Effect.yieldNow
            yield* Queue.shutdown(q)
            yield* Effect.yieldNow
          }),
        )
        expect(rx.state).toBe("cancelled")
        expect(dropped).toEqual([1])
        expect(channelDropped).toEqual([2])
      }),
    ))
})

describe("toQueue without an onDrop option", () => {
  it("reports the value the pump held at shutdown to the channel's onDrop, not silently away", () =>
    run(
      Effect.gen(function* () {
        const channelDropped: Array<[number, string]> = []
        const [tx, rx] = unbounded<number>({ onDrop: (v, why) => channelDropped.push([v, why]) })
        yield* Effect.scoped(
          Effect.gen(function* () {
            const q = yield* toQueue(rx)
            tx.trySend(1)
            tx.trySend(2)
            yield* Effect.yieldNow
            yield* Queue.shutdown(q)
            yield* Effect.yieldNow
          }),
        )
        expect(rx.state).toBe("cancelled")
        expect(channelDropped.sort()).toEqual([
          [1, "cancel"],
          [2, "cancel"],
        ])
        expect(rx.stats).toEqual({ sent: 2, received: 0, dropped: { overflow: 0, cancel: 2 } })
      }),
    ))
})

describe("fromQueue", () => {
  it("Queue.end closes the channel after the last value", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const q = yield* Queue.unbounded<number, Cause.Done>()
          const rx = yield* fromQueue(q)
          yield* Queue.offerAll(q, [1, 2])
          yield* Queue.end(q)
          const got = yield* Effect.promise(async () => {
            const out: number[] = []
            for await (const v of rx) out.push(v)
            return out
          })
          expect(got).toEqual([1, 2])
        }),
      ),
    ))

  it("Queue.fail(e) closes the channel with e", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const q = yield* Queue.unbounded<number, string>()
          const rx = yield* fromQueue(q)
          yield* Queue.offer(q, 1)
          yield* Queue.fail(q, "boom")
          expect(yield* Effect.promise(() => rx.receive())).toEqual({ done: false, value: 1 })
          expect(yield* Effect.promise(() => rx.receive().then(() => "no", (e: unknown) => e))).toBe("boom")
        }),
      ),
    ))

  it("Queue.shutdown cancels the channel", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const q = yield* Queue.bounded<number>(4)
          const rx = yield* fromQueue(q)
          yield* Effect.yieldNow
          yield* Queue.shutdown(q)
          yield* Effect.yieldNow
          expect(rx.state).toBe("cancelled")
        }),
      ),
    ))

  it("cancelling the channel shuts the queue down; the held value goes to onDrop", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const dropped: Array<[number, string]> = []
          const q = yield* Queue.bounded<number>(4)
          const rx = yield* fromQueue(q, { onDrop: (v, why) => dropped.push([v, why]) })
          yield* Queue.offerAll(q, [1, 2, 3])
          yield* Effect.yieldNow
          rx.cancel()
          yield* Effect.yieldNow
          yield* Effect.yieldNow
          expect(q.state._tag).toBe("Done")
          expect(dropped).toEqual([[1, "cancel"]])
        }),
      ),
    ))

  it("a dropping queue maps to drop-newest, a sliding one to drop-oldest", () =>
    run(
      Effect.scoped(
        Effect.gen(function* () {
          const dropped: Array<[string, number]> = []
          const dq = yield* Queue.dropping<number>(4)
          const sq = yield* Queue.sliding<number>(4)
          const d = yield* fromQueue(dq, { capacity: 2, onDrop: (v) => dropped.push(["dropping", v]) })
          const s = yield* fromQueue(sq, { capacity: 2, onDrop: (v) => dropped.push(["sliding", v]) })
          yield* Queue.offerAll(dq, [1, 2, 3])
          yield* Queue.offerAll(sq, [1, 2, 3])
          for (let i = 0; i < 5; i++) yield* Effect.yieldNow
          expect(d.tryReceiveMany()).toEqual([1, 2])
          expect(s.tryReceiveMany()).toEqual([2, 3])
          expect(dropped).toEqual([["dropping", 3], ["sliding", 1]])
        }),
      ),
    ))
})
