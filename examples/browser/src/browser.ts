/**
 * The streams adapter in a real page. A local HTTP server serves a page whose
 * import map points `@panama/channel` and `@panama/streams` at their built
 * output (no bundler), plus a generated body at /data; headless Chromium
 * (Debian's, driven by playwright-core) loads the page, which runs src/page.ts
 * and publishes its results; this script prints them and checks them against
 * what the server sent.
 *
 * Usage: node dist/browser.js [bytes=4194304] [capacity=1048576]
 */

import { readFile } from "node:fs/promises"
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { dirname, extname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import type { PageResult } from "./page.js"

const [bytes = 4 << 20, capacity = 1 << 20] = process.argv.slice(2).map(Number)

// Each package's dist folder, found the way Node resolves the package.
const roots: Record<string, string> = {
  "/pkg/channel/": dirname(fileURLToPath(import.meta.resolve("@panama/channel"))),
  "/pkg/streams/": dirname(fileURLToPath(import.meta.resolve("@panama/streams"))),
  "/app/": dirname(fileURLToPath(import.meta.url)),
}

const page = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>panama in the browser</title>
<script type="importmap">
{ "imports": { "@panama/channel": "/pkg/channel/index.js", "@panama/streams": "/pkg/streams/index.js" } }
</script>
<script type="module" src="/app/page.js"></script>
</head>
<body></body>
</html>`

/** The body at /data and its checksum, the same rolling hash as the page's. */
function body(total: number): { chunks: Uint8Array[]; checksum: number } {
  const chunks: Uint8Array[] = []
  let checksum = 0
  for (let offset = 0; offset < total; offset += 64 << 10) {
    const chunk = new Uint8Array(Math.min(64 << 10, total - offset))
    for (let i = 0; i < chunk.length; i++) {
      chunk[i] = ((offset + i) * 2654435761) >>> 24
      checksum = (Math.imul(checksum, 31) + chunk[i]!) >>> 0
    }
    chunks.push(chunk)
  }
  return { chunks, checksum }
}

async function sendBody(res: ServerResponse, chunks: Uint8Array[]): Promise<void> {
  res.writeHead(200, { "content-type": "application/octet-stream" })
  for (const chunk of chunks) if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve))
  res.end()
}

async function main(): Promise<void> {
  const data = body(bytes)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page)
      return
    }
    if (url.pathname === "/data") {
      void sendBody(res, data.chunks)
      return
    }
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p))
    const file = prefix && normalize(join(roots[prefix]!, url.pathname.slice(prefix.length)))
    if (!file || !file.startsWith(roots[prefix]!) || extname(file) !== ".js") {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (js) => res.writeHead(200, { "content-type": "text/javascript" }).end(js),
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
  try {
    const tab = await browser.newPage()
    const errors: string[] = []
    tab.on("pageerror", (error) => errors.push(String(error)))
    await tab.goto(`http://127.0.0.1:${port}/?bytes=${bytes}&capacity=${capacity}`)
    await tab.waitForFunction(() => window.panamaResult !== undefined, undefined, { timeout: 15_000 })
    const result = (await tab.evaluate(() => window.panamaResult)) as PageResult
    if (errors.length > 0 || result.error) throw new Error(`page failed: ${result.error ?? errors.join("; ")}`)

    console.log(`browser: ${/HeadlessChrome\/[\d.]+/.exec(result.userAgent)?.[0] ?? result.userAgent}`)
    console.log(`1. channel → ReadableStream → TextEncoderStream → Response.text(): ${JSON.stringify(result.text)}`)
    const f = result.fetched
    console.log(`2. fetch → channel: ${f.bytes} bytes in ${f.chunks} chunks; most buffered ${f.mostBuffered} of ${f.capacity}; channel ${f.state}`)
    console.log(`   checksum page ${f.checksum}, server ${data.checksum}: ${f.bytes === bytes && f.checksum === data.checksum ? "match" : "MISMATCH"}`)
    console.log(`3. ReadableStream → toWritableStream → channel: ${result.piped.received.join(" ")}; channel ${result.piped.state}`)
  } finally {
    await browser.close()
    server.close()
  }
}

await main()
