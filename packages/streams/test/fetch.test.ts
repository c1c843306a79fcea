/**
 * fromFetch against a real local HTTP server and Node's real fetch.
 *
 * The large-body test moves PANAMA_STREAMS_BIG_BYTES (default 1 GiB) through
 * a channel of capacity 1 MiB by bytes to a consumer that yields to the event
 * loop after every chunk and pauses on a timer every 256 chunks, and asserts
 * that the peak RSS stays under the RSS before the transfer + 64 MiB.
 */

import { setImmediate as yieldToLoop, setTimeout as sleep } from "node:timers/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { byteLength, fromFetch } from "../src/index.js"
import { expectedHash, hashBytes, startServer, writePattern, type TestServer } from "./server.js"

const MiB = 1024 * 1024
const BIG = Number(process.env.PANAMA_STREAMS_BIG_BYTES ?? 1024 * MiB)
const RSS_MARGIN = 64 * MiB

let server: TestServer
const closedEarly: { path: string; sent: number }[] = []
let onEarlyClose: (() => void) | undefined

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url!, "http://x")
    const bytes = Number(url.searchParams.get("bytes") ?? "0")
    if (url.pathname === "/empty") {
      res.writeHead(204).end()
      return
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes) })
    void writePattern(res, bytes).then((sent) => {
      if (res.destroyed && !res.writableFinished) {
        closedEarly.push({ path: url.pathname, sent })
        onEarlyClose?.()
      } else res.end()
    })
  })
})

afterAll(() => server.close())

describe("fromFetch", () => {
  it(
    `streams ${BIG} bytes through a 1 MiB channel to a slow consumer in bounded memory, every byte in order`,
    async () => {
      // Warm up: the first fetch loads undici; measure the base after it.
      const warm = await fromFetch(`${server.url}/pattern?bytes=${4 * MiB}`, undefined, {
        capacity: MiB,
        size: byteLength,
      })
      for await (const chunk of warm.rx) void chunk
      ;(globalThis as { gc?: () => void }).gc?.()
      await sleep(50)
      const base = process.memoryUsage().rss
      let peak = base
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
      }, 10)

      const started = performance.now()
      const { response, rx } = await fromFetch(`${server.url}/pattern?bytes=${BIG}`, undefined, {
        capacity: MiB,
        size: byteLength,
      })
      expect(response.status).toBe(200)
      let hash = 0
      let count = 0
      let chunks = 0
      let fullest = 0
      try {
        for await (const chunk of rx) {
          fullest = Math.max(fullest, rx.size)
          hash = hashBytes(hash, chunk)
          count += chunk.byteLength
          // The slow consumer: a trip through the event loop per chunk, a timer every 256 chunks.
          if (++chunks % 256 === 0) await sleep(1)
          else await yieldToLoop()
        }
      } finally {
        clearInterval(sampler)
      }
      peak = Math.max(peak, process.memoryUsage().rss)
      const seconds = (performance.now() - started) / 1000
      console.log(
        `fromFetch ${(BIG / MiB).toFixed(0)} MiB in ${seconds.toFixed(1)} s (${(BIG / MiB / seconds).toFixed(0)} MiB/s), ` +
          `${chunks} chunks, channel peak ${(fullest / MiB).toFixed(2)} MiB, ` +
          `RSS base ${(base / MiB).toFixed(0)} MiB peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - base) / MiB).toFixed(1)} MiB)`,
      )
      expect(count).toBe(BIG)
      expect(hash).toBe(expectedHash(BIG))
      expect(fullest).toBeLessThanOrEqual(MiB + 64 * 1024)
      expect(peak - base).toBeLessThan(RSS_MARGIN)
    },
    300_000,
  )

  it("cancelling the consumer half-way makes the server see its connection closed", async () => {
    const total = 256 * MiB
    const serverSawClose = new Promise<void>((resolve) => (onEarlyClose = resolve))
    const { rx } = await fromFetch(`${server.url}/halfway?bytes=${total}`, undefined, {
      capacity: MiB,
      size: byteLength,
    })
    let got = 0
    for await (const chunk of rx) {
      got += chunk.byteLength
      if (got >= 8 * MiB) break
    }
    rx.cancel()
    await serverSawClose
    expect(closedEarly.map((c) => c.path)).toEqual(["/halfway"])
    // The server stopped far short of the body: what it sent is what the consumer read plus buffers in flight.
    expect(closedEarly[0]!.sent).toBeLessThan(total / 2)
  }, 60_000)

  it("a response without a body gives a channel that is done at once", async () => {
    const { response, rx } = await fromFetch(`${server.url}/empty`)
    expect(response.status).toBe(204)
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  it("aborting the request mid-body closes the channel with the abort error, after the chunks that arrived", async () => {
    const controller = new AbortController()
    const { rx } = await fromFetch(`${server.url}/aborted?bytes=${64 * MiB}`, { signal: controller.signal }, {
      capacity: MiB,
      size: byteLength,
    })
    const first = await rx.receive()
    expect(first.done).toBe(false)
    controller.abort()
    let error: unknown
    try {
      for await (const chunk of rx) void chunk
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ name: "AbortError" })
  })

  it("a failed request rejects, and options are checked before it goes out", async () => {
    await expect(fromFetch("http://127.0.0.1:1/")).rejects.toBeInstanceOf(TypeError)
    await expect(fromFetch(`${server.url}/empty`, undefined, { capacity: -1 })).rejects.toBeInstanceOf(RangeError)
  })
})
