/**
 * Edges of the recent fast paths found in review: select's polling pass
 * (quickPick) and broadcast batch receives.
 */

import { describe, expect, it } from "vitest"
import { bounded, broadcast, channel, recv, select, send, trySelect, type SelectCase } from "../src/index.js"

const PARK_RECEIVE = Symbol.for("panama.channel.parkReceive")
type ParkReceive = (onValue: (v: number) => void, onEnd: (r: unknown, h: boolean) => void) => (() => boolean) | undefined

describe("select's polling pass over plain channel cases", () => {
  it("a biased trySelect with a bad entry after a ready case throws TypeError and takes nothing", () => {
    const [tx, rx] = bounded<number>(4)
    tx.trySend(1)
    const cases = [recv(rx), 42 as unknown as SelectCase]
    expect(() => trySelect(cases, { biased: true })).toThrow(TypeError)
    expect(rx.size).toBe(1)
  })

  it("a biased select with a bad entry after a ready case rejects with TypeError and takes nothing", async () => {
    const [tx, rx] = bounded<number>(4)
    const [out] = bounded<number>(4)
    tx.trySend(1)
    const cases = [recv(rx), send(out, 2), { kind: "recv" } as unknown as SelectCase]
    await expect(select(cases, { biased: true })).rejects.toThrow(TypeError)
    expect([rx.size, out.size]).toEqual([1, 0])
  })
})

describe("select's polling pass: which path serves which cases", () => {
  it("over 32 cases (the plan path) a ready case past index 31 is chosen and completed once", () => {
    const chans = Array.from({ length: 40 }, () => bounded<number>(1))
    chans[35]![0].trySend(35)
    const r = trySelect(chans.map(([, rx]) => recv(rx)))
    expect(r).toEqual({ index: 35, value: { done: false, value: 35 } })
    expect(chans.map(([, rx]) => rx.size).reduce((a, b) => a + b)).toBe(0)
  })

  it("over exactly 31 cases every ready one is chosen sometimes, the last included", () => {
    const seen = new Set<number>()
    for (let k = 0; k < 400; k++) {
      const chans = Array.from({ length: 31 }, () => bounded<number>(1))
      chans[0]![0].trySend(0)
      chans[30]![0].trySend(30)
      seen.add(trySelect(chans.map(([, rx]) => recv(rx)))!.index)
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 30])
  })

  it("a send case on a full reject channel is not ready: the ready recv case is chosen every time", () => {
    for (let k = 0; k < 50; k++) {
      const [full] = channel<number>({ capacity: 1, overflow: "reject" })
      full.trySend(0)
      const [tx, rx] = bounded<number>(1)
      tx.trySend(7)
      expect(trySelect([send(full, 1), recv(rx)])).toEqual({ index: 1, value: { done: false, value: 7 } })
    }
  })

  it("a weighted send case that does not fit is not chosen next to a ready plain case", () => {
    for (let k = 0; k < 50; k++) {
      const [heavy, heavyRx] = channel<string>({ capacity: 3, size: (s) => s.length })
      heavy.trySend("ab")
      const [tx, rx] = bounded<number>(1)
      tx.trySend(7)
      expect(trySelect([send(heavy, "cd"), recv(rx)])).toEqual({ index: 1, value: { done: false, value: 7 } })
      expect(heavyRx.size).toBe(2)
    }
  })

  it("with a broadcast case and a channel case both ready, biased takes the first and leaves the other", () => {
    const [btx, brx] = broadcast<number>({ capacity: 2 })
    const [tx, rx] = bounded<number>(1)
    btx.trySend(1)
    tx.trySend(2)
    expect(trySelect([recv(rx), recv(brx)], { biased: true })).toEqual({ index: 0, value: { done: false, value: 2 } })
    expect([rx.size, brx.size]).toEqual([0, 1])
  })
})

describe("broadcast batch receives", () => {
  it("a batch that drains a full buffer admits the waiting senders and carries their values", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 2 })
    tx.trySend(1)
    tx.trySend(2)
    const sent: number[] = []
    void tx.send(3).then(() => sent.push(3))
    void tx.send(4).then(() => sent.push(4))
    expect(tx.pendingSends).toBe(2)
    expect(rx.tryReceiveMany()).toEqual([1, 2, 3, 4])
    expect(tx.pendingSends).toBe(0)
    await Promise.resolve()
    expect(sent).toEqual([3, 4])
  })

  it("missed counts what drop-oldest and drop-newest skipped, and a batch reports no lag", () => {
    const [oldTx, oldRx] = broadcast<number>({ capacity: 2, overflow: "drop-oldest" })
    const [newTx, newRx] = broadcast<number>({ capacity: 2, overflow: "drop-newest" })
    for (let i = 1; i <= 5; i++) {
      oldTx.trySend(i)
      newTx.trySend(i)
    }
    expect([oldRx.missed, oldRx.tryReceiveMany(), oldRx.tryReceive()]).toEqual([3, [4, 5], { ok: false, reason: "empty" }])
    expect([newRx.missed, newRx.tryReceiveMany(), newRx.missed]).toEqual([3, [1, 2], 3])
  })
})

describe("the parkReceive hook", () => {
  it("a wait the channel's close ended cannot be withdrawn: withdraw returns false", () => {
    const [tx, rx] = bounded<number>(1)
    const ends: boolean[] = []
    const withdraw = (rx as unknown as Record<symbol, ParkReceive>)[PARK_RECEIVE]!(
      () => undefined,
      (_, hasReason) => ends.push(hasReason),
    )
    expect(rx.pendingReceives).toBe(1)
    tx.close()
    expect(ends).toEqual([false])
    expect(withdraw!()).toBe(false)
  })
})
