/**
 * Cases a review of the core against SPEC §1–§7 found uncovered: each test
 * failed on the code before the fix committed with it.
 */

import { afterEach, describe, expect, test, vi } from "vitest"
import { channel, rendezvous, recv, select } from "../src/index.js"

describe("weighted size", () => {
  test("an empty buffer weighs 0 again after fractional weights came and went", () => {
    const [tx, rx] = channel<number>({ capacity: 1, size: (v) => v })
    expect(tx.trySend(0.7)).toEqual({ ok: true })
    expect(tx.trySend(0.1)).toEqual({ ok: true })
    expect(rx.tryReceiveMany()).toEqual([0.7, 0.1])
    // 0.7 + 0.1 - 0.7 - 0.1 is -2.8e-17 in floating point.
    expect(rx.size).toBe(0)
    expect(tx.trySend(0.1)).toEqual({ ok: true })
    expect(tx.trySend(0.2)).toEqual({ ok: true })
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0.1 })
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0.2 })
    expect(rx.size).toBe(0)
  })
})

describe("select timeout", () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  test("a select timeout longer than setTimeout allows fires at its deadline, not early", async () => {
    vi.useFakeTimers()
    const [, rx] = rendezvous<number>()
    let outcome: unknown = "pending"
    select([recv(rx)], { timeout: 2 ** 31 + 1000 }).then(
      (r) => (outcome = r),
      (e: unknown) => (outcome = e instanceof DOMException ? e.name : e),
    )
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1)
    expect(outcome).toBe("pending")
    expect(rx.pendingReceives).toBe(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(outcome).toBe("pending")
    await vi.advanceTimersByTimeAsync(2)
    expect(outcome).toBe("TimeoutError")
    expect(rx.pendingReceives).toBe(0)
  })
})
