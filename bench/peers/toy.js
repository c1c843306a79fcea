/**
 * The naive toy: an array buffer plus arrays of waiting resolvers, with
 * `Array#shift`. What everyone writes first; the baseline of every ratio.
 * No close, no abort, no ownership rule.
 */
export class ToyChannel {
  constructor(capacity = Infinity) {
    this.capacity = capacity
    this.buffer = []
    this.receivers = [] // resolve functions of waiting receives
    this.senders = [] // { value, resolve } of waiting sends
  }

  async send(value) {
    if (this.receivers.length > 0) {
      this.receivers.shift()(value)
      return
    }
    if (this.buffer.length < this.capacity) {
      this.buffer.push(value)
      return
    }
    await new Promise((resolve) => this.senders.push({ value, resolve }))
  }

  async receive() {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift()
      if (this.senders.length > 0) {
        const sender = this.senders.shift()
        this.buffer.push(sender.value)
        sender.resolve()
      }
      return value
    }
    if (this.senders.length > 0) {
      // Rendezvous: take straight from a waiting sender.
      const sender = this.senders.shift()
      sender.resolve()
      return sender.value
    }
    return new Promise((resolve) => this.receivers.push(resolve))
  }
}

// ------------------------------------------------------------------ adapter

import { awaitEveryMessage } from "./generic.js"
import { BROADCAST_CAPACITY, raceLoop, SELECT_CAPACITY } from "./multi.js"

const plain = awaitEveryMessage({
  label: "naive toy (array + promise)",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make: (capacity) => new ToyChannel(capacity),
  send: (ch, v) => ch.send(v),
  receive: (ch) => ch.receive(),
})

export default {
  ...plain,
  capacities: [...plain.capacities, "select", "broadcast"],
  labels: {
    select: "naive toy: `Promise.race` loop over toy channels",
    broadcast: "naive toy: one toy channel per receiver, `await send` to each",
  },
  /** No select: the `Promise.race` loop over toy channels, `await send` producers. */
  async selectLoop(k, n, ready = false) {
    const chans = []
    for (let c = 0; c < k; c++) chans.push(new ToyChannel(ready ? Infinity : SELECT_CAPACITY))
    const share = Math.floor(n / k)
    const producing = chans.map(async (ch, p) => {
      const to = p === k - 1 ? n : (p + 1) * share
      // ready: the unbounded toy buffers synchronously, so fill before the consumer starts.
      if (ready) for (let i = p * share; i < to; i++) void ch.send(i)
      else for (let i = p * share; i < to; i++) await ch.send(i)
    })
    const got = await raceLoop(k, n, (c) => chans[c].receive().then((value) => ({ c, value })))
    await Promise.all(producing)
    return got
  },
  /** No broadcast: one toy channel per receiver, `await send` to each in turn. */
  async fanout(k, n) {
    const chans = []
    for (let r = 0; r < k; r++) chans.push(new ToyChannel(BROADCAST_CAPACITY))
    const draining = chans.map((ch) => plain.consume(ch))
    for (let i = 0; i < n; i++) for (const ch of chans) await ch.send(i)
    for (const ch of chans) await ch.send(-1)
    return Promise.all(draining)
  },
}
