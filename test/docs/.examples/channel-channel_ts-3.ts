import { unbounded } from "@panama/channel"

const [tx, rx] = unbounded<string>()
tx.trySend("hello")
tx.close()
console.log(await rx.receive()) // { done: false, value: "hello" }
console.log(await rx.receive()) // { done: true, value: undefined }

export {}
