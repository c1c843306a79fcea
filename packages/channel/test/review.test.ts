/**
 * Cases a review of the core against SPEC §1–§7 found uncovered: each test
 * failed on the code before the fix committed with it.
 */

import { afterEach, describe, expect, test, vi } from "vitest"
import { bounded, channel, rendezvous, recv, select, send } from "../src/index.js"

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

describe("select with several send cases on one channel", () => {
  test("room for more than one case admits only the winner, not a sibling behind it", async () => {
    const [tx, rx] = bounded<string>(2)
    tx.trySend("x")
    tx.trySend("y")
    const won = select([send(tx, "a"), send(tx, "b"), send(tx, "c")])
    expect(tx.pendingSends).toBe(3)
    // Two slots free at once: the first case is admitted and wins; withdrawing
    // the second must not let the third into the freed room.
    expect(rx.tryReceiveMany(2)).toEqual(["x", "y"])
    expect(await won).toEqual({ index: 0, value: undefined })
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceiveMany()).toEqual(["a"])
    expect(tx.stats).toEqual({ sent: 3, received: 3, dropped: { overflow: 0, cancel: 0 } })
  })
})
