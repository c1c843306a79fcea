import { byteLength, fromFetch } from "@panama/streams"

const { response, rx } = await fromFetch("https://example.com/", undefined, {
  capacity: 1 << 20,
  size: byteLength,
})
console.log(response.status)
let total = 0
for await (const chunk of rx) total += chunk.byteLength
console.log(total)

export {}
