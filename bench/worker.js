/**
 * One sample in a fresh process: `node --expose-gc worker.js <peer> <scenario>`.
 * Warms the peer up, then repeats the scenario until the measuring time has
 * passed, then measures the microtask reference (`await Promise.resolve()` per
 * message) in this same process. Rates are taken by the wall clock (`value`,
 * `microtask`) and by this process's CPU time (`cpuValue`, `cpuMicrotask`,
 * steadier when other work shares the machine). Prints one JSON line on stdout.
 */
import { applies, SCENARIOS } from "./scenarios.js"

const [peerId, scenarioId] = process.argv.slice(2)
const quick = process.env.BENCH_QUICK === "1"
const WARMUP_MS = quick ? 50 : 150
const REWARM_MS = quick ? 20 : 100
const MEASURE_MS = quick ? 80 : 300
const REFERENCE_MS = quick ? 30 : 100

if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc")
const scenario = SCENARIOS[scenarioId]
if (scenario === undefined) throw new Error(`unknown scenario ${scenarioId}`)
const peer = (await import(`./peers/${peerId}.js`)).default
if (!applies(peer, scenarioId)) throw new Error(`${peerId} does not apply to ${scenarioId}`)

const n = quick && !scenario.fixed ? scenario.rep / 10 : scenario.rep
const result = { peer: peerId, scenario: scenarioId }

if (scenario.unit === "bytes") {
  result.value = await scenario.run(peer, n)
  result.items = n
} else {
  // Warm-up: smaller runs, discarded (a full burst would take seconds on the peers it makes collapse).
  const warmN = scenario.fixed ? 4096 : Math.max(1000, n / 4)
  let start = performance.now()
  do await scenario.run(peer, warmN)
  while (performance.now() - start < WARMUP_MS)

  globalThis.gc()
  // A forced full collection makes V8 re-optimize hot code that it just
  // optimized (seen with --trace-opt: the first 100 ms after it ran at half
  // speed for the peers with the most code); warm up again, briefly, so the
  // measurement starts in steady state.
  start = performance.now()
  do await scenario.run(peer, warmN)
  while (performance.now() - start < REWARM_MS)

  let moved = 0
  let runs = 0
  const cpu = process.cpuUsage()
  start = performance.now()
  let elapsed
  do {
    moved += await scenario.run(peer, n)
    runs++
  } while ((elapsed = performance.now() - start) < MEASURE_MS)
  const cpuMs = cpuSince(cpu)
  Object.assign(result, { value: (moved / elapsed) * 1000, cpuValue: (moved / cpuMs) * 1000 })
  Object.assign(result, { messages: moved, runs, ms: elapsed, cpuMs })
  Object.assign(result, await microtaskReference())
}
process.stdout.write(JSON.stringify(result) + "\n")

/** Messages per second of `await Promise.resolve()` per message, the cost of one microtask hop. */
async function microtaskReference() {
  const run = async (n) => {
    for (let i = 0; i < n; i++) await Promise.resolve()
  }
  await run(100_000) // warm-up
  let moved = 0
  const cpu = process.cpuUsage()
  const start = performance.now()
  let elapsed
  do {
    await run(100_000)
    moved += 100_000
  } while ((elapsed = performance.now() - start) < REFERENCE_MS)
  return { microtask: (moved / elapsed) * 1000, cpuMicrotask: (moved / cpuSince(cpu)) * 1000 }
}

/** Milliseconds of CPU this process used since `start` (all its threads, GC helpers included). */
function cpuSince(start) {
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1000
}
