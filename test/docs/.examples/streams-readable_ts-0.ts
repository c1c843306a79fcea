import { bounded } from "@panama/channel"
import { toReadableStream } from "@panama/streams"

const [tx, rx] = bounded<string>(4)
void (async () => {
  for (const word of ["a", "b", "c"]) await tx.send(word)
  tx.close()
})()
for await (const word of toReadableStream(rx)) console.log(word) // a, b, c

export {}
