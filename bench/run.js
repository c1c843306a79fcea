/**
 * `npm run bench`: runs every peer x scenario in a fresh Node process
 * (worker.js), peers interleaved in a different order each round, then the
 * adapter packages' benchmarks (adapters.js), each in a fresh process, and
 * prints markdown tables of medians and ratios and the issues' targets;
 * writes every sample to results/latest.json.
 *
 *   BENCH_ROUNDS=5       samples per peer x scenario (default 5; 1 with BENCH_QUICK)
 *   BENCH_QUICK=1        smoke run: 1 round, small runs, about a minute
 *   BENCH_PEERS=a,b      only these peers (file names in peers/; the toy is always kept)
 *   BENCH_SCENARIOS=a,b  only these scenarios (ids in scenarios.js, or adapter-streams,
 *                        adapter-rxjs, adapter-effect)
 *   BENCH_GROUPS=a,b     only these groups: spsc, handoff, roundtrip, memory (or core for
 *                        all four), select, broadcast, adapters
 *                        (BENCH_SCENARIOS and BENCH_GROUPS combine: a scenario must pass both)
 *   BENCH_FETCH_BYTES, BENCH_STREAM_CHUNKS, BENCH_RXJS_VALUES, BENCH_EFFECT_VALUES
 *                        sizes of the adapter benchmarks (see adapters.js)
 *   BENCH_CLOCK=cpu      rank by each process's CPU time instead of the wall clock
 *                        (steadier when other work shares the machine; both are recorded)
 *   BENCH_REPORT=file    print the tables of a saved results file instead of running
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { ADAPTERS } from "./adapters.js"
import { applies, CORE_GROUPS, GROUPS, SCENARIOS } from "./scenarios.js"

const here = dirname(fileURLToPath(import.meta.url))
const ALL_PEERS = [
  "toy",
  "panama",
  "panama-fast",
  "effect",
  "native-stream",
  "polyfill-stream",
  "it-pushable",
  "async-channel",
  "rxjs-subject",
  "promise-race",
]
const GROUP_IDS = [...GROUPS.map((g) => g.id), "adapters"]

const clock = process.env.BENCH_CLOCK ?? "wall"
if (clock !== "wall" && clock !== "cpu") throw new TypeError("BENCH_CLOCK must be wall or cpu")
const saved = process.env.BENCH_REPORT ? JSON.parse(readFileSync(process.env.BENCH_REPORT, "utf8")) : undefined

const quick = saved?.meta.quick ?? process.env.BENCH_QUICK === "1"
const rounds = saved?.meta.rounds ?? Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 5))
if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError("BENCH_ROUNDS must be an integer >= 1")
const peerIds = saved?.meta.peers ?? pick(process.env.BENCH_PEERS, ALL_PEERS, "peer")
if (!peerIds.includes("toy")) peerIds.unshift("toy") // every ratio is to the toy
const groupIds = pick(process.env.BENCH_GROUPS?.replace(/\bcore\b/g, CORE_GROUPS.join(",")), GROUP_IDS, "group")
const groupOf = (id) => (id in ADAPTERS ? "adapters" : GROUPS.find((g) => g.ids.includes(id)).id)
const selected =
  saved?.meta.scenarios ??
  pick(process.env.BENCH_SCENARIOS, [...Object.keys(SCENARIOS), ...Object.keys(ADAPTERS)], "scenario").filter((id) =>
    groupIds.includes(groupOf(id)),
  )
const scenarioIds = selected.filter((id) => id in SCENARIOS)
const adapterIds = selected.filter((id) => id in ADAPTERS)

const peers = {}
for (const id of peerIds) peers[id] = (await import(`./peers/${id}.js`)).default

const meta = saved?.meta ?? {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores)`,
  load: loadavg().map((x) => x.toFixed(1)).join(" "),
  rounds,
  quick,
  peers: peerIds,
  scenarios: selected,
}

// ------------------------------------------------------------------ run

let samples = saved?.samples
if (samples === undefined) {
  const jobs = []
  for (const s of scenarioIds) {
    const able = peerIds.filter((p) => applies(peers[p], s))
    for (let r = 0; r < rounds; r++) for (const p of order(able, r)) jobs.push({ peer: p, scenario: s, round: r + 1 })
  }
  console.error(`${jobs.length} samples, each in a fresh process${quick ? " (quick)" : ""}`)
  samples = []
  const started = Date.now()
  jobs.forEach((job, i) => {
    const sample = runWorker(job)
    samples.push(sample)
    const shown = sample.error !== undefined ? `error: ${sample.error.split("\n")[0]}` : format(sample.scenario, sample.value)
    console.error(`[${i + 1}/${jobs.length}] ${job.scenario} round ${job.round} ${job.peer}: ${shown}`)
  })
  meta.seconds = Math.round((Date.now() - started) / 1000)
  meta.loadAfter = loadavg().map((x) => x.toFixed(1)).join(" ")
}
let adapters = saved?.adapters
if (adapters === undefined) {
  const started = Date.now()
  adapters = {}
  for (const id of adapterIds) {
    console.error(`${id}: ${ADAPTERS[id].script} in packages/${ADAPTERS[id].package} ...`)
    adapters[id] = runAdapter(id)
    console.error(adapters[id].error ?? adapters[id].stdout.trimEnd())
  }
  if (adapterIds.length > 0) meta.adapterSeconds = Math.round((Date.now() - started) / 1000)
}
/** The rate a sample ranks by, and its microtask reference, on a clock. */
const rateOn = (c) => (x) => (c === "cpu" && x.cpuValue !== undefined ? x.cpuValue : x.value)
const hopOn = (c) => (x) => (c === "cpu" ? x.cpuMicrotask : x.microtask)
const summary = summarize(clock)
const other = summarize(clock === "wall" ? "cpu" : "wall") // for the targets table
const withHop = samples.filter((x) => x.microtask !== undefined)
const reference = withHop.length > 0 ? median(withHop.map(hopOn(clock))) : NaN

const out = []
out.push(
  `## panama bench: Node ${meta.node}, ${meta.cpu}, ${rounds} round${rounds > 1 ? "s" : ""}, ${clock} clock` +
    `${quick ? " (BENCH_QUICK)" : ""}`,
)
out.push("")
out.push(
  `Median of ${rounds} sample${rounds > 1 ? "s" : ""} per cell, each sample in a fresh process, peers interleaved. ` +
    `Cells: rate · ratio to the toy (medians) · ratio to one microtask hop (\`await Promise.resolve()\` per message, ` +
    `measured in the same process as each sample; median ${format("x", reference)}/s). ` +
    `**Differences under ~20% between single runs are noise; compare within one run.** ` +
    `Load average ${meta.load} before, ${meta.loadAfter ?? "?"} after; ${meta.seconds ?? "?"} s` +
    `${meta.adapterSeconds !== undefined ? ` (then ${meta.adapterSeconds} s of adapter benchmarks)` : ""}.`,
)
for (const group of GROUPS) {
  const ids = group.ids.filter((s) => scenarioIds.includes(s))
  if (ids.length === 0) continue
  out.push("", `### ${group.title}`, "")
  out.push(`| peer | ${ids.map((s) => SCENARIOS[s].title).join(" | ")} |`)
  out.push(`|---|${ids.map(() => "---:").join("|")}|`)
  for (const p of peerIds) {
    if (!ids.some((s) => applies(peers[p], s))) continue // a peer with nothing in this group
    const cells = ids.map((s) => {
      const e = summary[s][p]
      if (!applies(peers[p], s)) return "—"
      if (e === undefined) return "error"
      const parts = [format(s, e.median)]
      if (e.perToy !== undefined) parts.push(`${e.perToy.toFixed(2)}x`)
      if (e.perMicrotask !== undefined) parts.push(`${e.perMicrotask.toFixed(2)}µ`)
      return parts.join(" · ")
    })
    out.push(`| ${labelOf(p, group.id)} | ${cells.join(" | ")} |`)
  }
  if (ids.some((s) => SCENARIOS[s].receivers !== undefined)) {
    // The same medians per value sent: deliveries ÷ receivers.
    out.push("", "Values sent/s (the row above ÷ receivers):", "")
    out.push(`| peer | ${ids.map((s) => SCENARIOS[s].title).join(" | ")} |`)
    out.push(`|---|${ids.map(() => "---:").join("|")}|`)
    for (const p of peerIds) {
      if (!ids.some((s) => applies(peers[p], s))) continue
      const cells = ids.map((s) => {
        const e = summary[s][p]
        if (!applies(peers[p], s)) return "—"
        return e === undefined ? "error" : format(s, e.median / SCENARIOS[s].receivers)
      })
      out.push(`| ${labelOf(p, group.id)} | ${cells.join(" | ")} |`)
    }
  }
}
const adapterTargets = []
for (const id of adapterIds) {
  const a = ADAPTERS[id]
  const r = adapters[id]
  out.push("", `### ${a.title}`, "")
  out.push(`\`${a.script}\` in packages/${a.package}, a fresh process; ${r.note}; wall clock, the script's own medians.`, "")
  const parsed = r.error === undefined ? a.parse(r.stdout) : undefined
  if (parsed !== undefined) {
    out.push(...a.table(parsed))
    adapterTargets.push(...a.targets(parsed))
  } else {
    out.push(r.error !== undefined ? `error: ${r.error.split("\n")[0]}` : "could not read its output:", "")
    if (r.stdout) out.push("```", r.stdout.trimEnd(), "```")
    adapterTargets.push({ issue: Number(a.title.match(/issue (\d+)/)[1]), what: `${id}: its targets`, measured: "unreadable", met: false })
  }
}
const targets = checkTargets(summary)
const otherTargets = checkTargets(other)
if (targets.length + adapterTargets.length > 0) {
  const otherClock = clock === "wall" ? "cpu" : "wall"
  const verdict = (t) => (t.met ? "met" : "**missed**")
  out.push("", "### Targets, as ratios in this run", "")
  out.push(`| issue | target | ${clock} clock | | ${otherClock} clock | |`)
  out.push("|---:|---|---:|---|---:|---|")
  targets.forEach((t, i) => {
    const o = otherTargets[i]
    out.push(`| ${t.issue} | ${t.what} | ${t.measured} | ${verdict(t)} | ${o.measured} | ${verdict(o)} |`)
  })
  // The adapter scripts time by the wall clock only.
  for (const t of adapterTargets) out.push(`| ${t.issue} | ${t.what} | ${t.measured} | ${verdict(t)} | wall only | |`)
}
const errors = samples.filter((x) => x.error !== undefined)
const adapterErrors = adapterIds.filter((id) => adapters[id].error !== undefined)
if (errors.length + adapterErrors.length > 0) {
  out.push("", "### Errors", "")
  for (const e of errors) out.push(`- ${e.peer} / ${e.scenario} round ${e.round}: ${e.error.split("\n")[0]}`)
  for (const id of adapterErrors) out.push(`- ${id}: ${adapters[id].error.split("\n")[0]}`)
}
console.log(out.join("\n"))

if (saved === undefined) {
  mkdirSync(join(here, "results"), { recursive: true })
  writeFileSync(
    join(here, "results", "latest.json"),
    JSON.stringify({ meta, clock, reference, summary, samples, adapters }, null, 2) + "\n",
  )
  console.error(`\nwrote ${join("bench", "results", "latest.json")}`)
}
if (errors.length + adapterErrors.length > 0) process.exitCode = 1

// ------------------------------------------------------------------ helpers

function runWorker(job) {
  const child = spawnSync(process.execPath, ["--expose-gc", join(here, "worker.js"), job.peer, job.scenario], {
    cwd: here,
    encoding: "utf8",
    timeout: 180_000,
    env: process.env,
  })
  const line = child.stdout.trim().split("\n").pop()
  if (child.status === 0 && line) return { ...job, ...JSON.parse(line) }
  const why = child.error?.message ?? (child.stderr.trim() || `exit ${child.status} ${child.signal ?? ""}`)
  return { ...job, error: why }
}

/** A peer's row name in a group: its `labels[group]` when it has one (select, broadcast), else its label. */
function labelOf(p, group) {
  return peers[p].labels?.[group] ?? peers[p].label
}

/** Runs one adapter script in a fresh process; its stdout is read by adapters.js. */
function runAdapter(id) {
  const a = ADAPTERS[id]
  const { argv, env, note } = a.args(quick)
  const cwd = join(here, "..", "packages", a.package)
  const child = spawnSync(process.execPath, ["--expose-gc", a.script, ...argv], {
    cwd,
    encoding: "utf8",
    timeout: 600_000,
    env: { ...process.env, ...env },
  })
  if (child.status === 0) return { note, stdout: child.stdout }
  const why = child.error?.message ?? (child.stderr.trim() || `exit ${child.status} ${child.signal ?? ""}`)
  return { note, stdout: child.stdout, error: why }
}

/** Round 1 in the listed order, round 2 reversed, later rounds shuffled (seeded, so runs repeat). */
function order(list, round) {
  if (round === 0) return [...list]
  if (round === 1) return [...list].reverse()
  const out = [...list]
  let seed = round * 2654435761
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0
    const j = seed % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

function pick(env, all, what) {
  if (env === undefined || env === "") return [...all]
  const wanted = env.split(",").map((s) => s.trim())
  for (const w of wanted) if (!all.includes(w)) throw new Error(`unknown ${what} ${w}; known: ${all.join(", ")}`)
  return all.filter((x) => wanted.includes(x))
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function format(scenario, v) {
  if (SCENARIOS[scenario]?.unit === "bytes") return `${v.toFixed(1)} B`
  const m = v / 1e6
  return `${m >= 10 ? m.toFixed(1) : m >= 0.1 ? m.toFixed(2) : m.toFixed(3)}M`
}

function summarize(c) {
  const rate = rateOn(c)
  const hop = hopOn(c)
  const result = {}
  for (const s of scenarioIds) {
    result[s] = {}
    for (const p of peerIds) {
      const mine = samples.filter((x) => x.peer === p && x.scenario === s && x.error === undefined)
      if (mine.length === 0) continue
      const values = mine.map(rate)
      const entry = { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: values.length }
      if (mine[0].microtask !== undefined) entry.perMicrotask = median(mine.map((x) => rate(x) / hop(x)))
      result[s][p] = entry
    }
    const toy = result[s].toy
    if (toy !== undefined) for (const entry of Object.values(result[s])) entry.perToy = entry.median / toy.median
  }
  return result
}

function checkTargets(summary) {
  const ratio = (s, p) => summary[s]?.[p]?.perToy
  const list = []
  const awaitAll = ["spsc-unbounded", "spsc-1", "spsc-16", "spsc-1024", "rendezvous", "mpmc", "pingpong"]
  for (const s of awaitAll) {
    const r = ratio(s, "panama")
    if (r !== undefined) list.push({ issue: 2, what: `\`await send\`/\`await receive\` ≥ 0.9x toy: ${SCENARIOS[s].title}`, measured: `${r.toFixed(2)}x`, met: r >= 0.9 })
  }
  for (const p of ["panama", "panama-fast"]) {
    const r = ratio("burst", p)
    if (r !== undefined) list.push({ issue: 2, what: `65,536 burst ≥ 40x toy (${p})`, measured: `${r.toFixed(1)}x`, met: r >= 40 })
  }
  const fast = [["spsc-unbounded", 2], ["spsc-16", 3]]
  for (const [s, goal] of fast) {
    const r = ratio(s, "panama-fast")
    if (r !== undefined) list.push({ issue: 2, what: `fast path ≥ ${goal}x toy: ${SCENARIOS[s].title}`, measured: `${r.toFixed(2)}x`, met: r >= goal })
  }
  const heap = summary.heap?.panama?.median
  if (heap !== undefined) list.push({ issue: 2, what: "≤ 10 heap bytes per buffered small integer (unbounded)", measured: `${heap.toFixed(1)} B`, met: heap <= 10 })
  // Issue 3: ratios of medians between two peers of the same scenario.
  const between = (s, p, q) => {
    const a = summary[s]?.[p]?.median
    const b = summary[s]?.[q]?.median
    return a !== undefined && b !== undefined ? a / b : undefined
  }
  for (const [id, where] of [["select-2-ready", "ready channels"], ["select-2", "channels fed by producers"]]) {
    for (const p of ["panama", "panama-fast"]) {
      const r = between(id, p, "promise-race")
      const how = p === "panama" ? "`await select`" : "`trySelect ?? await select`"
      if (r !== undefined) list.push({ issue: 3, what: `select over 2 ${where} ≥ 3x the \`Promise.race\` loop (${how})`, measured: `${r.toFixed(2)}x`, met: r >= 3 })
    }
  }
  for (const p of ["panama", "panama-fast"]) {
    const r = between("broadcast-8", p, "rxjs-subject")
    const how = p === "panama" ? "`await receive`" : "`tryReceiveMany` batches"
    if (r !== undefined) list.push({ issue: 3, what: `broadcast to 8, capacity 64, ≥ 1x RxJS Subject (${how})`, measured: `${r.toFixed(2)}x`, met: r >= 1 })
  }
  return list
}
