/**
 * Behavioural scenarios of Effect 4's own Queue tests, translated to the
 * channel adapter: `Queue.offer` → `send`, `Queue.take` → `receive`,
 * `Queue.takeAll` → `receiveMany`, `Queue.end` → `close`, `Queue.fail(e)` →
 * `close(e)`, `Queue.shutdown` → `cancel`, `Stream.fromQueue` → `toStream`.
 *
 * Source: Effect-TS/effect-smol, packages/effect/test/Queue.test.ts
 * (https://github.com/Effect-TS/effect-smol/blob/main/packages/effect/test/Queue.test.ts).
 * Translated, not copied; where the channel's contract differs from the
 * queue's, the comment at the test says how.
 */

import { describe, expect, it } from "vitest"
import { Cause, Effect, Exit, Fiber, Stream } from "effect"
import { bounded, ChannelClosedError, dropping, rendezvous, sliding, unbounded } from "@panama/channel"
import { cancel, close, receive, receiveMany, send, toStream, trySend } from "../src/index.js"

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

describe("Queue.test.ts scenarios against the channel adapter", () => {
  it("take can be interrupted without losing offers", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        const interrupted = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        yield* Fiber.interrupt(interrupted)
        expect(Exit.hasInterrupts(yield* Fiber.await(interrupted))).toBe(true)

        const live = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        yield* send(tx, 1)
        expect(yield* Fiber.join(live)).toBe(1)
        expect(rx.pendingReceives).toBe(0)
      }),
    ))

  it("a value delivered in the instant of an interruption goes to the next receive", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        const first = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        // The core hands 1 to the parked receive synchronously; the fiber is interrupted before it resumes.
        yield* send(tx, 1)
        yield* Fiber.interrupt(first)
        expect(Exit.hasInterrupts(yield* Fiber.await(first))).toBe(true)
        yield* send(tx, 2)
        expect(yield* receiveMany(rx, 10)).toEqual([1, 2])
      }),
    ))

  it("a stashed value wakes a receive already parked on the channel", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = unbounded<number>()
        const first = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        const second = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        yield* send(tx, 1) // delivered to `first`
        yield* Fiber.interrupt(first)
        expect(yield* Fiber.join(second)).toBe(1)
      }),
    ))

  it("send can be interrupted (offerAll can be interrupted)", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const fiber = yield* Effect.forkChild(Effect.forEach([1, 2, 3, 4], (n) => send(tx, n)))
        yield* Effect.yieldNow
        expect(tx.pendingSends).toBe(1)
        yield* Fiber.interrupt(fiber)
        // The waiting send of 3 was withdrawn: nothing left behind.
        expect(tx.pendingSends).toBe(0)
        expect(yield* receiveMany(rx, Infinity)).toEqual([1, 2])
        yield* send(tx, 5)
        expect(yield* receiveMany(rx, Infinity)).toEqual([5])
      }),
    ))

  it("done completes takes", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const fiber = yield* Effect.forkChild(receiveMany(rx, Infinity))
        yield* Effect.yieldNow
        yield* close(tx)
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isFailure(exit) && Cause.isDone(Cause.squash(exit.cause))).toBe(true)
      }),
    ))

  it("end", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const a = tx.clone()
        const b = tx.clone()
        yield* Effect.forkChild(Effect.andThen(Effect.forEach([1, 2, 3, 4], (n) => send(a, n)), close(a)))
        yield* Effect.forkChild(Effect.andThen(Effect.forEach([5, 6, 7, 8], (n) => send(b, n)), close(b)))
        yield* Effect.forkChild(close(tx)) // the original handle; the channel closes when a and b are done too
        const items = yield* Stream.runCollect(toStream(rx))
        expect([...items].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        // Each producer's values arrive in its order.
        expect(items.filter((n) => n <= 4)).toEqual([1, 2, 3, 4])
        expect(items.filter((n) => n > 4)).toEqual([5, 6, 7, 8])
        expect(rx.state).toBe("closed")
      }),
    ))

  it("end with take", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        yield* Effect.forkChild(Effect.forEach([1, 2], (n) => send(tx, n)))
        yield* Effect.forkChild(send(tx, 3))
        yield* Effect.forkChild(close(tx))
        expect(yield* receive(rx)).toBe(1)
        expect(yield* receive(rx)).toBe(2)
        expect(yield* receive(rx)).toBe(3)
        expect(Cause.isDone(yield* Effect.flip(receive(rx)))).toBe(true)
        // Queue.offer answers false after end; a send fails with the value.
        const refused = yield* Effect.flip(send(tx, 10))
        expect(refused).toBeInstanceOf(ChannelClosedError)
        expect(refused.value).toBe(10)
      }),
    ))

  it("close allows draining (interrupt allows draining)", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(10)
        for (const n of [1, 2, 3, 4, 5]) yield* send(tx, n)
        yield* close(tx)
        expect((yield* trySend(tx, 6)).ok).toBe(false)
        const drained: number[] = []
        for (let i = 0; i < 5; i++) drained.push(yield* receive(rx))
        expect(drained).toEqual([1, 2, 3, 4, 5])
        expect(Cause.isDone(yield* Effect.flip(receive(rx)))).toBe(true)
      }),
    ))

  it("fail drains buffered values before failing takers", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const first = yield* Effect.forkChild(Effect.forEach([1, 2, 3, 4], (n) => send(tx, n)))
        yield* Effect.yieldNow
        yield* Effect.forkChild(send(tx, 5))
        yield* Effect.yieldNow
        // close("boom") while 3 and 5 wait: waiting senders stay and are admitted in order (close rule).
        yield* close(tx, "boom")
        // A batch takes the buffer and then the values of waiting senders, as room appears.
        expect(yield* receiveMany(rx, Infinity)).toEqual([1, 2, 3, 5])
        expect(yield* Effect.flip(receiveMany<number, string>(rx, Infinity))).toBe("boom")
        // 4 was sent after the close: refused, and handed back.
        const refused = yield* Effect.flip(Fiber.join(first))
        expect(refused.value).toBe(4)
        expect(refused.cause).toBe("boom")
      }),
    ))

  it("shutdown (cancel refuses waiting senders and ends the stream)", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        const a = yield* Effect.forkChild(Effect.forEach([1, 2, 3, 4], (n) => send(tx, n)))
        const b = yield* Effect.forkChild(Effect.forEach([5, 6, 7, 8], (n) => send(tx, n)))
        yield* Effect.yieldNow
        const dropped = yield* cancel(rx)
        expect(dropped).toEqual([])
        const ea = yield* Effect.flip(Fiber.join(a))
        const eb = yield* Effect.flip(Fiber.join(b))
        expect([ea.value, eb.value]).toEqual([3, 5])
        expect(rx.state).toBe("cancelled")
        expect(yield* Stream.runCollect(toStream(rx))).toEqual([])
        expect((yield* trySend(tx, 10)).ok).toBe(false)
      }),
    ))

  it("fail doesnt drop items", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = bounded<number>(2)
        yield* Effect.forkChild(Effect.andThen(Effect.forEach([1, 2, 3, 4, 5], (n) => send(tx, n)), close(tx, "boom")))
        const items: number[] = []
        const error = yield* Effect.flip(
          Stream.runForEach(toStream<number, string>(rx), (n) => Effect.sync(() => items.push(n))),
        )
        expect(items).toEqual([1, 2, 3, 4, 5])
        expect(error).toBe("boom")
      }),
    ))

  it("bounded 0 capacity (rendezvous)", () =>
    run(
      Effect.gen(function* () {
        const [tx, rx] = rendezvous<number>()
        const sender = yield* Effect.forkChild(send(tx, 1))
        expect(yield* receive(rx)).toBe(1)
        yield* Fiber.join(sender)
        const taker = yield* Effect.forkChild(receive(rx))
        yield* Effect.yieldNow
        yield* send(tx, 2)
        expect(yield* Fiber.join(taker)).toBe(2)
      }),
    ))

  it("offer dropping (drop-newest)", () =>
    run(
      Effect.gen(function* () {
        const dropped: number[] = []
        const [tx, rx] = dropping<number>(2, { onDrop: (v) => dropped.push(v) })
        for (const n of [1, 2, 3, 4, 5]) yield* send(tx, n) // never waits
        expect(dropped).toEqual([3, 4, 5])
        expect(yield* receiveMany(rx, Infinity)).toEqual([1, 2])
      }),
    ))

  it("offer sliding (drop-oldest)", () =>
    run(
      Effect.gen(function* () {
        const dropped: number[] = []
        const [tx, rx] = sliding<number>(2, { onDrop: (v) => dropped.push(v) })
        for (const n of [1, 2, 3, 4, 5]) yield* send(tx, n)
        expect(dropped).toEqual([1, 2, 3])
        expect(yield* receiveMany(rx, Infinity)).toEqual([4, 5])
      }),
    ))
})
