import { bounded, send, select } from "@panama/channel"

const [fast] = bounded<number>(1)
const [slow] = bounded<number>(1)
const r = await select([send(fast, 1), send(slow, 1)])
console.log("sent on", r.index)

export {}
