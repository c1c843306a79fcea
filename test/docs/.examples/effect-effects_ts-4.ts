import { Effect } from "effect"
import { unbounded } from "@panama/channel"
import { tryReceive } from "@panama/effect"

const [, rx] = unbounded<number>()
Effect.runSync(tryReceive(rx)) // Option.none()

export {}
