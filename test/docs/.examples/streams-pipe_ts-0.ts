import { bounded } from "@panama/channel"
import { pipeToChannel } from "@panama/streams"

const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: (chunk) => chunk.byteLength })
const response = await fetch("https://example.com/")
const piping = pipeToChannel(response.body!, tx)
for await (const chunk of rx) console.log(chunk.byteLength)
await piping

export {}
