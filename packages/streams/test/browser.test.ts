/**
 * The adapters in real headless Chromium (Debian's /usr/bin/chromium, driven
 * by playwright-core; installed by scripts/ensure-chromium.sh from the test
 * script). A local server serves a page whose import map points at the BUILT
 * packages (packages/channel/dist, packages/streams/dist), and a generated body
 * at /data. The page pipes a fetch of /data into a channel with fromFetch, reads
 * it back through toReadableStream with a BYOB reader, and reports the byte
 * count and checksum.
 */

import { readFile } from "node:fs/promises"
import { dirname, extname, join, normalize, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { expectedHash, startServer, writePattern, type TestServer } from "./server.js"

const here = dirname(fileURLToPath(import.meta.url))
const roots: Record<string, string> = {
  "/channel/": join(here, "../../channel/dist"),
  "/streams/": join(here, "../dist"),
}
const BYTES = 8 * 1024 * 1024 + 12345

const page = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
{ "imports": { "@panama/channel": "/channel/index.js", "@panama/streams": "/streams/index.js" } }
</script>
<script type="module">
import { byteLength, fromFetch, toReadableStream } from "@panama/streams"
try {
  const { response, rx } = await fromFetch("/data?bytes=${BYTES}", undefined, { capacity: 256 * 1024, size: byteLength })
  const reader = toReadableStream(rx, { type: "bytes" }).getReader({ mode: "byob" })
  let bytes = 0, hash = 0, reads = 0, buffer = new ArrayBuffer(16 * 1024)
  for (;;) {
    const r = await reader.read(new Uint8Array(buffer))
    if (r.done) break
    reads++
    for (let i = 0; i < r.value.length; i++) hash = (Math.imul(hash, 31) + r.value[i]) | 0
    bytes += r.value.length
    buffer = r.value.buffer
  }
  window.result = { status: response.status, bytes, hash, reads, state: rx.state, userAgent: navigator.userAgent }
} catch (error) {
  window.result = { error: String(error && error.stack || error) }
}
</script>`

let server: TestServer
let browser: Browser

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url!, "http://x")
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page)
      return
    }
    if (url.pathname === "/data") {
      const bytes = Number(url.searchParams.get("bytes"))
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes) })
      void writePattern(res, bytes).then(() => res.end())
      return
    }
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p))
    const file = prefix === undefined ? undefined : normalize(join(roots[prefix]!, url.pathname.slice(prefix.length)))
    if (file === undefined || !file.startsWith(roots[prefix!]! + sep) || extname(file) !== ".js") {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (js) => res.writeHead(200, { "content-type": "text/javascript" }).end(js),
      () => res.writeHead(404).end(),
    )
  })
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe("in headless Chromium", () => {
  it("a fetch piped into a channel reads back through toReadableStream, every byte in order", async () => {
    const tab = await browser.newPage()
    const errors: string[] = []
    tab.on("pageerror", (e) => errors.push(String(e)))
    await tab.goto(server.url)
    await tab.waitForFunction(() => (window as { result?: unknown }).result !== undefined, undefined, {
      timeout: 30_000,
    })
    const result = await tab.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result)
    expect(errors).toEqual([])
    expect(result.error).toBeUndefined()
    expect(result.userAgent).toMatch(/Chrome\//)
    expect([result.status, result.bytes, result.hash, result.state]).toEqual([200, BYTES, expectedHash(BYTES), "closed"])
    // A 16 KiB BYOB buffer: the chunks came over many reads.
    expect(result.reads as number).toBeGreaterThanOrEqual(Math.ceil(BYTES / (16 * 1024)))
  }, 60_000)
})
