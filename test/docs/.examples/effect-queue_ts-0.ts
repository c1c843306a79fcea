import { Effect, Queue } from "effect"
import { unbounded } from "@panama/channel"
import { toQueue } from "@panama/effect"

const [tx, rx] = unbounded<string>()
tx.trySend("a")
const program = Effect.scoped(
  Effect.gen(function* () {
    const queue = yield* toQueue(rx)
    return yield* Queue.take(queue) // "a"
  }),
)

export {}
