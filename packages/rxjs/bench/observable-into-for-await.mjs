/**
 * Values per second from an Observable into a `for await` consumer, three ways:
 *
 * 1. panama: `fromObservable(source, { capacity, overflow: "reject" })`, then
 *    `for await` over the receiver (bounded: the channel never holds more
 *    than `capacity`; "reject" proves nothing overflowed).
 * 2. rxjs-for-await style: an unbounded array buffer and an async generator
 *    (written here, ~30 lines, after the shape of rxjs-for-await's
 *    `eachValueFrom`; not its code).
 * 3. RxJS `concatMap` with an async inner (the consumer is the inner).
 *
 * The source is hot: it emits CHUNK values synchronously per setImmediate,
 * as a socket or an event emitter would. Each scenario runs ROUNDS times;
 * the median is reported. Run: `node bench/observable-into-for-await.mjs`
 * after `npm run build` in packages/rxjs.
 */

import { concatMap, Observable } from "rxjs"
import { fromObservable } from "../dist/index.js"

const N = Number(process.env.N ?? 1_000_000)
const CHUNK = Number(process.env.CHUNK ?? 1024)
const CAPACITY = CHUNK
const ROUNDS = Number(process.env.ROUNDS ?? 5)

function hotSource(n, chunk) {
  return new Observable((subscriber) => {
    let i = 0
    let timer
    const burst = () => {
      const end = Math.min(i + chunk, n)
      while (i < end && !subscriber.closed) subscriber.next(i++)
      if (subscriber.closed) return
      if (i === n) subscriber.complete()
      else timer = setImmediate(burst)
    }
    timer = setImmediate(burst)
    return () => clearImmediate(timer)
  })
}

// rxjs-for-await style: buffer everything, hand it out through an async generator.
async function* unboundedEachValueFrom(source, stats) {
  const values = []
  let head = 0
  let done = false
  let failed = false
  let error
  let wake
  const subscription = source.subscribe({
    next: (v) => {
      values.push(v)
      if (values.length - head > stats.peak) stats.peak = values.length - head
      wake?.()
    },
    error: (e) => ((failed = true), (error = e), wake?.()),
    complete: () => ((done = true), wake?.()),
  })
  try {
    for (;;) {
      if (head < values.length) {
        const v = values[head]
        values[head++] = undefined
        if (head === values.length) values.length = head = 0
        yield v
      } else if (failed) throw error
      else if (done) return
      else await new Promise((resolve) => (wake = resolve)), (wake = undefined)
    }
  } finally {
    subscription.unsubscribe()
  }
}

async function panama() {
  // Bounded by construction: the channel holds at most CAPACITY, and "reject" would end the loop with an error otherwise.
  const rx = fromObservable(hotSource(N, CHUNK), { capacity: CAPACITY, overflow: "reject" })
  let sum = 0
  for await (const v of rx) sum += v
  return { sum, peak: CAPACITY }
}

async function unbounded() {
  const stats = { peak: 0 }
  let sum = 0
  for await (const v of unboundedEachValueFrom(hotSource(N, CHUNK), stats)) sum += v
  return { sum, peak: stats.peak }
}

function concatMapAsync() {
  let sum = 0
  return new Promise((resolve, reject) => {
    hotSource(N, CHUNK)
      .pipe(
        concatMap(async (v) => {
          sum += v
        }),
      )
      .subscribe({ error: reject, complete: () => resolve({ sum, peak: NaN }) })
  })
}

const scenarios = [
  ["panama fromObservable + for await (bounded)", panama],
  ["rxjs-for-await style (unbounded array)", unbounded],
  ["concatMap(async inner)", concatMapAsync],
]

const expected = (N * (N - 1)) / 2
const results = new Map(scenarios.map(([name]) => [name, []]))
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of scenarios) {
    const start = process.hrtime.bigint()
    const { sum, peak } = await run()
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    if (sum !== expected) throw new Error(`${name}: wrong sum ${sum}`)
    results.get(name).push({ rate: N / seconds, peak })
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const rates = new Map([...results].map(([name, runs]) => [name, median(runs.map((r) => r.rate))]))
const ours = rates.get(scenarios[0][0])
console.log(`node ${process.version}; ${N} values, hot source in chunks of ${CHUNK}; median of ${ROUNDS}`)
for (const [name, runs] of results) {
  const rate = rates.get(name)
  const peak = Math.max(...runs.map((r) => r.peak))
  const held = Number.isNaN(peak) ? "inside concatMap" : name === scenarios[0][0] ? `<= ${peak} (bound)` : `${peak} (peak, no bound)`
  const ratio = name === scenarios[0][0] ? "" : `panama is ${(ours / rate).toFixed(2)}x`
  console.log(`${name.padEnd(46)} ${(rate / 1e6).toFixed(2).padStart(6)}M values/s   buffered ${held.padEnd(22)} ${ratio}`)
}
