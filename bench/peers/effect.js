/**
 * Effect 4 `Queue`: each loop is an `Effect.gen` program run as its own fiber
 * (`Effect.runPromise`), `yield* Queue.offer` / `yield* Queue.take` per message.
 * Capacity 0 is `Queue.bounded(0)` (works, undocumented).
 */
import { Effect, Queue } from "effect"

export default {
  label: "effect 4 Queue",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make(capacity) {
    return Effect.runSync(capacity === Infinity ? Queue.unbounded() : Queue.bounded(capacity))
  },
  send: (q, v) => Effect.runPromise(Queue.offer(q, v)),
  produce: (q, from, to) =>
    Effect.runPromise(
      Effect.gen(function* () {
        for (let i = from; i < to; i++) yield* Queue.offer(q, i)
      }),
    ),
  consume: (q) =>
    Effect.runPromise(
      Effect.gen(function* () {
        let count = 0
        let sum = 0
        for (;;) {
          const v = yield* Queue.take(q)
          if (v < 0) return { count, sum }
          count++
          sum += v
        }
      }),
    ),
  ping: (a, b, n) =>
    Effect.runPromise(
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          yield* Queue.offer(a, i)
          const v = yield* Queue.take(b)
          if (v !== i) throw new Error(`ping ${i} answered ${v}`)
        }
        yield* Queue.offer(a, -1)
      }),
    ),
  pong: (a, b) =>
    Effect.runPromise(
      Effect.gen(function* () {
        for (;;) {
          const v = yield* Queue.take(a)
          if (v < 0) return
          yield* Queue.offer(b, v)
        }
      }),
    ),
  fill(q, from, to) {
    for (let i = from; i < to; i++) Queue.offerUnsafe(q, i)
  },
}
