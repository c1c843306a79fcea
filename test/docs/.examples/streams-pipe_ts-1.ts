import { fromReadableStream } from "@panama/streams"

const words = new ReadableStream<string>({
  start(c) {
    for (const w of ["x", "y"]) c.enqueue(w)
    c.close()
  },
})
const rx = fromReadableStream(words, { capacity: 8 })
for await (const w of rx) console.log(w) // x, y

export {}
