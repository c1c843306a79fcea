/**
 * panama, the hot-loop idiom: `trySend` first and `await send` only when the
 * buffer is full; the consumer takes what is there with `tryReceiveMany()` and
 * waits with `receiveMany(n)` only when the channel is empty (one wake-up per
 * batch instead of one per message).
 */
import { channel } from "@panama/channel"

const BATCH = 1024

export default {
  label: "panama fast path (trySend / receiveMany)",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make(capacity) {
    const [tx, rx] = channel({ capacity })
    return { tx, rx }
  },
  send(ch, v) {
    if (!ch.tx.trySend(v).ok) return ch.tx.send(v)
  },
  async produce({ tx }, from, to) {
    for (let i = from; i < to; i++) {
      if (!tx.trySend(i).ok) await tx.send(i)
    }
  },
  async consume({ tx, rx }) {
    let count = 0
    let sum = 0
    for (;;) {
      let batch = rx.tryReceiveMany(BATCH)
      if (batch.length === 0) batch = await rx.receiveMany(BATCH)
      for (let i = 0; i < batch.length; i++) {
        const v = batch[i]
        if (v < 0) {
          // End markers come last; hand the ones this batch took beyond its own back to the other consumers.
          for (let j = i + 1; j < batch.length; j++) {
            if (!tx.trySend(batch[j]).ok) await tx.send(batch[j])
          }
          return { count, sum }
        }
        count++
        sum += v
      }
    }
  },
  async ping(a, b, n) {
    for (let i = 0; i < n; i++) {
      if (!a.tx.trySend(i).ok) await a.tx.send(i)
      const r = b.rx.tryReceive()
      const value = r.ok ? r.value : (await b.rx.receive()).value
      if (value !== i) throw new Error(`ping ${i} answered ${value}`)
    }
    await a.tx.send(-1)
  },
  async pong(a, b) {
    for (;;) {
      const r = a.rx.tryReceive()
      const value = r.ok ? r.value : (await a.rx.receive()).value
      if (value < 0) return
      if (!b.tx.trySend(value).ok) await b.tx.send(value)
    }
  },
  fill({ tx }, from, to) {
    for (let i = from; i < to; i++) tx.trySend(i)
  },
}
