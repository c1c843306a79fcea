/** `async-channel` (npm): `await ch.push(v)` / `await ch.get()`; capacity Infinity for unbounded. */
import asyncChannel from "async-channel"
import { awaitEveryMessage } from "./generic.js"

const { Channel } = asyncChannel

export default awaitEveryMessage({
  label: "async-channel (npm)",
  capacities: ["unbounded", "bounded", "rendezvous"],
  make: (capacity) => new Channel(capacity),
  send: (ch, v) => ch.push(v),
  receive: (ch) => ch.get(),
})
