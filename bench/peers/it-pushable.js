/** `it-pushable` (object mode): `push(v)` never waits (unbounded only), `await next()` per message. */
import { pushable } from "it-pushable"

export default {
  label: "it-pushable",
  capacities: ["unbounded"],
  make: () => pushable({ objectMode: true }),
  send: (p, v) => void p.push(v),
  async produce(p, from, to) {
    for (let i = from; i < to; i++) p.push(i)
  },
  async consume(p) {
    let count = 0
    let sum = 0
    for (;;) {
      const { value } = await p.next()
      if (value < 0) return { count, sum }
      count++
      sum += value
    }
  },
  async ping(a, b, n) {
    for (let i = 0; i < n; i++) {
      a.push(i)
      const { value } = await b.next()
      if (value !== i) throw new Error(`ping ${i} answered ${value}`)
    }
    a.push(-1)
  },
  async pong(a, b) {
    for (;;) {
      const { value } = await a.next()
      if (value < 0) return
      b.push(value)
    }
  },
  fill(p, from, to) {
    for (let i = from; i < to; i++) p.push(i)
  },
}
