import { oneshot } from "@panama/channel"

const [reply, answer] = oneshot<number>()
setTimeout(() => reply.send(42), 1)
console.log(await answer) // 42

export {}
