/**
 * RxJS 7 `Subject`: push only. `next(v)` runs the subscriber synchronously;
 * there is no buffer, no backpressure and no pull, so it applies only where
 * nothing has to wait: SPSC unbounded and the burst. An upper bound on what a
 * callback dispatch costs, not a channel.
 */
import { Subject } from "rxjs"

export default {
  label: "RxJS Subject (push only)",
  capacities: ["unbounded"],
  only: ["spsc-unbounded", "burst"],
  make: () => new Subject(),
  send: (s, v) => void s.next(v),
  produce(s, from, to) {
    for (let i = from; i < to; i++) s.next(i)
  },
  consume(s) {
    return new Promise((resolve) => {
      let count = 0
      let sum = 0
      const subscription = s.subscribe((v) => {
        if (v < 0) {
          subscription.unsubscribe()
          resolve({ count, sum })
          return
        }
        count++
        sum += v
      })
    })
  },
  fill(s, from, to) {
    for (let i = from; i < to; i++) s.next(i)
  },
}
