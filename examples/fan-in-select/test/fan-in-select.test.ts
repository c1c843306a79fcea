import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/fan-in-select.js", import.meta.url))

test("fan-in-select shows priorities, timeouts, fan-in to the end and a send with a deadline", async () => {
  const { stdout } = await run(process.execPath, [example])
  const lines = stdout.split("\n")

  // 1. biased: alerts first, even the one that arrived while metrics were being read; then metrics, then logs.
  expect(lines).toContain("biased order: A1 M1 A2 M2 M3 L1 L2 L3")
  const [, left, right] = /^unbiased over 10000 rounds: left (\d+), right (\d+)$/.exec(lines.find((l) => l.startsWith("unbiased"))!)!
  expect(Number(left) + Number(right)).toBe(10_000)
  // Fair choice: each side within 10 standard deviations (50) of half.
  expect(Math.abs(Number(left) - 5_000)).toBeLessThan(500)
  expect(lines).toContain("values left: 10000 of 20000; each round took exactly one")

  // 2. a timed-out select took nothing: the late value goes to the next select.
  expect(lines).toContain("trySelect on an empty channel: undefined")
  expect(lines).toContain("select with timeout 20 ms: TimeoutError")
  expect(lines).toContain('the next select gets: {"done":false,"value":"late"}')

  // 3. every source is read to its end, each in its own order.
  expect(lines.filter((l) => /^\w+ is done$/.test(l)).sort()).toEqual(["fast is done", "medium is done", "slow is done"])
  expect(lines).toContain("received: fast 6, medium 4, slow 2; total 12")
  expect(lines.some((l) => l.startsWith("each source in its own order: true; "))).toBe(true)

  // 4. the send that lost to the deadline left nothing; then the quit case wins.
  expect(lines).toContain("nobody took the report within 20 ms: TimeoutError")
  expect(lines).toContain("left behind: 0 buffered, 0 waiting sends")
  expect(lines).toContain('case 1 won: {"done":false,"value":"shutdown"}')
  expect(lines).toContain("fan-in-select complete.")
})
