import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const demo = fileURLToPath(new URL("../dist/demo.js", import.meta.url))

async function runDemo(...args: string[]): Promise<{ stdout: string; lines: string[] }> {
  const { stdout } = await run(process.execPath, [demo, ...args], { timeout: 30_000 })
  return { stdout, lines: stdout.split("\n").map((l) => l.trim()) }
}

function captured(lines: string[], pattern: RegExp): string[] {
  const line = lines.find((l) => pattern.test(l))
  expect(line, String(pattern)).toBeDefined()
  return pattern.exec(line!)!.slice(1)
}

test("a 16 MiB run accounts for every byte through fetch, select and the workers, and every RxJS sample", async () => {
  const size = 16 << 20
  const { stdout, lines } = await runDemo("--size", "16M", "--capacity", "1M", "--workers", "3", "--pause-ms", "200")

  // Not a terminal: periodic plain lines, no cursor movement.
  expect(stdout).not.toContain("\x1b[")
  expect(lines.some((l) => /^\[\s*\d+\.\ds\] done\s+served 100% 16\.0 MiB/.test(l))).toBe(true)

  const [served, servedSum] = captured(lines, /^served\s+(\d+) bytes \(byte sum (0x[0-9a-f]{8})\)$/)
  expect(Number(served)).toBe(size)
  const [fetched, mostBuffered] = captured(lines, /^fetched\s+(\d+) bytes in \d+ chunks through a 1\.0 MiB channel \(most buffered ([\d.]+) MiB\)$/)
  expect(Number(fetched)).toBe(size)
  expect(Number(mostBuffered)).toBeLessThanOrEqual(1)

  // Each worker's share adds up to the body, and so does the checksum of what they saw.
  const shares = lines.filter((l) => /^worker \d\s+\d+ bytes in \d+ chunks/.test(l)).map((l) => Number(/(\d+) bytes/.exec(l)![1]))
  expect(shares).toHaveLength(3)
  expect(shares.reduce((a, b) => a + b, 0)).toBe(size)
  expect(shares.every((n) => n > 0)).toBe(true)
  const [worked, workedSum] = captured(lines, /^workers\s+(\d+) bytes \(byte sum (0x[0-9a-f]{8})\)$/)
  expect(Number(worked)).toBe(size)
  expect(workedSum).toBe(servedSum)
  expect(lines).toContain("every byte accounted for: yes")

  // RxJS → sliding channel → Effect: every sample delivered or dropped; the newest (the final total) always arrives.
  const [emitted, delivered, dropped] = captured(lines, /^rxjs\s+emitted (\d+) = delivered (\d+) \+ dropped (\d+): yes$/).map(Number)
  expect(delivered! + dropped!).toBe(emitted)
  expect(emitted).toBe(Number(captured(lines, /^fetched\s+\d+ bytes in (\d+) chunks/)[0]))
  expect(lines).toContain(`effect      last total seen by the ledger ${size} bytes (sliding keeps the newest); Progress channel closed`)

  // The pause held the server back to the channel plus socket buffers.
  const [after, ahead] = captured(lines, /^paused\s+200 ms after ([\d.]+) MiB: the server got ([\d.]+) MiB ahead/).map(Number)
  expect(after).toBeGreaterThanOrEqual(8)
  expect(after! + ahead!).toBeLessThan(16)
  expect(lines).toContain("result      OK")
})

test("a size that is not a multiple of the chunk or the block is still checked to the last byte", async () => {
  const { lines } = await runDemo("--size", "5000003", "--workers", "2", "--pause-ms", "0")
  const [served, servedSum] = captured(lines, /^served\s+(\d+) bytes \(byte sum (0x[0-9a-f]{8})\)$/)
  const [worked, workedSum] = captured(lines, /^workers\s+(\d+) bytes \(byte sum (0x[0-9a-f]{8})\)$/)
  expect([served, worked]).toEqual(["5000003", "5000003"])
  expect(workedSum).toBe(servedSum)
  expect(lines).toContain("paused      no")
  expect(lines).toContain("every byte accounted for: yes")
  expect(lines).toContain("result      OK")
})
