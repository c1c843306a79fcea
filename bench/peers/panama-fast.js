/**
 * panama, the hot-loop idiom: `trySend` first and `await send` only when the
 * buffer is full; the consumer takes what is there with `tryReceiveMany()` and
 * waits with `receiveMany(n)` only when the channel is empty (one wake-up per
 * batch instead of one per message). Select: `trySelect(cases)` first,
 * `await select(cases)` only when no case is ready. Broadcast: `trySend` /
 * `tryReceive` first, `await` only when full / empty.
 */
import { bounded, broadcast, channel, recv, select, trySelect } from "@panama/channel"
import { BROADCAST_CAPACITY, producePanama, SELECT_CAPACITY } from "./multi.js"

const BATCH = 1024

export default {
  label: "panama fast path (trySend / receiveMany)",
  labels: {
    select: "panama fast path: `trySelect(cases) ?? await select(cases)`",
    broadcast: "panama broadcast fast path: `trySend` first, `tryReceiveMany` batches",
  },
  capacities: ["unbounded", "bounded", "rendezvous", "select", "broadcast"],
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
  async selectLoop(k, n, ready = false) {
    const txs = []
    const rxs = []
    for (let c = 0; c < k; c++) {
      // ready: unbounded channels the producers fill before the consumer starts.
      const [tx, rx] = ready ? channel({ capacity: Infinity }) : bounded(SELECT_CAPACITY)
      txs.push(tx)
      rxs.push(rx)
    }
    const producing = producePanama(txs, n)
    // Cases are reusable: build them once.
    const cases = rxs.map((rx) => recv(rx))
    let count = 0
    let sum = 0
    while (count < n) {
      const r = trySelect(cases) ?? (await select(cases))
      count++
      sum += r.value.value
    }
    await producing
    return { count, sum }
  },
  async fanout(k, n) {
    const [tx, first] = broadcast({ capacity: BROADCAST_CAPACITY })
    const draining = [drain(first)]
    for (let r = 1; r < k; r++) draining.push(drain(tx.subscribe()))
    for (let i = 0; i < n; i++) {
      if (!tx.trySend(i).ok) await tx.send(i)
    }
    tx.close()
    return Promise.all(draining)
  },
}

async function drain(rx) {
  // The hot-loop idiom for a broadcast receiver: take what is buffered in one
  // batch, wait (receiveMany) only when empty. Under suspend nothing is missed.
  let count = 0
  let sum = 0
  for (;;) {
    let batch = rx.tryReceiveMany(1024)
    if (batch.length === 0) batch = await rx.receiveMany(1024)
    if (batch.length === 0) {
      if (rx.missed !== 0) throw new Error(`missed ${rx.missed} under suspend`)
      return { count, sum }
    }
    count += batch.length
    for (let i = 0; i < batch.length; i++) sum += batch[i]
  }
}
