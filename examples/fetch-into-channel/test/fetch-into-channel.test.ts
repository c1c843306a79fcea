import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/fetch-into-channel.js", import.meta.url))

/** The numbers captured by `pattern` in the first line it matches. */
function numberIn(lines: string[], pattern: RegExp): number[] {
  const line = lines.find((l) => pattern.test(l))
  expect(line, String(pattern)).toBeDefined()
  return pattern.exec(line!)!.slice(1).map(Number)
}

test("a 32 MiB body arrives through a 1 MiB channel byte for byte, and the paused consumer holds the server back", async () => {
  const bytes = 32 << 20
  const capacity = 1 << 20
  const { stdout } = await run(process.execPath, [example, String(bytes), String(capacity)])
  const lines = stdout.split("\n")

  // The generator is deterministic, so the digest is known; both sides must show it.
  const digest = "c1d07908e57ec9aabcf3d3236526d348d7a3299f1873fcc5b41f97030588c476"
  expect(lines).toContain(`server sha256 ${digest}`)
  expect(lines).toContain(`client sha256 ${digest}`)
  expect(lines).toContain("every byte accounted for: true")
  const [received, chunks] = numberIn(lines, /^client: (\d+) bytes in (\d+) chunks/)
  expect(received).toBe(bytes)
  expect(chunks).toBeGreaterThanOrEqual(bytes / (64 << 10))

  // Capacity is in bytes: never more than 1 MiB buffered (each chunk is smaller than that).
  const [mostBuffered] = numberIn(lines, /^most buffered in the channel at once: (\d+) bytes/)
  expect(mostBuffered).toBeGreaterThan(0)
  expect(mostBuffered).toBeLessThanOrEqual(capacity)

  // While the consumer slept, the server could not finish: it was held to the channel plus socket buffers.
  const [pausedAt, ahead] = numberIn(lines, /^paused after (\d+) bytes for 150 ms; the server got ahead by (\d+) bytes/)
  expect(pausedAt).toBeGreaterThanOrEqual(bytes / 4)
  expect(ahead).toBeGreaterThan(0)
  expect(pausedAt + ahead).toBeLessThan(bytes)
  expect(lines).toContain("channel state: closed")
})

test("a body whose length is not a multiple of the chunk size is checked to the last byte", async () => {
  const { stdout } = await run(process.execPath, [example, "1000003", "65536"])
  const lines = stdout.split("\n")
  const server = lines.find((l) => l.startsWith("server sha256 "))!.slice(14)
  expect(lines).toContain(`client sha256 ${server}`)
  expect(lines).toContain("every byte accounted for: true")
  expect(numberIn(lines, /^client: (\d+) bytes/)).toEqual([1000003])
})
