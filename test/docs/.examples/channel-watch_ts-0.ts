import { watch } from "@panama/channel"

const [config, rx] = watch({ level: "info" })
setTimeout(() => config.send({ level: "debug" }), 1)
const r = await rx.changed()
if (!r.done) console.log(r.value.level) // "debug"

export {}
