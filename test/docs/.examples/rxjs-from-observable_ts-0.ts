import { bounded } from "@panama/channel"
import { subscribeToChannel } from "@panama/rxjs"
import { interval } from "rxjs"

const [tx, rx] = bounded<number>(64)
const subscription = subscribeToChannel(interval(10), tx, {
  overflow: "drop-oldest",
  stage: 16,
  onDrop: (n) => console.log("missed", n),
})
for await (const n of rx) if (n === 100) break
rx.cancel() // the channel is cancelled: interval is unsubscribed
console.log(subscription.closed)

export {}
