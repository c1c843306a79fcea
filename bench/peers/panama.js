/**
 * panama, the plain API with full semantics: `await tx.send(v)` and
 * `await rx.receive()` on every message; `await select([recv(a), recv(b), ...])`
 * per message; a broadcast whose receivers `await rx.receive()` per value.
 */
import { bounded, broadcast, channel, recv, select } from "@panama/channel"
import { BROADCAST_CAPACITY, producePanama, SELECT_CAPACITY } from "./multi.js"

export default {
  label: "panama `await send` / `await receive`",
  labels: {
    select: "panama `await select([recv(a), recv(b), …])`",
    broadcast: "panama broadcast, `await send` / `await rx.receive()`",
  },
  capacities: ["unbounded", "bounded", "rendezvous", "select", "broadcast"],
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
    let count = 0
    let sum = 0
    if (k === 2) {
      const [a, b] = rxs
      // The idiom as written in application code: the case list built at the call.
      while (count < n) {
        const r = await select([recv(a), recv(b)])
        count++
        sum += r.value.value
      }
    } else {
      while (count < n) {
        const cases = new Array(k)
        for (let c = 0; c < k; c++) cases[c] = recv(rxs[c])
        const r = await select(cases)
        count++
        sum += r.value.value
      }
    }
    await producing
    return { count, sum }
  },
  async fanout(k, n) {
    const [tx, first] = broadcast({ capacity: BROADCAST_CAPACITY })
    const draining = [drain(first)]
    for (let r = 1; r < k; r++) draining.push(drain(tx.subscribe()))
    for (let i = 0; i < n; i++) await tx.send(i)
    tx.close()
    return Promise.all(draining)
  },
}

async function drain(rx) {
  let count = 0
  let sum = 0
  for (;;) {
    const r = await rx.receive()
    if (r.done) return { count, sum }
    if (r.lagged !== undefined) throw new Error(`lagged ${r.lagged} under suspend`)
    count++
    sum += r.value
  }
}
