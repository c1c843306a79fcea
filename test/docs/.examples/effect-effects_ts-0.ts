import { Effect } from "effect"
import { bounded } from "@panama/channel"
import { send, receive } from "@panama/effect"

const [tx, rx] = bounded<string>(1)
const program = Effect.gen(function* () {
  yield* send(tx, "job-1")
  return yield* receive(rx)
})
Effect.runPromise(program).then(console.log) // "job-1"

export {}
