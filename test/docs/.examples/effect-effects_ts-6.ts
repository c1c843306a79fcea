import { Effect } from "effect"
import { unbounded } from "@panama/channel"
import { cancel } from "@panama/effect"

const [, rx] = unbounded<number>()
Effect.runSync(cancel(rx)) // []

export {}
