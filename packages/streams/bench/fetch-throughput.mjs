/**
 * Speed of @panama/streams (issue 4). Run after `npm run build`:
 *
 *   node --expose-gc bench/fetch-throughput.mjs [bytes=1073741824] [chunks=1000000]
 *
 * (bytes=0 skips part 1.)
 *
 * 1. Moving `bytes` from a local HTTP server (a child process, so it does not
 *    share the consumer's thread) through fetch into a consumer, via
 *    (a) the body read directly, (b) fromFetch into a channel of 1 MiB by
 *    bytes, (c) Readable.fromWeb + a Node stream. Throughput and peak RSS
 *    growth per way. Target: (b) >= 0.9x (a).
 * 2. Reading `chunks` small in-memory values through toReadableStream(rx)
 *    versus a native ReadableStream with a hand-written pull source over the
 *    same array. Target: adapter <= 1.3x the native time.
 *
 * Each figure is the median of 3 (part 1) or 5 (part 2) runs, interleaved.
 */

import { fork } from "node:child_process"
import { createServer } from "node:http"
import { Readable } from "node:stream"
import { unbounded } from "@panama/channel"
import { byteLength, fromFetch, toReadableStream } from "../dist/index.js"

const MiB = 1024 * 1024

if (process.argv[2] === "--server") {
  // The server: a repeating 64 KiB pattern, written with backpressure.
  const chunk = Buffer.alloc(64 * 1024, 0x5a)
  const server = createServer((req, res) => {
    const total = Number(new URL(req.url, "http://x").searchParams.get("bytes"))
    res.writeHead(200, { "content-length": String(total) })
    let sent = 0
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent)
        sent += n
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", pump)
      }
      res.end()
    }
    pump()
  })
  server.listen(0, "127.0.0.1", () => process.send(server.address().port))
} else {
  await main()
}

async function main() {
  const bytes = Number(process.argv[2] ?? 1024 * MiB)
  const chunks = Number(process.argv[3] ?? 1_000_000)
  if (bytes > 0) await fetchWays(bytes)
  await smallChunks(chunks)
}

async function fetchWays(bytes) {
  const child = fork(new URL(import.meta.url).pathname, ["--server"], { stdio: "inherit" })
  const port = await new Promise((resolve) => child.once("message", resolve))
  const url = `http://127.0.0.1:${port}/?bytes=${bytes}`
  try {
    console.log(`1. ${(bytes / MiB).toFixed(0)} MiB over fetch from a local server (median of 3)`)
    const ways = {
      "(a) body read directly": async () => {
        const res = await fetch(url)
        const reader = res.body.getReader()
        let n = 0
        for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.byteLength
        return n
      },
      "(b) fromFetch channel, 1 MiB by bytes": async () => {
        const { rx } = await fromFetch(url, undefined, { capacity: MiB, size: byteLength })
        let n = 0
        for await (const chunk of rx) n += chunk.byteLength
        return n
      },
      "(c) Readable.fromWeb + Node stream": async () => {
        const res = await fetch(url)
        let n = 0
        for await (const chunk of Readable.fromWeb(res.body)) n += chunk.byteLength
        return n
      },
    }
    const results = Object.fromEntries(Object.keys(ways).map((k) => [k, []]))
    await ways["(a) body read directly"]() // warm-up: loads undici
    for (let round = 0; round < 3; round++) {
      for (const [name, run] of Object.entries(ways)) {
        globalThis.gc?.()
        const base = process.memoryUsage().rss
        let peak = base
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
        const t0 = performance.now()
        const n = await run()
        const ms = performance.now() - t0
        clearInterval(sampler)
        if (n !== bytes) throw new Error(`${name}: got ${n} bytes`)
        results[name].push({ mibps: bytes / MiB / (ms / 1000), rss: (peak - base) / MiB })
      }
    }
    const a = median(results["(a) body read directly"].map((r) => r.mibps))
    for (const [name, runs] of Object.entries(results)) {
      const mibps = median(runs.map((r) => r.mibps))
      const rss = Math.max(...runs.map((r) => r.rss))
      console.log(`   ${name.padEnd(40)} ${mibps.toFixed(0).padStart(6)} MiB/s  ${(mibps / a).toFixed(2)}x (a)  peak RSS +${rss.toFixed(1)} MiB`)
    }
  } finally {
    child.kill()
  }
}

async function smallChunks(chunks) {
  console.log(`2. ${chunks} small in-memory chunks read through a stream (median of 5)`)
  const data = Array.from({ length: chunks }, (_, i) => i)
  const readAll = async (stream) => {
    const reader = stream.getReader()
    let sum = 0
    for (let r = await reader.read(); !r.done; r = await reader.read()) sum += r.value
    return sum
  }
  const streams = {
    "native ReadableStream, hand-written pull": () => {
      let i = 0
      return new ReadableStream({
        pull(c) {
          if (i < data.length) c.enqueue(data[i++])
          else c.close()
        },
      })
    },
    "toReadableStream(rx) over an unbounded channel": () => {
      const [tx, rx] = unbounded()
      for (const v of data) tx.trySend(v)
      tx.close()
      return toReadableStream(rx)
    },
  }
  const times = Object.fromEntries(Object.keys(streams).map((k) => [k, []]))
  const expected = data.reduce((s, v) => s + v, 0)
  for (let round = 0; round < 5; round++) {
    for (const [name, make] of Object.entries(streams)) {
      const stream = make() // filling the channel is not timed: only the reads are
      const t0 = performance.now()
      const sum = await readAll(stream)
      times[name].push(performance.now() - t0)
      if (sum !== expected) throw new Error(`${name}: wrong sum`)
    }
  }
  const native = median(times["native ReadableStream, hand-written pull"])
  for (const [name, runs] of Object.entries(times)) {
    const ms = median(runs)
    console.log(`   ${name.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / native).toFixed(2)}x native`)
  }
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y)
  return s[Math.floor(s.length / 2)]
}
