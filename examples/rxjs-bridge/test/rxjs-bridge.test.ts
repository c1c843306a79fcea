import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/rxjs-bridge.js", import.meta.url))

async function bridge(...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [example, ...args])
  return stdout.split("\n")
}

function counts(lines: string[], policy: string): { emitted: number; delivered: number; dropped: number } {
  const line = lines.find((l) => l.startsWith(`${policy}: emitted `))
  expect(line, policy).toBeDefined()
  const [, emitted, delivered, dropped] = /emitted (\d+), delivered (\d+), dropped (\d+)$/.exec(line!)!.map(Number)
  return { emitted: emitted!, delivered: delivered!, dropped: dropped! }
}

test("a hot source faster than its consumer: every emitted value is delivered or dropped, never both", async () => {
  const lines = await bridge("20", "50", "16")
  for (const policy of ["drop-oldest", "drop-newest"]) {
    const { emitted, delivered, dropped } = counts(lines, policy)
    expect(emitted).toBe(1000)
    expect(delivered + dropped).toBe(emitted)
    // The consumer was slower than the bursts, so the policy had to act.
    expect(dropped).toBeGreaterThan(0)
    expect(delivered).toBeGreaterThanOrEqual(16)
    expect(lines).toContain(`${policy}: delivered + dropped = emitted: true`)
    // Bounded: the channel never held more than its capacity.
    const buffered = Number(/most buffered at once: (\d+) \(capacity 16\); channel closed$/.exec(lines.find((l) => l.startsWith(`${policy}: most buffered`))!)![1])
    expect(buffered).toBeLessThanOrEqual(16)
  }
  // Sliding keeps the newest: the first burst (0..49, ×10) leaves its last 16, and the very last value arrives.
  expect(lines).toContain("drop-oldest: first delivered 340, last delivered 9990, in order: true")
  // Dropping keeps the oldest it had room for: 0 first; the last value of the last burst was dropped.
  expect(lines.find((l) => l.startsWith("drop-newest: first delivered"))).toMatch(/^drop-newest: first delivered 0, last delivered \d+, in order: true$/)
  expect(lines).not.toContain("drop-newest: first delivered 0, last delivered 9990, in order: true")
})

test("a source the consumer keeps up with loses nothing under either policy", async () => {
  const lines = await bridge("3", "5", "16")
  for (const policy of ["drop-oldest", "drop-newest"]) {
    expect(counts(lines, policy)).toEqual({ emitted: 15, delivered: 15, dropped: 0 })
    expect(lines).toContain(`${policy}: first delivered 0, last delivered 140, in order: true`)
  }
})
