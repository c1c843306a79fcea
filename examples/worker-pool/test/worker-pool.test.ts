import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../dist/worker-pool.js", import.meta.url))

async function pool(...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [example, ...args])
  return stdout.split("\n")
}

/** The job numbers a summary line lists, e.g. "completed: 1, 2, 5 (3)". */
function jobs(lines: string[], label: string): number[] {
  const line = lines.find((l) => l.startsWith(`${label}: `))
  expect(line, label).toBeDefined()
  const [, listed, count] = /: (.*) \((\d+)\)$/.exec(line!)!
  const ids = listed === "none" ? [] : listed!.split(", ").map(Number)
  expect(ids).toHaveLength(Number(count))
  return ids
}

test("an abort after eight results leaves every job in exactly one place", async () => {
  const lines = await pool("20", "3", "8")
  const completed = jobs(lines, "completed")
  const cancelled = jobs(lines, "cancelled in a worker's hands")
  const dropped = jobs(lines, "dropped from the jobs buffer")
  const unsent = jobs(lines, "never sent (handed back by sendAll)")

  const all = [...completed, ...cancelled, ...dropped, ...unsent].sort((a, b) => a - b)
  expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  // The stop came after the eighth result; results already buffered still arrive.
  expect(completed.length).toBeGreaterThanOrEqual(8)
  expect(completed.length).toBeLessThan(20)
  // The jobs buffer holds at most 4, and the producer was stopped before it sent everything.
  expect(dropped.length).toBeLessThanOrEqual(4)
  expect(unsent.length).toBeGreaterThan(0)
  expect(unsent).toEqual(Array.from({ length: unsent.length }, (_, i) => 21 - unsent.length + i))
  // Each completed job was reported by the worker that did it, with its square.
  for (const job of completed) expect(lines.some((l) => l.endsWith(` done job ${job} → ${job * job}`))).toBe(true)
  expect(lines.findIndex((l) => l.startsWith("stop: "))).toBeGreaterThan(0)
  expect(lines).toContain("accounted for: 20 of 20 jobs, each exactly once")
  expect(lines).toContain("jobs channel: cancelled; results channel: closed")
})

test("without an abort every job completes and both channels close", async () => {
  const lines = await pool("10", "2", "100")
  expect(jobs(lines, "completed")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  expect(jobs(lines, "cancelled in a worker's hands")).toEqual([])
  expect(jobs(lines, "dropped from the jobs buffer")).toEqual([])
  expect(jobs(lines, "never sent (handed back by sendAll)")).toEqual([])
  expect(lines).toContain("accounted for: 10 of 10 jobs, each exactly once")
  expect(lines).toContain("jobs channel: closed; results channel: closed")
})
