import { Effect, Stream } from "effect"
import { bounded } from "@panama/channel"
import { runIntoChannel } from "@panama/effect"

const [tx, rx] = bounded<number>(2)
const producer = Stream.range(1, 10).pipe(runIntoChannel(tx)) // waits while full
Effect.runFork(producer)

export {}
