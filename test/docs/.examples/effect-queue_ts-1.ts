import { Effect, Queue } from "effect"
import { fromQueue } from "@panama/effect"

const program = Effect.scoped(
  Effect.gen(function* () {
    const queue = yield* Queue.bounded<number>(16)
    const rx = yield* fromQueue(queue)
    yield* Queue.offer(queue, 1)
    return yield* Effect.promise(() => rx.receive()) // { done: false, value: 1 }
  }),
)

export {}
