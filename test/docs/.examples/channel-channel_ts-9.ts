import { dropping } from "@panama/channel"
const [tx, rx] = dropping<number>(8, { onDrop: (v) => console.log("dropped", v) })

export {}
