import { bounded } from "@panama/channel"

const [tx] = bounded<string>(1)
tx.trySend("a")                       // { ok: true }
const r = tx.trySend("b")             // { ok: false, reason: "full", value: "b" }
if (!r.ok) console.log(r.reason, r.value)

export {}
