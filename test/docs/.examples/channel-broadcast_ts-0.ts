import { broadcast } from "@panama/channel"

const [tx, a] = broadcast<string>({ capacity: 16 })
const b = tx.subscribe()
await tx.send("hello")
console.log(await a.receive(), await b.receive()) // both get "hello"

export {}
