/**
 * Memory behaviour of the core channel (SPEC §2, issue 2): a waiter that
 * leaves by abort or completes leaves nothing behind — no tombstone in a wait
 * queue, no listener on its signal, no armed timer. A million such operations
 * must leave the heap where it started.
 *
 * Needs `--expose-gc` in the worker (test/vitest.config.ts passes it). Heap is
 * measured after forced collections, before and after the million (run in
 * batches of 50,000 with a macrotask between them so rejections settle); the
 * slack is 2 MiB, while a leak of one small object per operation would be
 * tens of MiB.
 *
 * NOTE: Node's `AbortController#abort()` costs microseconds (it dispatches an
 * event, and a reasonless abort builds a DOMException with a stack), so the
 * aborts are done `PER_SIGNAL` waiters per controller with a prebuilt reason:
 * every waiter still leaves through its own abort listener. Not more per
 * signal: Node's EventTarget looks listeners up linearly, so thousands on one
 * signal would make the test quadratic (Node's cost, not the channel's).
 */

import { getEventListeners, setMaxListeners } from "node:events"
import { describe, expect, it } from "vitest"
import { bounded, rendezvous, unbounded } from "@panama/channel"

const MiB = 1024 * 1024
const SLACK = 2 * MiB
const MILLION = 1_000_000
const BATCH = 50_000
const PER_SIGNAL = 100
const REASON = new Error("aborted by the test")

const gc = (globalThis as { gc?: () => void }).gc

function heapAfterGc(): number {
  if (gc === undefined) throw new Error("run with --expose-gc (see execArgv in test/vitest.config.ts)")
  for (let i = 0; i < 4; i++) gc()
  return process.memoryUsage().heapUsed
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const ignore = (): void => {}

/** Heap growth over `total` operations run by `batch(n)`, after a warm-up batch. */
async function growth(total: number, batch: (n: number) => void): Promise<number> {
  batch(BATCH) // warm-up: JIT code and lazily made structures are not a leak
  await macrotask()
  const before = heapAfterGc()
  for (let done = 0; done < total; done += BATCH) {
    batch(BATCH)
    await macrotask()
  }
  return heapAfterGc() - before
}

/** Runs `wait(signal)` n times, aborting a fresh controller after every PER_SIGNAL. */
function abortEach(n: number, wait: (signal: AbortSignal) => void): void {
  for (let i = 0; i < n; i += PER_SIGNAL) {
    const ac = new AbortController()
    setMaxListeners(PER_SIGNAL, ac.signal)
    for (let j = 0; j < PER_SIGNAL; j++) wait(ac.signal)
    ac.abort(REASON)
  }
}

/** Live Node timers (setTimeout handles), as the runtime reports them. */
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length

describe("waiters leave nothing behind", () => {
  it("a million receives aborted on an idle channel retain no memory", async () => {
    const [, rx] = bounded<number>(4)
    const grew = await growth(MILLION, (n) => {
      abortEach(n, (signal) => rx.receive({ signal }).catch(ignore))
      expect(rx.pendingReceives).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
  })

  it("a million sends aborted on a full channel retain no memory", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(-1)
    const grew = await growth(MILLION, (n) => {
      abortEach(n, (signal) => tx.send(0, { signal }).catch(ignore))
      expect(tx.pendingSends).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(rx.tryReceiveMany()).toEqual([-1])
  })

  it("200,000 rendezvous sends aborted with no receiver retain no memory", async () => {
    const [tx] = rendezvous<number>()
    const grew = await growth(200_000, (n) => {
      abortEach(n, (signal) => tx.send(0, { signal }).catch(ignore))
      expect(tx.pendingSends).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
  })

  it("a million receives whose timeout was cleared because a value arrived retain no memory and no timer", async () => {
    const [tx, rx] = unbounded<number>()
    const timersBefore = timers()
    let received = 0
    const count = (): void => {
      received++
    }
    const grew = await growth(MILLION, (n) => {
      for (let i = 0; i < n; i++) {
        rx.receive({ timeout: 60_000 }).then(count)
        tx.trySend(i)
      }
      expect(rx.pendingReceives).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(received).toBe(MILLION + BATCH)
    expect(timers()).toBeLessThanOrEqual(timersBefore)
  })

  it("200,000 sends whose timeout was cleared because room appeared retain no memory and no timer", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(-1)
    const timersBefore = timers()
    const grew = await growth(200_000, (n) => {
      for (let i = 0; i < n; i++) {
        tx.send(i, { timeout: 60_000 }).catch(ignore)
        rx.tryReceive()
      }
      expect(tx.pendingSends).toBe(0)
    })
    expect(grew).toBeLessThan(SLACK)
    expect(timers()).toBeLessThanOrEqual(timersBefore)
  })
})

describe("a reused signal keeps no listeners", () => {
  it("a signal reused for 100,000 completed operations has no abort listener left", async () => {
    const { signal } = new AbortController()
    const [tx, rx] = bounded<number>(1)
    const listeners = (): number => getEventListeners(signal, "abort").length

    // Each kind of waiter holds exactly one listener while it waits…
    const waiting = rx.receive({ signal })
    expect(listeners()).toBe(1)
    tx.trySend(0)
    expect(await waiting).toEqual({ done: false, value: 0 })
    expect(listeners()).toBe(0)

    for (let i = 0; i < 25_000; i++) {
      // …a receive completed by a send,
      const r = rx.receive({ signal, timeout: 60_000 })
      tx.trySend(i)
      await r
      // …a send completed by a receive (the buffer holds one, so the second waits),
      tx.trySend(i)
      const s = tx.send(i, { signal, timeout: 60_000 })
      rx.tryReceive()
      rx.tryReceive()
      await s
      // …a receiveMany that waited for its first value,
      const m = rx.receiveMany(4, { signal, timeout: 60_000 })
      tx.trySend(i)
      await m
      // …and a sendAll that waited for room twice.
      tx.trySend(i)
      const all = tx.sendAll([i, i], { signal, timeout: 60_000 })
      await rx.receive()
      await rx.receive()
      await rx.receive()
      await all
    }
    expect(listeners()).toBe(0)
    expect(tx.pendingSends + rx.pendingReceives).toBe(0)
  })

  it("a signal reused for 10,000 timed-out receives has no abort listener left", async () => {
    const { signal } = new AbortController()
    setMaxListeners(PER_SIGNAL, signal)
    const [, rx] = bounded<number>(1)
    const timersBefore = timers()
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < PER_SIGNAL; i++) rx.receive({ signal, timeout: 0 }).catch(ignore)
      expect(getEventListeners(signal, "abort").length).toBe(PER_SIGNAL)
      // The timers fire on a later turn of the event loop.
      while (rx.pendingReceives > 0) await new Promise((resolve) => setTimeout(resolve, 1))
      expect(getEventListeners(signal, "abort").length).toBe(0)
    }
    expect(timers()).toBeLessThanOrEqual(timersBefore)
  })
})
