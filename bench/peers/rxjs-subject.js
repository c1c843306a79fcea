/**
 * RxJS 7 `Subject`: push only. `next(v)` runs the subscriber synchronously;
 * there is no buffer, no backpressure and no pull, so it applies only where
 * nothing has to wait: SPSC unbounded and the burst. An upper bound on what a
 * callback dispatch costs, not a channel. Broadcast: one `Subject` with k
 * subscribers, `next(v)` for every value, then `complete()`.
 */
import { Subject } from "rxjs"

export default {
  label: "RxJS Subject (push only)",
  labels: { broadcast: "RxJS Subject, one `subscribe` per receiver (push only)" },
  capacities: ["unbounded", "broadcast"],
  only: ["spsc-unbounded", "burst", "broadcast-1", "broadcast-8", "broadcast-64"],
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
  fanout(k, n) {
    const s = new Subject()
    const tallies = []
    for (let r = 0; r < k; r++) {
      const tally = { count: 0, sum: 0 }
      tallies.push(tally)
      s.subscribe((v) => {
        tally.count++
        tally.sum += v
      })
    }
    for (let i = 0; i < n; i++) s.next(i)
    s.complete()
    return Promise.resolve(tallies)
  },
}
