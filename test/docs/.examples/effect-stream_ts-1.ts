import { Effect, Stream } from "effect"
import { unbounded } from "@panama/channel"
import { toSink } from "@panama/effect"

const [tx, rx] = unbounded<number>()
Effect.runPromise(Stream.run(Stream.make(1, 2, 3), toSink(tx))).then(() =>
  console.log(rx.tryReceiveMany(), rx.state), // [1, 2, 3] "closed"
)

export {}
