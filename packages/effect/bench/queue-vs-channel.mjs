// Moves N values producer fiber → consumer fiber through
//   (a) Effect's Queue.bounded(16),
//   (b) a panama bounded(16) channel through @panama/effect (send / receive),
//   (c) the raw core channel with plain async/await (no Effect),
// and prints messages/second (median of RUNS) and the ratios to (a).
// Run: npm run build && node bench/queue-vs-channel.mjs [N]
import { Effect, Fiber, Queue } from "effect"
import { bounded } from "@panama/channel"
import { receive, send } from "../dist/index.js"

const N = Number(process.argv[2] ?? 200_000)
const RUNS = 7

const loop = (n, body) =>
  Effect.whileLoop({ while: (() => { let i = 0; return () => i++ < n })(), body, step: () => {} })

const viaQueue = Effect.gen(function* () {
  const q = yield* Queue.bounded(16)
  let i = 0
  const producer = yield* Effect.forkChild(loop(N, () => Queue.offer(q, i++)))
  let sum = 0
  yield* loop(N, () => Effect.map(Queue.take(q), (v) => { sum += v }))
  yield* Fiber.join(producer)
  return sum
})

const viaAdapter = Effect.gen(function* () {
  const [tx, rx] = bounded(16)
  let i = 0
  const producer = yield* Effect.forkChild(loop(N, () => send(tx, i++)))
  let sum = 0
  yield* loop(N, () => Effect.map(receive(rx), (v) => { sum += v }))
  yield* Fiber.join(producer)
  return sum
})

async function raw() {
  const [tx, rx] = bounded(16)
  const producer = (async () => {
    for (let i = 0; i < N; i++) await tx.send(i)
  })()
  let sum = 0
  for (let i = 0; i < N; i++) sum += (await rx.receive()).value
  await producer
  return sum
}

const expected = (N * (N - 1)) / 2
async function measure(name, run) {
  const rates = []
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    const sum = await run()
    const ms = performance.now() - t0
    if (sum !== expected) throw new Error(`${name}: wrong sum ${sum}`)
    rates.push(N / (ms / 1000))
  }
  rates.sort((a, b) => a - b)
  return rates[RUNS >> 1]
}

const a = await measure("queue", () => Effect.runPromise(viaQueue))
const b = await measure("adapter", () => Effect.runPromise(viaAdapter))
const c = await measure("raw", raw)
const fmt = (x) => `${(x / 1e6).toFixed(2)}M msgs/s`
console.log(`N = ${N}, median of ${RUNS} runs, Node ${process.version}`)
console.log(`(a) Effect Queue.bounded(16)          ${fmt(a)}`)
console.log(`(b) panama bounded(16) via adapter    ${fmt(b)}   ${(b / a).toFixed(2)}x (a)   target >= 1x`)
console.log(`(c) raw core channel, async/await     ${fmt(c)}   ${(c / a).toFixed(2)}x (a)   target >= 3x`)
