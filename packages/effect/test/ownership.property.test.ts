import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Cause, Effect, Exit, Fiber } from "effect"
import { channel } from "@panama/channel"
import { receive, receiveMany, send, tryReceive } from "../src/index.js"

type Op =
  | { kind: "spawn"; many: boolean }
  | { kind: "interrupt"; which: number }
  | { kind: "interruptProducer" }
  | { kind: "yield"; steps: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("spawn" as const), many: fc.boolean() }),
  fc.record({ kind: fc.constant("interrupt" as const), which: fc.nat(7) }),
  fc.record({ kind: fc.constant("interruptProducer" as const) }),
  fc.record({ kind: fc.constant("yield" as const), steps: fc.integer({ min: 0, max: 4 }) }),
)

describe("ownership under interruption", () => {
  it("interrupting fibers at random points never loses or duplicates a value", () =>
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 40 }), async (capacity, ops) => {
        const received: number[] = []
        const [tx, rx] = channel<number>({ capacity })
        const program = Effect.gen(function* () {
          let next = 0
          const completed: number[] = [] // values whose send returned
          const producer = () =>
            Effect.forkChild(
              Effect.forever(
                Effect.suspend(() => {
                  const v = next++
                  return Effect.map(send(tx, v), () => void completed.push(v))
                }),
              ),
            )
          let prod = yield* producer()
          const consumers: Array<Fiber.Fiber<unknown, unknown>> = []
          const consumer = (many: boolean) =>
            Effect.forkChild(
              Effect.forever(
                many
                  ? Effect.map(receiveMany(rx, 3), (batch) => void received.push(...batch))
                  : Effect.map(receive(rx), (v) => void received.push(v)),
              ),
            )
          for (const o of ops) {
            if (o.kind === "spawn") consumers.push(yield* consumer(o.many))
            else if (o.kind === "interrupt" && consumers.length > 0) {
              const [f] = consumers.splice(o.which % consumers.length, 1)
              yield* Fiber.interrupt(f!)
            } else if (o.kind === "interruptProducer") {
              yield* Fiber.interrupt(prod)
              prod = yield* producer()
            } else if (o.kind === "yield") for (let i = 0; i < o.steps; i++) yield* Effect.yieldNow
          }
          yield* Fiber.interrupt(prod)
          for (const f of consumers) yield* Fiber.interrupt(f)
          // Drain through the adapter: it also hands out values held for interrupted receives.
          while (true) {
            const r = yield* Effect.exit(tryReceive(rx))
            if (Exit.isFailure(r) || r.value._tag === "None") break
            received.push(r.value.value)
          }
          return completed
        })
        const completed = await Effect.runPromise(program)
        // Never duplicated.
        expect(new Set(received).size).toBe(received.length)
        // Every accepted value was received: the channel's count of accepted values equals what came out.
        expect(received.length).toBe(tx.stats.sent)
        // Every send that returned was received.
        const got = new Set(received)
        for (const v of completed) expect(got.has(v)).toBe(true)
        // Per-producer order is kept for values taken one at a time is not asserted: receivers race.
        void Cause
      }),
      { numRuns: 150 },
    ))
})
