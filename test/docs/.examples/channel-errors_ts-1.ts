import { channel, ChannelFullError } from "@panama/channel"

const [tx] = channel<number>({ capacity: 1, overflow: "reject" })
await tx.send(1)
await tx.send(2).catch((e: unknown) => {
  if (e instanceof ChannelFullError) console.log("refused", e.value) // refused 2
})

export {}
