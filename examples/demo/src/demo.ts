/**
 * panama demo — `npm start` at the repository root.
 *
 * A local HTTP server streams a large generated body; fetch pipes it into a
 * byte-bounded channel; a select fans the chunks out to a pool of workers;
 * the workers' progress flows through an RxJS pipeline into a sliding channel
 * that an Effect service reads. A live display shows each stage, each
 * channel's fill level and the process's memory, which stays flat: every
 * channel is bounded, so backpressure reaches the socket.
 *
 * Usage: node dist/demo.js [--size 256M] [--capacity 4M] [--workers 4] [--pause-ms 1000] [--plain]
 * Sizes take K / M / G suffixes (binary). --plain prints periodic lines even on a terminal.
 */

import { parseArgs } from "node:util"
import { Display, Memory, summary } from "./display.js"
import { createStats, run } from "./pipeline.js"

function bytes(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]i?b?)?$/i.exec(text.trim())
  if (!m) throw new RangeError(`--${name}: not a size: ${text}`)
  const unit = { k: 1 << 10, m: 1 << 20, g: 1 << 30 }[(m[2]?.[0] ?? "").toLowerCase() as "k" | "m" | "g"] ?? 1
  return Math.floor(Number(m[1]) * unit)
}

function count(text: string, name: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected an integer >= ${min}: ${text}`)
  return n
}

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "256M" },
    capacity: { type: "string", default: "4M" },
    workers: { type: "string", default: "4" },
    "pause-ms": { type: "string", default: "1000" },
    plain: { type: "boolean", default: false },
  },
})

const options = {
  size: bytes(values.size, "size"),
  capacity: bytes(values.capacity, "capacity"),
  workers: count(values.workers, "workers", 1),
  pauseMs: count(values["pause-ms"], "pause-ms", 0),
}
const tty = Boolean(process.stdout.isTTY) && !values.plain

const memory = new Memory()
const stats = createStats(options)
const display = new Display(stats, memory, tty)

let interrupted!: () => void
const interrupt = new Promise<void>((resolve) => (interrupted = resolve))
process.once("SIGINT", () => {
  interrupted()
  display.restore()
  process.exit(130)
})

display.start(tty ? 150 : 1000)
try {
  await run(stats, interrupt)
} finally {
  display.stop()
}
const { text, ok } = summary(stats, memory)
console.log(text)
if (!ok) process.exitCode = 1
if (tty) console.log("\nMore: examples/ (one runnable folder per use case), and the core tour: npm start -w @panama/example-tour")
