import { Effect } from "effect"
import { bounded } from "@panama/channel"
import { trySend } from "@panama/effect"

const [tx] = bounded<number>(1)
const results = Effect.runSync(Effect.all([trySend(tx, 1), trySend(tx, 2)]))
// [{ ok: true }, { ok: false, reason: "full", value: 2 }]

export {}
