import { bounded } from "@panama/channel"

const [tx, rx] = bounded<number>(1)
await tx.send(1)                                           // buffered
const late = tx.send(2, { timeout: 100 })                  // waits for room
console.log(await rx.receive())                            // { done: false, value: 1 }
await late                                                 // accepted once 1 was taken

export {}
