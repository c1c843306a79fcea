import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/effect-service.js", import.meta.url))

test("the Jobs layer ends its channel the way its scope ends: closed, cancelled, or closed with the error", async () => {
  const { stdout } = await run(process.execPath, [example])
  const lines = stdout.split("\n")

  // 1. success: both workers took part, every job processed once, both handles released by the layer.
  const [, a, b] = /^worker a: (\d+) jobs, worker b: (\d+) jobs$/.exec(lines.find((l) => l.startsWith("worker a:"))!)!.map(Number)
  expect(a! + b!).toBe(12)
  expect(a).toBeGreaterThan(0)
  expect(b).toBeGreaterThan(0)
  expect(lines).toContain("results: 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24")
  expect(lines).toContain("each job exactly once: true")
  expect(lines).toContain("after the scope: channel closed, senders 0, receivers 0")

  // 2. interruption: cancelled, every buffered job reported once with reason "cancel".
  expect(lines).toContain("exit: interrupted")
  expect(lines).toContain("dropped: 1 (cancel), 2 (cancel), 3 (cancel), 4 (cancel), 5 (cancel)")

  // 3. failure: closed with the error, after what was sent.
  expect(lines).toContain("exit: failed")
  expect(lines).toContain("the kept clone drained 1, 2 and then saw: disk full")
  expect(lines).toContain("effect-service complete.")
})
