/**
 * The scenarios. Each `run(peer, n)` moves about `n` messages through a fresh
 * channel (or, for the burst, through one channel reused between samples),
 * checks that every value arrived exactly once, and returns the number of
 * messages (round trips for ping-pong, deliveries = n × receivers for
 * broadcast) it moved. `heap` is not a rate: it
 * returns bytes per buffered item.
 */

/** Scenario groups, in print order; `id` is what BENCH_GROUPS names ("core" = the first four). */
export const GROUPS = [
  { id: "spsc", title: "One producer, one consumer (msgs/s)", ids: ["spsc-unbounded", "spsc-1", "spsc-16", "spsc-1024"] },
  { id: "handoff", title: "Hand-off and contention (msgs/s)", ids: ["rendezvous", "mpmc"] },
  { id: "roundtrip", title: "Round trips and bursts", ids: ["pingpong", "burst"] },
  { id: "memory", title: "Memory (lower is better)", ids: ["heap"] },
  {
    id: "select",
    title: "Select over ready channels (values received/s by the one consumer)",
    ids: ["select-2-ready", "select-8-ready", "select-2", "select-8"],
  },
  {
    id: "broadcast",
    title: "Broadcast, capacity 64 (deliveries/s = values sent × receivers)",
    ids: ["broadcast-1", "broadcast-8", "broadcast-64"],
  },
]
export const CORE_GROUPS = ["spsc", "handoff", "roundtrip", "memory"]

const BURST = 65_536

export const SCENARIOS = {
  "spsc-unbounded": { title: "SPSC unbounded", needs: "unbounded", rep: 100_000, run: (p, n) => spsc(p, Infinity, n) },
  "spsc-1": { title: "SPSC cap 1", needs: "bounded", rep: 50_000, run: (p, n) => spsc(p, 1, n) },
  "spsc-16": { title: "SPSC cap 16", needs: "bounded", rep: 100_000, run: (p, n) => spsc(p, 16, n) },
  "spsc-1024": { title: "SPSC cap 1024", needs: "bounded", rep: 100_000, run: (p, n) => spsc(p, 1024, n) },
  rendezvous: { title: "rendezvous", needs: "rendezvous", rep: 50_000, run: (p, n) => spsc(p, 0, n) },
  mpmc: { title: "MPMC 4x4 cap 64", needs: "bounded", rep: 100_000, run: (p, n) => mpmc(p, 64, 4, 4, n) },
  pingpong: { title: "ping-pong rt/s", needs: "unbounded", rep: 50_000, run: pingpong },
  burst: { title: "65,536 burst", needs: "unbounded", rep: BURST, fixed: true, run: burst },
  heap: { title: "heap B/item", needs: "unbounded", rep: 1_000_000, unit: "bytes", run: heap },
  // "ready": every value is in the channels before the consumer starts (select itself);
  // the others keep producers running, so producer wake-ups are part of every message.
  "select-2-ready": { title: "over 2 ready", needs: "select", rep: 100_000, run: (p, n) => selectOver(p, 2, n, true) },
  "select-8-ready": { title: "over 8 ready", needs: "select", rep: 100_000, run: (p, n) => selectOver(p, 8, n, true) },
  "select-2": { title: "over 2, fed by producers", needs: "select", rep: 100_000, run: (p, n) => selectOver(p, 2, n) },
  "select-8": { title: "over 8, fed by producers", needs: "select", rep: 100_000, run: (p, n) => selectOver(p, 8, n) },
  // `rep` is values sent; a run moves rep × receivers deliveries.
  "broadcast-1": { title: "to 1", needs: "broadcast", rep: 100_000, receivers: 1, run: (p, n) => fanout(p, 1, n) },
  "broadcast-8": { title: "to 8", needs: "broadcast", rep: 25_000, receivers: 8, run: (p, n) => fanout(p, 8, n) },
  "broadcast-64": { title: "to 64", needs: "broadcast", rep: 4_000, receivers: 64, run: (p, n) => fanout(p, 64, n) },
}

/** Whether `peer` can run scenario `id` ("—" in the tables otherwise). */
export function applies(peer, id) {
  if (peer.only !== undefined && !peer.only.includes(id)) return false
  return peer.capacities.includes(SCENARIOS[id].needs)
}

function check(what, got, n) {
  const sum = (n * (n - 1)) / 2
  if (got.count !== n || got.sum !== sum) {
    throw new Error(`${what}: received ${got.count} values summing to ${got.sum}, expected ${n} summing to ${sum}`)
  }
}

async function spsc(peer, capacity, n) {
  const ch = peer.make(capacity)
  const received = peer.consume(ch)
  await peer.produce(ch, 0, n)
  await peer.send(ch, -1)
  check(`spsc capacity ${capacity}`, await received, n)
  return n
}

async function mpmc(peer, capacity, producers, consumers, n) {
  n -= n % producers
  const ch = peer.make(capacity)
  const received = []
  for (let c = 0; c < consumers; c++) received.push(peer.consume(ch))
  const share = n / producers
  const produced = []
  for (let p = 0; p < producers; p++) produced.push(peer.produce(ch, p * share, (p + 1) * share))
  await Promise.all(produced)
  for (let c = 0; c < consumers; c++) await peer.send(ch, -1)
  const total = { count: 0, sum: 0 }
  for (const r of await Promise.all(received)) {
    total.count += r.count
    total.sum += r.sum
  }
  check("mpmc", total, n)
  return n
}

async function pingpong(peer, n) {
  const a = peer.make(Infinity)
  const b = peer.make(Infinity)
  const answering = peer.pong(a, b)
  await peer.ping(a, b, n)
  await answering
  return n
}

// One channel per process, reused by every burst: a channel that sees spikes.
let burstChannel
async function burst(peer, n) {
  const ch = (burstChannel ??= peer.make(Infinity))
  const received = peer.consume(ch)
  peer.fill(ch, 0, n)
  await peer.send(ch, -1)
  check("burst", await received, n)
  return n
}

// k channels kept supplied by k producers; one consumer takes n values from whichever is ready.
async function selectOver(peer, k, n, ready = false) {
  check(`select over ${k}`, await peer.selectLoop(k, n, ready), n)
  return n
}

// n values to k receivers; every receiver must get every value once. Returns deliveries.
async function fanout(peer, k, n) {
  const got = await peer.fanout(k, n)
  if (got.length !== k) throw new Error(`broadcast to ${k}: ${got.length} receivers reported`)
  got.forEach((g, r) => check(`broadcast to ${k}, receiver ${r}`, g, n))
  return n * k
}

async function heap(peer, n) {
  globalThis.gc()
  globalThis.gc()
  const before = process.memoryUsage().heapUsed
  const ch = peer.make(Infinity)
  peer.fill(ch, 0, n)
  globalThis.gc()
  globalThis.gc()
  const after = process.memoryUsage().heapUsed
  keep = ch
  return (after - before) / n
}
export let keep // holds the filled channel past the measurement
