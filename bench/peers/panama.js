/**
 * panama, the plain API with full semantics: `await tx.send(v)` and
 * `await rx.receive()` on every message.
 */
import { channel } from "@panama/channel"

export default {
  label: "panama `await send` / `await receive`",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make(capacity) {
    const [tx, rx] = channel({ capacity })
    return { tx, rx }
  },
  send: (ch, v) => ch.tx.send(v),
  async produce({ tx }, from, to) {
    for (let i = from; i < to; i++) await tx.send(i)
  },
  async consume({ rx }) {
    let count = 0
    let sum = 0
    for (;;) {
      const { value } = await rx.receive()
      if (value < 0) return { count, sum }
      count++
      sum += value
    }
  },
  async ping(a, b, n) {
    for (let i = 0; i < n; i++) {
      await a.tx.send(i)
      const { value } = await b.rx.receive()
      if (value !== i) throw new Error(`ping ${i} answered ${value}`)
    }
    await a.tx.send(-1)
  },
  async pong(a, b) {
    for (;;) {
      const { value } = await a.rx.receive()
      if (value < 0) return
      await b.tx.send(value)
    }
  },
  fill({ tx }, from, to) {
    for (let i = from; i < to; i++) tx.send(i) // resolves at once on an unbounded channel
  },
}
