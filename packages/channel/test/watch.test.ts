/**
 * `watch` as SPEC §6 and issue 3 describe it: `send` replaces the value and
 * bumps the version; a receiver `borrow()`s the current value and
 * `changed()` waits for a version newer than the last one it saw; done (or
 * the reason) after the sender closes and the newest value was seen;
 * `clone()` shares what was seen; a watch receiver takes part in `select`.
 */

import { getEventListeners } from "node:events"
import { afterEach, describe, expect, test, vi } from "vitest"
import { bounded, ChannelClosedError, recv, select, trySelect, watch } from "../src/index.js"
import { flush, track, rejection } from "./helpers.js"

afterEach(() => {
  vi.useRealTimers()
})

describe("watch: borrow and versions", () => {
  test("borrow reads the initial value at version 0", () => {
    const [tx, rx] = watch({ level: "info" })
    expect(rx.borrow()).toEqual({ level: "info" })
    expect(tx.borrow()).toEqual({ level: "info" })
    expect([tx.version, rx.version]).toEqual([0, 0])
    expect(rx.hasChanged).toBe(false)
  })

  test("send replaces the value and bumps the version by one", () => {
    const [tx, rx] = watch(1)
    tx.send(2)
    tx.send(3)
    expect(rx.borrow()).toBe(3)
    expect(tx.version).toBe(2)
    expect(rx.version).toBe(2)
  })

  test("borrow does not mark the value seen", async () => {
    const [tx, rx] = watch(1)
    tx.send(2)
    expect(rx.borrow()).toBe(2)
    expect(rx.hasChanged).toBe(true)
    expect(await rx.changed()).toEqual({ done: false, value: 2 })
    expect(rx.hasChanged).toBe(false)
  })
})

describe("watch: changed", () => {
  test("changed waits for a newer version and resolves with it", async () => {
    const [tx, rx] = watch("a")
    const r = track(rx.changed())
    await flush()
    expect(r.status).toBe("pending")
    tx.send("b")
    await flush()
    expect(r.value).toEqual({ done: false, value: "b" })
  })

  test("a receiver that looks late sees only the newest value, once", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    tx.send(2)
    tx.send(3)
    expect(await rx.changed()).toEqual({ done: false, value: 3 })
    const again = track(rx.changed())
    await flush()
    expect(again.status).toBe("pending")
    tx.send(4)
    await flush()
    expect(again.value).toEqual({ done: false, value: 4 })
  })

  test("every receiver waiting on changed is woken by one send", async () => {
    const [tx, a] = watch(0)
    const b = tx.subscribe()
    const ra = track(a.changed())
    const rb = track(b.changed())
    await flush()
    tx.send(1)
    await flush()
    expect(ra.value).toEqual({ done: false, value: 1 })
    expect(rb.value).toEqual({ done: false, value: 1 })
  })

  test("two changed calls waiting on one receiver both settle with a result, never with an internal marker", async () => {
    const [tx, rx] = watch(0)
    const first = track(rx.changed())
    const second = track(rx.changed())
    await flush()
    tx.send(1)
    await flush()
    expect(first.value).toEqual({ done: false, value: 1 })
    // The receiver has seen version 1 now: the second call waits for a newer one.
    expect(second.status).toBe("pending")
    tx.send(2)
    await flush()
    expect(second.value).toEqual({ done: false, value: 2 })
  })

  test("subscribe makes a receiver that has seen the current version", async () => {
    const [tx] = watch(0)
    tx.send(1)
    const rx = tx.subscribe()
    expect(rx.hasChanged).toBe(false)
    expect(tx.receivers).toBe(2)
    const r = track(rx.changed())
    await flush()
    expect(r.status).toBe("pending")
    tx.send(2)
    await flush()
    expect(r.value).toEqual({ done: false, value: 2 })
  })

  test("an aborted changed rejects with the reason and marks nothing seen", async () => {
    const [tx, rx] = watch(0)
    const ac = new AbortController()
    const r = track(rx.changed({ signal: ac.signal }))
    await flush()
    ac.abort("stop")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "stop" })
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
    tx.send(1)
    expect(rx.hasChanged).toBe(true)
    expect(await rx.changed()).toEqual({ done: false, value: 1 })
  })

  test("changed with a timeout rejects with TimeoutError", async () => {
    vi.useFakeTimers()
    const [, rx] = watch(0)
    const r = track(rx.changed({ timeout: 5 }))
    await vi.advanceTimersByTimeAsync(5)
    expect(r.status).toBe("rejected")
    expect((r.error as DOMException).name).toBe("TimeoutError")
  })

  test("an already-aborted signal rejects at once and marks nothing seen", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    const ac = new AbortController()
    ac.abort("x")
    expect(await rejection(rx.changed({ signal: ac.signal }))).toBe("x")
    expect(rx.hasChanged).toBe(true)
  })

  test("async iteration yields each newer value and ends when the sender closes", async () => {
    const [tx, rx] = watch(0)
    const seen: number[] = []
    const loop = (async () => {
      for await (const v of rx) seen.push(v)
    })()
    await flush()
    tx.send(1)
    await flush()
    tx.send(2)
    await flush()
    tx.close()
    await loop
    expect(seen).toEqual([1, 2])
  })
})

describe("watch: close", () => {
  test("after close, changed yields a version not yet seen, then done", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    tx.close()
    expect(tx.state).toBe("closed")
    expect(await rx.changed()).toEqual({ done: false, value: 1 })
    expect(await rx.changed()).toEqual({ done: true, value: undefined })
    expect(rx.borrow()).toBe(1)
  })

  test("a changed waiting when the sender closes sees done", async () => {
    const [tx, rx] = watch(0)
    const r = track(rx.changed())
    await flush()
    tx.close()
    await flush()
    expect(r.value).toEqual({ done: true, value: undefined })
  })

  test("closing with a reason makes changed reject with it once the newest value was seen", async () => {
    const [tx, rx] = watch(0)
    const r = track(rx.changed())
    await flush()
    tx.close("broken")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "broken" })
    expect(await rejection(rx.changed())).toBe("broken")
  })

  test("send after close throws ChannelClosedError carrying the value", () => {
    const [tx] = watch(0)
    tx.close("r")
    let thrown: unknown
    try {
      tx.send(5)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ChannelClosedError)
    expect((thrown as ChannelClosedError<number>).value).toBe(5)
    expect((thrown as ChannelClosedError<number>).cause).toBe("r")
  })

  test("close is idempotent and the first reason stays", async () => {
    const [tx, rx] = watch(0)
    tx.close("first")
    tx.close("second")
    expect(await rejection(rx.changed())).toBe("first")
  })

  test("the sender's closed resolves when it closes", async () => {
    const [tx] = watch(0)
    const c = track(tx.closed)
    await flush()
    expect(c.status).toBe("pending")
    tx.close()
    await flush()
    expect(c.status).toBe("fulfilled")
  })

  test("the sender's closed resolves when every receiver is gone", async () => {
    const [tx, rx] = watch(0)
    const other = rx.clone()
    const c = track(tx.closed)
    rx.cancel()
    await flush()
    expect(c.status).toBe("pending")
    expect(tx.receivers).toBe(1)
    other.cancel()
    await flush()
    expect(c.status).toBe("fulfilled")
    expect(tx.receivers).toBe(0)
  })

  test("a released receiver's changed resolves done", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    rx.cancel()
    rx.cancel()
    expect(await rx.changed()).toEqual({ done: true, value: undefined })
    expect(tx.receivers).toBe(0)
  })
})

describe("watch: clone", () => {
  test("a clone has seen what the original saw, and each tracks its own versions afterwards", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    const before = rx.clone()
    expect(before.hasChanged).toBe(true)
    await rx.changed()
    const after = rx.clone()
    expect(after.hasChanged).toBe(false)
    expect(await before.changed()).toEqual({ done: false, value: 1 })
    tx.send(2)
    expect(await after.changed()).toEqual({ done: false, value: 2 })
    expect(rx.hasChanged).toBe(true)
  })

  test("cloning a released receiver throws TypeError", () => {
    const [, rx] = watch(0)
    rx.cancel()
    expect(() => rx.clone()).toThrow(TypeError)
  })
})

describe("watch in select", () => {
  test("a recv case on a watch with an unseen version completes with it and marks it seen", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: 1 } })
    expect(rx.hasChanged).toBe(false)
    expect(trySelect([recv(rx)])).toBeUndefined()
  })

  test("a waiting recv case on a watch wins on the next send and the other cases leave", async () => {
    const [tx, rx] = watch("a")
    const [, other] = bounded<string>(1)
    const r = track(select([recv(other), recv(rx)]))
    await flush()
    tx.send("b")
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: "b" } })
    expect(other.pendingReceives).toBe(0)
  })

  test("a losing recv case on a watch marks nothing seen", async () => {
    const [tx, rx] = watch(0)
    const [otx, other] = bounded<number>(1)
    const r = track(select([recv(rx), recv(other)]))
    await flush()
    otx.trySend(9)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 9 } })
    tx.send(1)
    expect(rx.hasChanged).toBe(true)
    expect(await rx.changed()).toEqual({ done: false, value: 1 })
  })

  test("a recv case on a closed watch completes with done, or rejects with the reason", async () => {
    const [tx, rx] = watch(0)
    tx.close()
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    const [tx2, rx2] = watch(0)
    tx2.close("why")
    expect(await rejection(select([recv(rx2)]))).toBe("why")
  })

  test("a recv case on a released watch receiver completes with done", async () => {
    const [tx, rx] = watch(0)
    tx.send(1)
    rx.cancel()
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })

  test("an aborted select leaves no waiter on the watch", async () => {
    const [tx, rx] = watch(0)
    const ac = new AbortController()
    const r = track(select([recv(rx)], { signal: ac.signal }))
    await flush()
    ac.abort("a")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "a" })
    tx.send(1)
    expect(rx.hasChanged).toBe(true)
  })

  test("a select and a changed call waiting on one receiver: one gets the new version, the other keeps waiting", async () => {
    const [tx, rx] = watch(0)
    const plain = track(rx.changed())
    const sel = track(select([recv(rx)]))
    await flush()
    tx.send(1)
    await flush()
    expect(plain.value).toEqual({ done: false, value: 1 })
    expect(sel.status).toBe("pending")
    tx.send(2)
    await flush()
    expect(sel.value).toEqual({ index: 0, value: { done: false, value: 2 } })
  })

  test("a select whose other case wins while its case on an already-woken receiver waits leaves nothing behind", async () => {
    const [tx, rx] = watch(0)
    const rx2 = tx.subscribe()
    const plain = track(rx.changed())
    const sel = track(select([recv(rx), recv(rx2)]))
    await flush()
    tx.send(1)
    await flush()
    expect(plain.value).toEqual({ done: false, value: 1 })
    expect(sel.value).toEqual({ index: 1, value: { done: false, value: 1 } })
    tx.send(2)
    // No stale select case may take version 2 from rx.
    expect(rx.hasChanged).toBe(true)
    expect(await rx.changed()).toEqual({ done: false, value: 2 })
  })
})
