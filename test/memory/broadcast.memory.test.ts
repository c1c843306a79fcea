/**
 * Memory behaviour of `broadcast`'s shared log (issue 3): a value every
 * receiver has read is not retained by the log, and an unbounded broadcast
 * gives back the memory a burst made it grow to once every receiver drained
 * it. Heap is measured after forced collections (`--expose-gc`, passed by
 * test/vitest.config.ts); the tests are skipped with a message without it.
 */

import { describe, expect, it } from "vitest"
import { broadcast } from "@panama/channel"

const MiB = 1024 * 1024
const SLACK = 2 * MiB

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) console.warn("broadcast.memory.test.ts skipped: run with --expose-gc (execArgv in test/vitest.config.ts)")

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc!()
  return process.memoryUsage().heapUsed
}

describe.skipIf(gc === undefined)("broadcast memory", () => {
  it("an unbounded broadcast gives back what a burst of a million values grew it to, once every receiver drained it", () => {
    const [tx, a] = broadcast<{ i: number }>({ capacity: Infinity })
    const b = tx.subscribe()
    const before = heapAfterGc()
    for (let i = 0; i < 1_000_000; i++) tx.trySend({ i })
    const full = heapAfterGc()
    let got = 0
    for (let batch; (batch = a.tryReceiveMany(4096)).length > 0; ) got += batch.length
    for (let batch; (batch = b.tryReceiveMany(4096)).length > 0; ) got += batch.length
    const after = heapAfterGc()
    expect(got).toBe(2_000_000)
    expect(full - before).toBeGreaterThan(16 * MiB) // the burst really was held (objects and slots)
    expect(after - before).toBeLessThan(SLACK)
    tx.close()
  })

  it("a bounded broadcast holds no value every receiver has read (16 KiB values, 8 MiB through capacity 500)", () => {
    const [tx, a] = broadcast<number[]>({ capacity: 500 })
    const b = tx.subscribe()
    // Grow the log to its full size first, so only the values are measured.
    for (let i = 0; i < 500; i++) tx.trySend([])
    a.tryReceiveMany()
    b.tryReceiveMany()
    const before = heapAfterGc()
    for (let i = 0; i < 500; i++) expect(tx.trySend(new Array<number>(2048).fill(0.5)).ok).toBe(true)
    expect(tx.trySend([]).ok).toBe(false) // full: the log held all 500
    expect(a.tryReceiveMany().length).toBe(500)
    const half = heapAfterGc()
    expect(b.tryReceiveMany().length).toBe(500)
    const after = heapAfterGc()
    expect(half - before).toBeGreaterThan(6 * MiB) // b had not read them: still held
    expect(after - before).toBeLessThan(SLACK)
    tx.close()
  })
})
