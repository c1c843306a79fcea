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

export default awaitEveryMessage({
  label: "naive toy (array + promise)",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make: (capacity) => new ToyChannel(capacity),
  send: (ch, v) => ch.send(v),
  receive: (ch) => ch.receive(),
})
