import { bounded, recv, trySelect } from "@panama/channel"

const [, rx] = bounded<number>(1)
const r = trySelect([recv(rx)])
if (r === undefined) console.log("nothing ready")

export {}
