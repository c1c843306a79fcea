/**
 * The adapter packages' own benchmarks (issues 4-6), run by `npm run bench`
 * after the core scenarios: each script in a fresh process, its printed lines
 * read back into rows and targets. The scripts stay where they are (each
 * package owns its benchmark); this file only knows how to call them and how
 * to read what they print. If a script's output format changes, its table
 * shows the raw output and its targets read "unreadable" instead of guessing.
 *
 *   BENCH_FETCH_BYTES    bytes fetched per way in the streams benchmark (default 1 GiB)
 *   BENCH_STREAM_CHUNKS  small chunks read through toReadableStream (default 1,000,000)
 *   BENCH_RXJS_VALUES    values through each Observable bridge (default 1,000,000)
 *   BENCH_EFFECT_VALUES  values through each Effect producer/consumer (default 200,000)
 *
 * Each script takes its own medians (streams: 3 runs of the fetch, 5 of the
 * chunks; rxjs: 5 rounds; effect: 7 runs); they use the wall clock only.
 */

const MiB = 1024 * 1024

function size(name, full, quickValue, quick) {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return quick ? quickValue : full
  const n = Number(raw)
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${name} must be an integer >= 0`)
  return n
}

const num = (s) => Number(s.replace(/,/g, ""))

export const ADAPTERS = {
  "adapter-streams": {
    title: "@panama/streams (issue 4): fetch bodies and toReadableStream",
    package: "streams",
    script: "bench/fetch-throughput.mjs",
    args(quick) {
      const bytes = size("BENCH_FETCH_BYTES", 1024 * MiB, 64 * MiB, quick)
      const chunks = size("BENCH_STREAM_CHUNKS", 1_000_000, 100_000, quick)
      return { argv: [String(bytes), String(chunks)], env: {}, note: `${fmtBytes(bytes)} per fetch way, ${chunks.toLocaleString("en")} chunks` }
    },
    parse(text) {
      const fetchRows = []
      const chunkRows = []
      for (const line of text.split("\n")) {
        let m = /^\s+(\(\w\) .+?)\s{2,}(\d+) MiB\/s\s+([\d.]+)x \(a\)\s+peak RSS \+([\d.]+) MiB/.exec(line)
        if (m) fetchRows.push({ way: m[1], mibps: num(m[2]), rss: num(m[4]) })
        m = /^\s+(.+?)\s{2,}(\d+) ms\s+([\d.]+)x native/.exec(line)
        if (m) chunkRows.push({ way: m[1], ms: num(m[2]) })
      }
      if (chunkRows.length !== 2 || (fetchRows.length !== 0 && fetchRows.length !== 3)) return undefined
      return { fetchRows, chunkRows }
    },
    table({ fetchRows, chunkRows }) {
      const out = []
      if (fetchRows.length > 0) {
        const a = fetchRows[0].mibps
        out.push("| fetch way | MiB/s | vs (a) | peak RSS growth |", "|---|---:|---:|---:|")
        for (const r of fetchRows) out.push(`| ${r.way} | ${r.mibps} | ${(r.mibps / a).toFixed(2)}x | +${r.rss.toFixed(1)} MiB |`)
        out.push("")
      }
      const native = chunkRows[0].ms
      out.push("| small chunks read through a stream | ms | vs native |", "|---|---:|---:|")
      for (const r of chunkRows) out.push(`| ${r.way} | ${r.ms} | ${(r.ms / native).toFixed(2)}x |`)
      return out
    },
    targets({ fetchRows, chunkRows }) {
      const list = []
      if (fetchRows.length === 3) {
        const r = fetchRows[1].mibps / fetchRows[0].mibps
        list.push({ issue: 4, what: "fromFetch channel ≥ 0.9x the body read directly (throughput)", measured: `${r.toFixed(2)}x`, met: r >= 0.9 })
      }
      const r = chunkRows[1].ms / chunkRows[0].ms
      list.push({ issue: 4, what: "small chunks through toReadableStream ≤ 1.3x native time", measured: `${r.toFixed(2)}x`, met: r <= 1.3 })
      return list
    },
  },
  "adapter-rxjs": {
    title: "@panama/rxjs (issue 5): Observable into `for await`",
    package: "rxjs",
    script: "bench/observable-into-for-await.mjs",
    args(quick) {
      const n = size("BENCH_RXJS_VALUES", 1_000_000, 100_000, quick)
      const env = { N: String(n) }
      if (quick) env.ROUNDS = "1"
      return { argv: [], env, note: `${n.toLocaleString("en")} values, hot source in chunks of 1,024` }
    },
    parse(text) {
      const rows = []
      for (const line of text.split("\n")) {
        const m = /^(.+?)\s{2,}([\d.]+)M values\/s\s+buffered (.+?)(?:\s{2,}|\s*$)/.exec(line)
        if (m) rows.push({ way: m[1], rate: num(m[2]) * 1e6, buffered: m[3].trim() })
      }
      return rows.length === 3 ? { rows } : undefined
    },
    table({ rows }) {
      const ours = rows[0].rate
      const out = ["| way | values/s | panama is | buffered |", "|---|---:|---:|---|"]
      for (const r of rows) out.push(`| ${r.way} | ${fmtRate(r.rate)} | ${r === rows[0] ? "" : `${(ours / r.rate).toFixed(2)}x`} | ${r.buffered} |`)
      return out
    },
    targets({ rows }) {
      return rows.slice(1).map((r) => {
        const x = rows[0].rate / r.rate
        return { issue: 5, what: `fromObservable + for await ≥ 2x ${r.way}`, measured: `${x.toFixed(2)}x`, met: x >= 2 }
      })
    },
  },
  "adapter-effect": {
    title: "@panama/effect (issue 6): producer fiber → consumer fiber, capacity 16",
    package: "effect",
    script: "bench/queue-vs-channel.mjs",
    args(quick) {
      const n = size("BENCH_EFFECT_VALUES", 200_000, 20_000, quick)
      return { argv: [String(n)], env: {}, note: `${n.toLocaleString("en")} values, median of 7 runs` }
    },
    parse(text) {
      const rows = []
      for (const line of text.split("\n")) {
        const m = /^(\(\w\) .+?)\s{2,}([\d.]+)M msgs\/s/.exec(line)
        if (m) rows.push({ way: m[1], rate: num(m[2]) * 1e6 })
      }
      return rows.length === 3 ? { rows } : undefined
    },
    table({ rows }) {
      const a = rows[0].rate
      const out = ["| way | msgs/s | vs (a) |", "|---|---:|---:|"]
      for (const r of rows) out.push(`| ${r.way} | ${fmtRate(r.rate)} | ${(r.rate / a).toFixed(2)}x |`)
      return out
    },
    targets({ rows }) {
      const b = rows[1].rate / rows[0].rate
      const c = rows[2].rate / rows[0].rate
      return [
        { issue: 6, what: "Effect adapter ≥ 1x Queue.bounded(16)", measured: `${b.toFixed(2)}x`, met: b >= 1 },
        { issue: 6, what: "raw core channel ≥ 3x Queue.bounded(16)", measured: `${c.toFixed(2)}x`, met: c >= 3 },
      ]
    },
  },
}

function fmtRate(v) {
  return `${(v / 1e6).toFixed(2)}M`
}

function fmtBytes(b) {
  return b >= 1024 * MiB ? `${(b / (1024 * MiB)).toFixed(b % (1024 * MiB) === 0 ? 0 : 2)} GiB` : `${(b / MiB).toFixed(0)} MiB`
}
