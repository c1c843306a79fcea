import { Effect, Stream } from "effect"
import { unbounded } from "@panama/channel"
import { toStream } from "@panama/effect"

const [tx, rx] = unbounded<number>()
for (const n of [1, 2, 3]) tx.trySend(n)
tx.close()
Effect.runPromise(Stream.runCollect(toStream(rx))).then(console.log) // [1, 2, 3]

export {}
