/**
 * `broadcast` as SPEC §6 and issue 3 describe it: every receiver gets every
 * value sent after it subscribed, each through its own buffer (one shared log
 * read at per-receiver positions; own buffers under drop-newest); `suspend`
 * waits for the slowest receiver, `drop-oldest` makes a lagging receiver skip
 * and report `{ lagged: n }`, `drop-newest` makes it miss the new value,
 * `reject` refuses the send; a value dropped for every receiver reaches
 * `onDrop` once; close / cancel as for channels; unsubscribing frees the
 * slowest; a broadcast receiver takes part in `select`.
 */

import { getEventListeners } from "node:events"
import { afterEach, describe, expect, test, vi } from "vitest"
import {
  broadcast,
  ChannelClosedError,
  ChannelFullError,
  recv,
  select,
  trySelect,
  unbounded,
  type BroadcastReceiver,
  type DropReason,
} from "../src/index.js"
import { flush, track, rejection } from "./helpers.js"

/** Everything a receiver holds now, lag reports included, in order. */
function take<T>(rx: BroadcastReceiver<T>): (T | { lagged: number })[] {
  const out: (T | { lagged: number })[] = []
  for (;;) {
    const r = rx.tryReceive()
    if (!r.ok) return out
    out.push("lagged" in r ? { lagged: r.lagged } : r.value)
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe("broadcast: options", () => {
  test("capacity is required: an integer >= 1 or Infinity", () => {
    expect(() => broadcast({} as never)).toThrow(TypeError)
    expect(() => broadcast({ capacity: 0 })).toThrow(RangeError)
    expect(() => broadcast({ capacity: 1.5 })).toThrow(RangeError)
    expect(() => broadcast({ capacity: Number.NaN })).toThrow(RangeError)
    expect(() => broadcast({ capacity: Infinity })).not.toThrow()
  })

  test("an unknown overflow policy or a non-function onDrop throws TypeError", () => {
    expect(() => broadcast({ capacity: 1, overflow: "nope" as never })).toThrow(TypeError)
    expect(() => broadcast({ capacity: 1, onDrop: 1 as never })).toThrow(TypeError)
    expect(() => broadcast(null as never)).toThrow(TypeError)
  })
})

describe("broadcast: every receiver gets every value sent after it subscribed", () => {
  test("two receivers each get every value, in order", async () => {
    const [tx, a] = broadcast<number>({ capacity: 4 })
    const b = tx.subscribe()
    await tx.send(1)
    await tx.send(2)
    expect(take(a)).toEqual([1, 2])
    expect(take(b)).toEqual([1, 2])
  })

  test("a receiver subscribed later misses what was sent before", async () => {
    const [tx, a] = broadcast<number>({ capacity: 4 })
    await tx.send(1)
    const late = tx.subscribe()
    await tx.send(2)
    expect(take(a)).toEqual([1, 2])
    expect(take(late)).toEqual([2])
  })

  test("a waiting receive gets the value directly", async () => {
    const [tx, a] = broadcast<string>({ capacity: 1 })
    const b = tx.subscribe()
    const ra = track(a.receive())
    await flush()
    await tx.send("x")
    await flush()
    expect(ra.value).toEqual({ done: false, value: "x" })
    expect(a.size).toBe(0)
    expect(b.size).toBe(1)
  })

  test("the sender reports receivers, capacity and state", () => {
    const [tx, a] = broadcast<number>({ capacity: 3 })
    const b = tx.subscribe()
    expect([tx.receivers, tx.capacity, tx.state, tx.senders]).toEqual([2, 3, "open", 1])
    b.cancel()
    a.cancel()
    expect(tx.receivers).toBe(0)
  })

  test("async iteration yields the values and ends on close", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 8 })
    await tx.send(1)
    await tx.send(2)
    tx.close()
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([1, 2])
  })
})

describe("broadcast: suspend", () => {
  test("a send waits for the slowest receiver's room", async () => {
    const [tx, fast] = broadcast<number>({ capacity: 1 })
    const slow = tx.subscribe()
    await tx.send(1)
    expect(take(fast)).toEqual([1])
    const s = track(tx.send(2))
    await flush()
    expect(s.status).toBe("pending")
    expect(tx.pendingSends).toBe(1)
    expect(tx.trySend(3)).toEqual({ ok: false, reason: "full", value: 3 })
    expect(slow.tryReceive()).toEqual({ ok: true, value: 1 })
    await flush()
    expect(s.status).toBe("fulfilled")
    expect(take(fast)).toEqual([2])
    expect(take(slow)).toEqual([2])
  })

  test("unsubscribing the slowest receiver lets a waiting send through", async () => {
    const [tx, fast] = broadcast<number>({ capacity: 1 })
    const slow = tx.subscribe()
    await tx.send(1)
    take(fast)
    const s = track(tx.send(2))
    await flush()
    expect(s.status).toBe("pending")
    slow.cancel()
    await flush()
    expect(s.status).toBe("fulfilled")
    expect(take(fast)).toEqual([2])
  })

  test("an aborted waiting send delivers nothing to any receiver", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1 })
    const b = tx.subscribe()
    await tx.send(1)
    take(a)
    const ac = new AbortController()
    const s = track(tx.send(2, { signal: ac.signal }))
    await flush()
    ac.abort("no")
    await flush()
    expect(s).toEqual({ status: "rejected", error: "no" })
    expect(tx.pendingSends).toBe(0)
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
    expect(take(b)).toEqual([1])
    expect(take(a)).toEqual([])
  })

  test("a timed-out waiting send rejects with TimeoutError and delivers nothing", async () => {
    vi.useFakeTimers()
    const [tx, a] = broadcast<number>({ capacity: 1 })
    await tx.send(1)
    const s = track(tx.send(2, { timeout: 10 }))
    await vi.advanceTimersByTimeAsync(10)
    expect((s.error as DOMException).name).toBe("TimeoutError")
    expect(take(a)).toEqual([1])
  })

  test("waiting senders are admitted in order", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1 })
    await tx.send(0)
    const s1 = track(tx.send(1))
    const s2 = track(tx.send(2))
    await flush()
    expect(a.tryReceive()).toEqual({ ok: true, value: 0 })
    await flush()
    expect([s1.status, s2.status]).toEqual(["fulfilled", "pending"])
    expect(a.tryReceive()).toEqual({ ok: true, value: 1 })
    await flush()
    expect(s2.status).toBe("fulfilled")
    expect(take(a)).toEqual([2])
  })
})

describe("broadcast: drop-oldest", () => {
  test("a lagging receiver skips its oldest values and its next receive reports how many", async () => {
    const [tx, slow] = broadcast<number>({ capacity: 2, overflow: "drop-oldest" })
    const fast = tx.subscribe()
    for (let i = 1; i <= 5; i++) {
      await tx.send(i)
      expect(fast.tryReceive()).toEqual({ ok: true, value: i })
    }
    expect(await slow.receive()).toEqual({ done: false, lagged: 3, value: undefined })
    expect(await slow.receive()).toEqual({ done: false, value: 4 })
    expect(await slow.receive()).toEqual({ done: false, value: 5 })
  })

  test("sends never wait under drop-oldest", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 1, overflow: "drop-oldest" })
    for (let i = 0; i < 10; i++) expect(tx.trySend(i)).toEqual({ ok: true })
    expect(take(rx)).toEqual([{ lagged: 9 }, 9])
  })

  test("async iteration waits for values, and a break leaves the next value in the receiver's buffer", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 8 })
    const seen: number[] = []
    const loop = (async () => {
      for await (const v of rx) {
        seen.push(v)
        if (v === 2) break
      }
    })()
    await flush()
    expect(seen).toEqual([]) // waiting
    tx.trySend(1)
    await flush()
    expect(seen).toEqual([1])
    tx.trySend(2)
    tx.trySend(3)
    await loop
    expect(seen).toEqual([1, 2])
    expect(rx.tryReceive()).toEqual({ ok: true, value: 3 })
  })

  test("async iteration rejects with the reason of a cancel", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 8 })
    const loop = (async () => {
      for await (const v of rx) void v
    })()
    await flush()
    const reason = new Error("stop")
    tx.subscribe().cancel(reason)
    expect(await rejection(loop)).toBe(reason)
  })

  test("async iteration skips lag reports", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 1, overflow: "drop-oldest" })
    tx.trySend(1)
    tx.trySend(2)
    tx.close()
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([2])
  })
})

describe("broadcast: lag accounting under random schedules", () => {
  /** A small deterministic generator, so a failing schedule replays. */
  function lcg(seed: number): () => number {
    let x = seed >>> 0
    return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32
  }

  for (const overflow of ["drop-oldest", "drop-newest"] as const) {
    test(`${overflow}: each receiver sees the values sent after it subscribed, with gaps exactly its lag reports`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const rand = lcg(seed)
        const dropped: number[] = []
        const [tx, first] = broadcast<number>({ capacity: 3, overflow, onDrop: (v) => dropped.push(v) })
        const subs = [{ rx: first, from: 0, seen: [] as number[], lagged: 0 }]
        let next = 0
        for (let step = 0; step < 300; step++) {
          const r = rand()
          if (r < 0.5) expect(tx.trySend(next++)).toEqual({ ok: true })
          else if (r < 0.55 && subs.length < 5) subs.push({ rx: tx.subscribe(), from: next, seen: [], lagged: 0 })
          else {
            const s = subs[Math.floor(rand() * subs.length)]!
            const got = s.rx.tryReceive()
            if (got.ok && "lagged" in got) s.lagged += got.lagged
            else if (got.ok) s.seen.push(got.value)
          }
        }
        tx.close()
        const got = new Set<number>()
        for (const s of subs) {
          for (const x of take(s.rx)) {
            if (typeof x === "number") s.seen.push(x)
            else s.lagged += x.lagged
          }
          // Every value sent after the subscription was either seen or counted as lagged, in order.
          expect(s.seen.length + s.lagged).toBe(next - s.from)
          for (let i = 1; i < s.seen.length; i++) expect(s.seen[i]!).toBeGreaterThan(s.seen[i - 1]!)
          if (s.seen.length > 0) expect(s.seen[0]!).toBeGreaterThanOrEqual(s.from)
          for (const v of s.seen) got.add(v)
        }
        // Ownership: a value reached onDrop exactly when no receiver got it.
        for (let v = 0; v < next; v++) expect(dropped.filter((d) => d === v).length).toBe(got.has(v) ? 0 : 1)
      }
    })
  }
})

describe("broadcast: drop-newest and reject", () => {
  test("drop-newest: a full receiver misses the new value and reports it", async () => {
    const [tx, slow] = broadcast<number>({ capacity: 1, overflow: "drop-newest" })
    const fast = tx.subscribe()
    tx.trySend(1)
    take(fast)
    expect(tx.trySend(2)).toEqual({ ok: true })
    expect(take(fast)).toEqual([2])
    expect(take(slow)).toEqual([{ lagged: 1 }, 1])
  })

  test("reject: a send while any receiver is full rejects with ChannelFullError carrying the value", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1, overflow: "reject" })
    const b = tx.subscribe()
    await tx.send(1)
    take(a)
    const error = (await rejection(tx.send(2))) as ChannelFullError<number>
    expect(error).toBeInstanceOf(ChannelFullError)
    expect(error.value).toBe(2)
    expect(tx.trySend(3)).toEqual({ ok: false, reason: "full", value: 3 })
    expect(take(a)).toEqual([])
    expect(take(b)).toEqual([1])
  })
})

describe("broadcast: onDrop", () => {
  test("a value dropped for every receiver reaches onDrop once", () => {
    const dropped: [number, DropReason][] = []
    const [tx, a] = broadcast<number>({ capacity: 1, overflow: "drop-oldest", onDrop: (v, why) => dropped.push([v, why]) })
    const b = tx.subscribe()
    tx.trySend(1)
    tx.trySend(2)
    expect(dropped).toEqual([[1, "overflow"]])
    expect(take(a)).toEqual([{ lagged: 1 }, 2])
    expect(take(b)).toEqual([{ lagged: 1 }, 2])
    expect(dropped).toEqual([[1, "overflow"]])
  })

  test("a value one receiver got and another dropped does not reach onDrop", () => {
    const dropped: number[] = []
    const [tx, a] = broadcast<number>({ capacity: 1, overflow: "drop-oldest", onDrop: (v) => dropped.push(v) })
    const b = tx.subscribe()
    tx.trySend(1)
    expect(take(a)).toEqual([1])
    tx.trySend(2)
    expect(dropped).toEqual([])
    tx.trySend(3)
    expect(dropped).toEqual([2])
    expect(take(b)).toEqual([{ lagged: 2 }, 3])
  })

  test("drop-newest: a new value every receiver missed reaches onDrop once", () => {
    const dropped: [number, DropReason][] = []
    const [tx] = broadcast<number>({ capacity: 1, overflow: "drop-newest", onDrop: (v, why) => dropped.push([v, why]) })
    tx.subscribe()
    tx.trySend(1)
    tx.trySend(2)
    tx.trySend(3)
    expect(dropped).toEqual([
      [2, "overflow"],
      [3, "overflow"],
    ])
  })

  test("cancelling the broadcast passes each undelivered value to onDrop once with reason cancel", () => {
    const dropped: [number, DropReason][] = []
    const [tx, a] = broadcast<number>({ capacity: 4, onDrop: (v, why) => dropped.push([v, why]) })
    const b = tx.subscribe()
    tx.trySend(1)
    tx.trySend(2)
    expect(a.tryReceive()).toEqual({ ok: true, value: 1 })
    b.cancel("stop")
    expect(dropped).toEqual([[2, "cancel"]])
  })

  test("unsubscribing the only holder of a value passes it to onDrop with reason cancel", () => {
    const dropped: [number, DropReason][] = []
    const [tx, a] = broadcast<number>({ capacity: 4, onDrop: (v, why) => dropped.push([v, why]) })
    const b = tx.subscribe()
    tx.trySend(1)
    take(a)
    b.cancel()
    expect(dropped).toEqual([])
    tx.trySend(2)
    a.cancel()
    expect(dropped).toEqual([[2, "cancel"]])
  })

  test("a value sent while nobody subscribed is accepted and reaches onDrop", () => {
    const dropped: number[] = []
    const [tx, a] = broadcast<number>({ capacity: 1, onDrop: (v) => dropped.push(v) })
    a.cancel()
    expect(tx.trySend(1)).toEqual({ ok: true })
    expect(dropped).toEqual([1])
  })
})

describe("broadcast: close and cancel", () => {
  test("after close each receiver still gets its buffered values, then done; closing until every receiver drained", async () => {
    const [tx, a] = broadcast<number>({ capacity: 4 })
    const b = tx.subscribe()
    await tx.send(1)
    tx.close()
    expect(tx.state).toBe("closing")
    expect(await a.receive()).toEqual({ done: false, value: 1 })
    expect(await a.receive()).toEqual({ done: true, value: undefined })
    expect(tx.state).toBe("closing") // b still holds 1
    expect(await b.receive()).toEqual({ done: false, value: 1 })
    expect(tx.state).toBe("closed")
    expect(await b.receive()).toEqual({ done: true, value: undefined })
  })

  test("a cancel after close discards what remains: onDrop gets it and receivers see the cancel's reason (SPEC §3)", async () => {
    const dropped: [number, DropReason][] = []
    const [tx, a] = broadcast<number>({ capacity: 4, onDrop: (v, r) => void dropped.push([v, r]) })
    const b = tx.subscribe()
    tx.trySend(1)
    tx.trySend(2)
    tx.close()
    expect(a.tryReceiveMany()).toEqual([1, 2]) // a drained: 1 and 2 were delivered
    tx.trySend(3) // refused: closed
    b.cancel("stop") // cancels the broadcast while b's values remain
    expect(tx.state).toBe("cancelled")
    expect(dropped).toEqual([]) // a got 1 and 2: nothing is undelivered
    expect(await rejection(a.receive())).toBe("stop")
    const [tx2, c] = broadcast<number>({ capacity: 4, onDrop: (v, r) => void dropped.push([v, r]) })
    const d = tx2.subscribe()
    tx2.trySend(7)
    tx2.close()
    d.cancel("halt")
    expect(dropped).toEqual([[7, "cancel"]]) // nobody read 7
    expect(await rejection(c.receive())).toBe("halt")
  })

  test("once every receiver drained after close, the broadcast is closed and a cancel changes nothing", async () => {
    const [tx, a] = broadcast<number>({ capacity: 4, overflow: "drop-newest" })
    tx.trySend(1)
    tx.close()
    expect(tx.state).toBe("closing")
    expect(a.tryReceive()).toEqual({ ok: true, value: 1 })
    expect(tx.state).toBe("closed")
    const late = tx.subscribe()
    late.cancel("too late")
    expect(tx.state).toBe("closed")
    expect(await a.receive()).toEqual({ done: true, value: undefined })
  })

  test("after close with a reason, receivers see the reason once drained", async () => {
    const [tx, a] = broadcast<number>({ capacity: 4 })
    await tx.send(1)
    const waiting = tx.subscribe()
    const w = track(waiting.receive())
    await flush()
    tx.close("end")
    await flush()
    expect(w).toEqual({ status: "rejected", error: "end" })
    expect(await a.receive()).toEqual({ done: false, value: 1 })
    expect(await rejection(a.receive())).toBe("end")
  })

  test("a send after close rejects with ChannelClosedError carrying the value", async () => {
    const [tx] = broadcast<number>({ capacity: 1 })
    const tx2 = tx.clone()
    tx.close()
    expect(tx.state).toBe("open")
    expect((await rejection(tx.send(1))) as ChannelClosedError<number>).toBeInstanceOf(ChannelClosedError)
    expect(tx.trySend(2)).toEqual({ ok: false, reason: "closed", value: 2 })
    tx2.close()
    expect(tx2.state).toBe("closed")
    expect(((await rejection(tx2.send(3))) as ChannelClosedError<number>).value).toBe(3)
  })

  test("a sender waiting at close stays waiting and is admitted as room appears", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1 })
    await tx.send(1)
    const s = track(tx.send(2))
    await flush()
    tx.close()
    expect(tx.state).toBe("closing")
    expect(await a.receive()).toEqual({ done: false, value: 1 })
    await flush()
    expect(s.status).toBe("fulfilled")
    expect(tx.state).toBe("closing") // 2 is still buffered
    expect(await a.receive()).toEqual({ done: false, value: 2 })
    expect(tx.state).toBe("closed")
    expect(await a.receive()).toEqual({ done: true, value: undefined })
  })

  test("cancel with a reason discards buffers, refuses waiting senders and rejects receivers", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1 })
    const b = tx.subscribe()
    await tx.send(1)
    const s = track(tx.send(2))
    await flush()
    a.cancel("boom")
    await flush()
    expect(tx.state).toBe("cancelled")
    expect(s.status).toBe("rejected")
    expect((s.error as ChannelClosedError<number>).value).toBe(2)
    expect((s.error as ChannelClosedError<number>).cause).toBe("boom")
    expect(await rejection(b.receive())).toBe("boom")
    expect(b.size).toBe(0)
  })

  test("the sender's closed resolves on close; a receiver's closed once it is drained", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    const txc = track(tx.closed)
    const rxc = track(a.closed)
    await tx.send(1)
    tx.close()
    await flush()
    expect(txc.status).toBe("fulfilled")
    expect(rxc.status).toBe("pending")
    await a.receive()
    await flush()
    expect(rxc.status).toBe("fulfilled")
  })

  test("an unsubscribed receiver's receive resolves done", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    await tx.send(1)
    const w = track(tx.subscribe().receive())
    a.cancel()
    a.cancel()
    expect(await a.receive()).toEqual({ done: true, value: undefined })
    expect(w.status).toBe("pending")
  })

  test("a receiver subscribed after the broadcast closed is done at once", async () => {
    const [tx] = broadcast<number>({ capacity: 2 })
    tx.close()
    expect(await tx.subscribe().receive()).toEqual({ done: true, value: undefined })
  })

  test("an aborted receive takes nothing", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    const ac = new AbortController()
    const r = track(a.receive({ signal: ac.signal }))
    await flush()
    ac.abort("x")
    await tx.send(1)
    await flush()
    expect(r).toEqual({ status: "rejected", error: "x" })
    expect(take(a)).toEqual([1])
  })
})

describe("broadcast in select", () => {
  test("a recv case on a broadcast receiver with a buffered value completes with it", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    await tx.send(1)
    expect(await select([recv(a)])).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  test("a lag report is a ready result for a recv case", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1, overflow: "drop-oldest" })
    tx.trySend(1)
    tx.trySend(2)
    expect(trySelect([recv(a)])).toEqual({ index: 0, value: { done: false, lagged: 1, value: undefined } })
  })

  test("two recv cases on receivers of one broadcast: one wins and the other receiver keeps the value", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    const b = tx.subscribe()
    const r = track(select([recv(a), recv(b)]))
    await flush()
    await tx.send(7)
    await flush()
    expect(r.value?.value).toEqual({ done: false, value: 7 })
    const other = r.value?.index === 0 ? b : a
    const winner = r.value?.index === 0 ? a : b
    expect(take(other)).toEqual([7])
    expect(take(winner)).toEqual([])
  })

  test("a waiting recv case on a broadcast leaves when another case wins", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    const [otx, other] = unbounded<number>()
    const r = track(select([recv(a), recv(other)]))
    await flush()
    otx.trySend(1)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 1 } })
    await tx.send(2)
    expect(take(a)).toEqual([2])
  })

  test("a recv case on a closed broadcast completes with done, or rejects with the reason", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    tx.close()
    expect(await select([recv(a)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    const [tx2, b] = broadcast<number>({ capacity: 2 })
    tx2.close("r")
    expect(await rejection(select([recv(b)]))).toBe("r")
  })

  test("a recv case on an unsubscribed receiver completes with done", async () => {
    const [, a] = broadcast<number>({ capacity: 2 })
    a.cancel()
    expect(await select([recv(a)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })
})

describe("broadcast batch receives", () => {
  test("tryReceiveMany takes what this receiver has buffered, in order, up to max", async () => {
    const [tx, a] = broadcast<number>({ capacity: 8 })
    const b = tx.subscribe()
    for (let i = 0; i < 5; i++) await tx.send(i)
    expect(a.tryReceiveMany(3)).toEqual([0, 1, 2])
    expect(a.tryReceiveMany()).toEqual([3, 4])
    expect(a.tryReceiveMany()).toEqual([])
    expect(b.tryReceiveMany()).toEqual([0, 1, 2, 3, 4])
  })

  test("draining a full buffer admits waiting senders, and the batch goes on with their values", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 2 })
    await tx.send(1)
    await tx.send(2)
    const third = tx.send(3)
    expect(tx.pendingSends).toBe(1)
    expect(rx.tryReceiveMany(10)).toEqual([1, 2, 3])
    await third
    expect(tx.pendingSends).toBe(0)
  })

  test("receiveMany waits for a value, then tops the batch up with what arrived meanwhile", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 16 })
    const batch = rx.receiveMany(10)
    await Promise.resolve()
    let settled = false
    void batch.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    for (let i = 0; i < 4; i++) tx.trySend(i)
    expect(await batch).toEqual([0, 1, 2, 3])
  })

  test("receiveMany resolves [] when done and rejects with the close reason", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 4 })
    const other = tx.subscribe()
    tx.trySend(1)
    tx.close()
    expect(await rx.receiveMany(5)).toEqual([1])
    expect(await rx.receiveMany(5)).toEqual([])
    const [tx2, rx2] = broadcast<number>({ capacity: 4 })
    tx2.close("stop")
    await expect(rx2.receiveMany(5)).rejects.toBe("stop")
    other.cancel()
  })

  test("a batch carries values only: lag is counted in missed", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 2, overflow: "drop-oldest" })
    for (let i = 0; i < 5; i++) await tx.send(i)
    expect(rx.missed).toBe(3)
    expect(rx.tryReceiveMany()).toEqual([3, 4])
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    expect(rx.missed).toBe(3)
  })

  test("a value taken in a batch is delivered: onDrop hears only values no receiver took", async () => {
    const drops: number[] = []
    const [tx, a] = broadcast<number>({ capacity: 4, onDrop: (v) => drops.push(v) })
    const b = tx.subscribe()
    for (let i = 0; i < 3; i++) await tx.send(i)
    expect(a.tryReceiveMany(2)).toEqual([0, 1])
    b.cancel()
    a.cancel()
    expect(drops).toEqual([2])
  })

  test("bad max is refused like the channel's", async () => {
    const [, rx] = broadcast<number>({ capacity: 1 })
    expect(() => rx.tryReceiveMany(0)).toThrow(RangeError)
    await expect(rx.receiveMany(0.5)).rejects.toThrow(RangeError)
  })
})

describe("broadcast: the shared log and pacing", () => {
  test("a receive woken by a send settles after the sender's continuation, so await-per-value loops do not run in lock-step", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 4 })
    const events: string[] = []
    const received = rx.receive().then((r) => void events.push(`received ${r.value}`))
    await flush()
    expect(events).toEqual([]) // parked
    const sender = (async () => {
      await tx.send(1)
      events.push("sender resumed")
    })()
    await Promise.all([received, sender])
    // The value was the receiver's at the send (it is not in the buffer) ...
    expect(rx.size).toBe(0)
    // ... but the sender ran on first, so a loop sending again finds the receiver one value behind.
    expect(events).toEqual(["sender resumed", "received 1"])
  })

  test("a value handed to a waiting receive is the receiver's at once: an abort after the send changes nothing", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 4 })
    const ac = new AbortController()
    const got = track(rx.receive({ signal: ac.signal }))
    await flush()
    tx.trySend(7)
    ac.abort(new Error("too late"))
    await flush()
    expect(got).toEqual({ status: "fulfilled", value: { done: false, value: 7 } })
    expect(rx.size).toBe(0)
  })

  test("receivers at different positions read one log: each gets its values in order, and the slowest bounds the sender", async () => {
    const [tx, a] = broadcast<number>({ capacity: 3 })
    const b = tx.subscribe()
    for (let i = 1; i <= 3; i++) expect(tx.trySend(i).ok).toBe(true)
    expect(a.tryReceiveMany(2)).toEqual([1, 2])
    expect(tx.trySend(4).ok).toBe(false) // b still holds 3 values
    expect(b.tryReceiveMany(1)).toEqual([1])
    expect(tx.trySend(4).ok).toBe(true)
    const c = tx.subscribe() // sees only what is sent from now on
    expect(tx.trySend(5).ok).toBe(false) // b is full again: 2, 3, 4
    expect([a.size, b.size, c.size]).toEqual([2, 3, 0])
    b.cancel() // the slowest leaves: room for everyone else
    expect(tx.trySend(5).ok).toBe(true)
    expect(a.tryReceiveMany()).toEqual([3, 4, 5])
    expect(c.tryReceiveMany()).toEqual([5])
  })

  test("under drop-oldest a receiver that fell a whole lap behind reports the exact lag, then reads on", () => {
    const [tx, slow] = broadcast<number>({ capacity: 4, overflow: "drop-oldest" })
    const fast = tx.subscribe()
    for (let i = 1; i <= 1000; i++) {
      tx.trySend(i)
      expect(fast.tryReceive()).toEqual({ ok: true, value: i })
    }
    expect(slow.missed).toBe(996)
    expect(take(slow)).toEqual([{ lagged: 996 }, 997, 998, 999, 1000])
    expect(fast.missed).toBe(0)
  })
})

describe("broadcast: wake-ups per burst", () => {
  test("a sender admitted by a drain runs on before the receive its value wakes, so that receive's batch holds the sender's next values too", async () => {
    const [tx, a] = broadcast<number>({ capacity: 2 })
    const b = tx.subscribe()
    tx.trySend(1)
    tx.trySend(2)
    expect(a.tryReceiveMany()).toEqual([1, 2]) // a is empty, b is full
    const batch = a.receiveMany(10)
    const sender = (async () => {
      await tx.send(3) // waits: b is full
      expect(tx.trySend(4).ok).toBe(true)
    })()
    await flush()
    expect(tx.pendingSends).toBe(1)
    expect(b.tryReceiveMany()).toEqual([1, 2, 3]) // room: 3 is admitted (and handed to a's waiting batch)
    await sender
    expect(await batch).toEqual([3, 4])
    expect(b.tryReceiveMany()).toEqual([4])
  })

  test("a waiting receiveMany that is aborted after its value was handed over still gets it", async () => {
    const [tx, rx] = broadcast<number>({ capacity: 4 })
    const ac = new AbortController()
    const batch = track(rx.receiveMany(10, { signal: ac.signal }))
    await flush()
    tx.trySend(1)
    ac.abort(new Error("late"))
    await flush()
    expect(batch).toEqual({ status: "fulfilled", value: [1] })
  })
})

describe("broadcast: room made while waking receivers", () => {
  // A receiver woken by a send reads from the log; that read can make room for
  // waiting senders. Admitting them inside the wake-up pass once handed the
  // same waiting receive a second value and lost the first (found in review).
  test("an unsubscribe that admits two waiting senders hands each waiting receive one value, in order", async () => {
    const dropped: number[] = []
    const [tx, a] = broadcast<number>({ capacity: 1, onDrop: (v) => void dropped.push(v) })
    const b = tx.subscribe()
    const p1 = track(b.receive())
    const p2 = track(b.receive())
    const p3 = track(b.receive())
    tx.trySend(1)
    const s2 = track(tx.send(2)) // a is full: waits
    const s3 = track(tx.send(3))
    a.cancel() // room: 2 is admitted, then 3
    await flush()
    expect([s2.status, s3.status]).toEqual(["fulfilled", "fulfilled"])
    expect([p1.value, p2.value, p3.value]).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
    ])
    expect(dropped).toEqual([])
  })

  test("a waiting select over a receiver takes one value when senders are admitted during its wake-up; the next stays buffered", async () => {
    const [tx, a] = broadcast<number>({ capacity: 1 })
    const b = tx.subscribe()
    tx.trySend(1)
    expect(b.tryReceive()).toEqual({ ok: true, value: 1 })
    const chosen = track(select([recv(b), recv(b)]))
    const s2 = track(tx.send(2))
    const s3 = track(tx.send(3))
    a.cancel()
    await flush()
    expect([s2.status, s3.status]).toEqual(["fulfilled", "fulfilled"])
    expect((chosen.value as { value: unknown }).value).toEqual({ done: false, value: 2 })
    expect(b.tryReceive()).toEqual({ ok: true, value: 3 })
  })
})

describe("broadcast: settlement order", () => {
  test("a receive that completes at once settles behind an earlier receive's deferred hand-off", async () => {
    const [tx, rx] = broadcast<string>({ capacity: 4 })
    const log: string[] = []
    const p1 = rx.receive().then((r) => void log.push(`p1 ${r.value}`))
    await flush()
    tx.trySend("a") // handed to p1, settles a microtask later
    tx.trySend("b")
    const p2 = rx.receive().then((r) => void log.push(`p2 ${r.value}`)) // takes b at once
    const p3 = rx.receiveMany(4).then((xs) => void log.push(`p3 ${xs.join()}`)) // nothing left: waits
    tx.trySend("c")
    await Promise.all([p1, p2, p3])
    expect(log).toEqual(["p1 a", "p2 b", "p3 c"])
  })

  test("the end and rx.closed settle after the last value", async () => {
    const [tx, rx] = broadcast<string>({ capacity: 4 })
    const log: unknown[] = []
    const p1 = rx.receive().then((r) => void log.push(r))
    const p2 = rx.receive().then((r) => void log.push(r))
    const closed = rx.closed.then(() => void log.push("rx.closed"))
    await flush()
    tx.trySend("last") // handed to p1, deferred
    tx.close() // p2 gets the end
    const p3 = rx.receive().then((r) => void log.push(r)) // done at once
    await Promise.all([p1, p2, p3, closed])
    expect(log).toEqual([
      { done: false, value: "last" },
      { done: true, value: undefined },
      { done: true, value: undefined },
      "rx.closed",
    ])
  })
})
