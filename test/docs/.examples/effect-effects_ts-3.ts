import { Effect } from "effect"
import { unbounded } from "@panama/channel"
import { receiveMany } from "@panama/effect"

const [tx, rx] = unbounded<number>()
for (const n of [1, 2, 3, 4, 5]) tx.trySend(n)
Effect.runPromise(receiveMany(rx, 3)).then(console.log) // [1, 2, 3]

export {}
