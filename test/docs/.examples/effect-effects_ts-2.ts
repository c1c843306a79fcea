import { Cause, Effect } from "effect"
import { unbounded } from "@panama/channel"
import { receive } from "@panama/effect"

const [tx, rx] = unbounded<string>()
tx.trySend("a")
tx.close()
const program = Effect.gen(function* () {
  const first = yield* receive(rx)                         // "a"
  const end = yield* Effect.flip(receive(rx))              // Cause.Done
  return [first, Cause.isDone(end)] as const
})
Effect.runPromise(program).then(console.log) // ["a", true]

export {}
