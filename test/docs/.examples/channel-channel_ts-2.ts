import { bounded } from "@panama/channel"

const [tx, rx] = bounded<number>(2)
const rest = await tx.sendAll([1, 2, 3], { timeout: 10 })
console.log(rest) // [3]: nobody made room within 10 ms

export {}
