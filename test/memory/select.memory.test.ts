/**
 * Memory behaviour of `select` (SPEC §2, §5, issue 3): a select that was
 * aborted, timed out, or whose cases lost to another leaves nothing behind —
 * no case parked in any wait queue, no listener on its signal, no armed
 * timer. A million such selects must leave the heap where it started (the
 * idea of Go's test/chan/select2.go, with a million instead of 100,000).
 *
 * Needs `--expose-gc` in the worker (test/vitest.config.ts passes it); the
 * tests are skipped with a message when `global.gc` is missing. Heap is
 * measured after forced collections, before and after the million (run in
 * batches of 50,000 with a macrotask between them so promises settle); the
 * slack is 2 MiB, while a leak of one small object per select would be tens
 * of MiB.
 */

import { getEventListeners } from "node:events"
import { describe, expect, it } from "vitest"
import { bounded, broadcast, oneshot, recv, rendezvous, select, send, trySelect, watch } from "@panama/channel"

const MiB = 1024 * 1024
const SLACK = 2 * MiB
const MILLION = 1_000_000
const SMALLER = 200_000 // for the variants; a leak of one object per select still shows as MiBs
const BATCH = 50_000
const LONG = 240_000 // ms: a million aborted selects take ~40 s on a loaded 2-core machine
const STOP = new Error("stop") // one reason for every abort: abort() without one builds a DOMException each time

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) console.warn("select.memory.test.ts skipped: run with --expose-gc (execArgv in test/vitest.config.ts)")

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc!()
  return process.memoryUsage().heapUsed
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const ignore = (): void => {}

/** Heap growth over `total` selects run by `batch(n)` (which may wait), after a warm-up batch. */
async function growth(total: number, batch: (n: number) => void | Promise<void>): Promise<number> {
  await batch(BATCH)
  await macrotask()
  const before = heapAfterGc()
  for (let done = 0; done < total; done += BATCH) {
    await batch(BATCH)
    await macrotask()
  }
  return heapAfterGc() - before
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length

describe.skipIf(gc === undefined)("selects leave nothing behind", () => {
  it("a million selects aborted while waiting on a recv and a send case retain no memory", async () => {
    const [, a] = rendezvous<number>()
    const [btx, b] = bounded<number>(1)
    btx.trySend(-1)
    const grew = await growth(MILLION, (n) => {
      for (let i = 0; i < n; i++) {
        const ac = new AbortController()
        select([recv(a), send(btx, i)], { signal: ac.signal }).catch(ignore)
        ac.abort(STOP)
      }
      expect(a.pendingReceives).toBe(0)
      expect(b.pendingSends).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(b.tryReceiveMany()).toEqual([-1])
  }, LONG)

  it("200,000 selects won through a long-lived signal leave no listener on it", async () => {
    const [tx, rx] = bounded<number>(1)
    const [, idle] = rendezvous<number>()
    const shared = new AbortController()
    const grew = await growth(SMALLER, (n) => {
      for (let i = 0; i < n; i++) {
        select([recv(rx), recv(idle)], { signal: shared.signal }).catch(ignore)
        tx.trySend(i) // wins at once: the listener must be detached on win
      }
      expect(getEventListeners(shared.signal, "abort")).toHaveLength(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(idle.pendingReceives).toBe(0)
  }, LONG)

  it("a million selects whose other case lost retain no memory and leave no waiter on the loser", async () => {
    const [tx, c] = rendezvous<number>()
    const [, dummy] = rendezvous<number>()
    const ac = new AbortController()
    const grew = await growth(MILLION, async (n) => {
      const sender = (async () => {
        for (let i = 0; i < n; i++) await tx.send(i)
      })()
      for (let i = 0; i < n; i++) {
        const r = await select([recv(c), recv(dummy)], { signal: ac.signal })
        if (r.index !== 0) throw new Error("dummy")
      }
      await sender
      expect(dummy.pendingReceives).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  }, LONG)

  it("200,000 selects won before their timeout leave no timer and no memory", async () => {
    const [tx, rx] = bounded<number>(1)
    const [, idle] = rendezvous<number>()
    const before = timers()
    const grew = await growth(SMALLER, (n) => {
      for (let i = 0; i < n; i++) {
        select([recv(rx), recv(idle)], { timeout: 60_000 }).catch(ignore)
        tx.trySend(i) // wins at once: the timer must be cleared
      }
      expect(rx.pendingReceives + idle.pendingReceives).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(timers()).toBeLessThanOrEqual(before) // a timer of the runner may end meanwhile; none may be added
  }, LONG)

  it("200,000 non-waiting trySelects on idle channels retain no memory", async () => {
    const [tx, rx] = rendezvous<number>()
    const grew = await growth(SMALLER, (n) => {
      for (let i = 0; i < n; i++) if (trySelect([recv(rx), send(tx, i)]) !== undefined) throw new Error("ready")
    })
    expect(grew).toBeLessThan(SLACK)
    expect(rx.pendingSends + rx.pendingReceives).toBe(0)
  }, LONG)

  it("200,000 aborted selects on oneshot, broadcast and watch receivers retain no memory", async () => {
    const [, once] = oneshot<number>()
    const [, bus] = broadcast<number>({ capacity: 4 })
    const [, latest] = watch(0)
    const grew = await growth(SMALLER, (n) => {
      for (let i = 0; i < n; i++) {
        const ac = new AbortController()
        select([recv(once), recv(bus), recv(latest)], { signal: ac.signal }).catch(ignore)
        ac.abort(STOP)
      }
    })
    expect(grew).toBeLessThan(SLACK)
  }, LONG)
})
