import { bounded, ChannelClosedError } from "@panama/channel"

const [tx] = bounded<string>(1)
tx.close()
try {
  await tx.send("late")
} catch (e) {
  if (e instanceof ChannelClosedError) console.log(e.value) // "late"
}

export {}
