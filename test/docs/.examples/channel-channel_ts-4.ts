import { unbounded } from "@panama/channel"

const [tx, rx] = unbounded<number>()
for (let i = 0; i < 5; i++) tx.trySend(i)
console.log(await rx.receiveMany(3)) // [0, 1, 2]

export {}
