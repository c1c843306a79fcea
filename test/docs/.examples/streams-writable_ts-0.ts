import { bounded } from "@panama/channel"
import { toWritableStream } from "@panama/streams"

const [tx, rx] = bounded<string>(16)
const source = new ReadableStream<string>({
  start(c) {
    c.enqueue("hello")
    c.close()
  },
})
await source.pipeTo(toWritableStream(tx))
console.log(await rx.receive()) // { done: false, value: "hello" }

export {}
