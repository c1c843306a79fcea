import { Effect } from "effect"
import { unbounded } from "@panama/channel"
import { close } from "@panama/effect"

const [tx] = unbounded<number>()
Effect.runSync(close(tx))                      // data-first
Effect.runSync(close(new Error("boom"))(tx))   // data-last, with a reason

export {}
