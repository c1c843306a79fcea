import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/browser.js", import.meta.url))

test("headless Chromium runs the streams adapter from the built packages, byte for byte", async () => {
  const { stdout } = await run(process.execPath, [example, String(4 << 20), String(1 << 20)], { timeout: 60_000 })
  const lines = stdout.split("\n")

  expect(lines[0]).toMatch(/^browser: HeadlessChrome\/\d+/)
  expect(lines).toContain('1. channel → ReadableStream → TextEncoderStream → Response.text(): "hello from a channel"')

  const fetched = /^2\. fetch → channel: (\d+) bytes in (\d+) chunks; most buffered (\d+) of (\d+); channel (\w+)$/.exec(
    lines.find((l) => l.startsWith("2. "))!,
  )
  expect(fetched).not.toBeNull()
  const [, bytes, chunks, mostBuffered, capacity, state] = fetched!
  expect(Number(bytes)).toBe(4 << 20)
  expect(Number(chunks)).toBeGreaterThan(1)
  expect(Number(mostBuffered)).toBeLessThanOrEqual(Number(capacity))
  expect(state).toBe("closed")
  const checksums = /^ {3}checksum page (\d+), server (\d+): match$/.exec(lines.find((l) => l.includes("checksum page"))!)
  expect(checksums).not.toBeNull()
  expect(checksums![1]).toBe(checksums![2])

  expect(lines).toContain("3. ReadableStream → toWritableStream → channel: 1 2 3 4 5 6 7 8 9 10; channel closed")
})
