/**
 * `oneshot` as SPEC §6 and issue 3 describe it: one value, then done; the
 * receiver is a `PromiseLike` and its receive can be aborted; the sender's
 * `closed` resolves when no value can be sent (sent, closed, or the receiver
 * is gone); a second send is refused with `TypeError`; a value given up by
 * `cancel` goes to `onDrop` once; and a oneshot receiver takes part in
 * `select`.
 */

import { getEventListeners } from "node:events"
import { afterEach, describe, expect, test, vi } from "vitest"
import { bounded, ChannelClosedError, oneshot, recv, select, trySelect, type DropReason } from "../src/index.js"
import { flush, track, rejection } from "./helpers.js"

const dispose: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose)

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe("oneshot: the value", () => {
  test("awaiting the receiver gives the value sent", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(42)
    expect(await rx).toBe(42)
  })

  test("the receiver waits until the value is sent", async () => {
    const [tx, rx] = oneshot<string>()
    const got = track(rx)
    await flush()
    expect(got.status).toBe("pending")
    tx.send("late")
    await flush()
    expect(got).toEqual({ status: "fulfilled", value: "late" })
  })

  test("receive gives the value once and done afterwards", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(1)
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
    expect(rx.state).toBe("taken")
  })

  test("undefined is a legal value", async () => {
    const [tx, rx] = oneshot<undefined>()
    tx.send(undefined)
    expect(await rx.receive()).toEqual({ done: false, value: undefined })
  })

  test("tryReceive reports empty before the send, the value after, and closed once taken", () => {
    const [tx, rx] = oneshot<number>()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    tx.send(3)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 3 })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
  })

  test("states advance empty → full → taken", async () => {
    const [tx, rx] = oneshot<number>()
    expect([tx.state, rx.state]).toEqual(["empty", "empty"])
    tx.send(1)
    expect(rx.state).toBe("full")
    await rx
    expect(tx.state).toBe("taken")
  })

  test("of two waiting receives, the first gets the value and the second sees done", async () => {
    const [tx, rx] = oneshot<number>()
    const a = track(rx.receive())
    const b = track(rx.receive())
    await flush()
    tx.send(5)
    await flush()
    expect(a.value).toEqual({ done: false, value: 5 })
    expect(b.value).toEqual({ done: true, value: undefined })
  })
})

describe("oneshot: sending", () => {
  test("a second send throws TypeError and keeps the first value", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(1)
    expect(() => tx.send(2)).toThrow(TypeError)
    expect(() => tx.trySend(3)).toThrow(TypeError)
    expect(await rx).toBe(1)
    expect(() => tx.send(4)).toThrow(TypeError)
  })

  test("trySend reports closed with the value when the receiver is gone", () => {
    const [tx, rx] = oneshot<number>()
    rx.cancel()
    expect(tx.trySend(1)).toEqual({ ok: false, reason: "closed", value: 1 })
  })

  test("send throws ChannelClosedError carrying the value and the reason when the receiver is gone", () => {
    const [tx, rx] = oneshot<number>()
    rx.cancel("bye")
    let thrown: unknown
    try {
      tx.send(7)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ChannelClosedError)
    expect((thrown as ChannelClosedError<number>).value).toBe(7)
    expect((thrown as ChannelClosedError<number>).cause).toBe("bye")
  })

  test("send after the sender closed throws ChannelClosedError", () => {
    const [tx] = oneshot<number>()
    tx.close()
    expect(() => tx.send(1)).toThrow(ChannelClosedError)
  })
})

describe("oneshot: closed", () => {
  test("the sender's closed resolves when the receiver is gone", async () => {
    const [tx, rx] = oneshot<number>()
    const closed = track(tx.closed)
    await flush()
    expect(closed.status).toBe("pending")
    rx.cancel()
    await flush()
    expect(closed.status).toBe("fulfilled")
  })

  test("the sender's closed resolves when the value is sent", async () => {
    const [tx] = oneshot<number>()
    const closed = track(tx.closed)
    tx.send(1)
    await flush()
    expect(closed.status).toBe("fulfilled")
  })

  test("the receiver's closed resolves once the value is taken, not when it is sent", async () => {
    const [tx, rx] = oneshot<number>()
    const closed = track(rx.closed)
    tx.send(1)
    await flush()
    expect(closed.status).toBe("pending")
    await rx
    await flush()
    expect(closed.status).toBe("fulfilled")
  })

  test("closing the sender without a value makes receive done and awaiting the receiver reject", async () => {
    const [tx, rx] = oneshot<number>()
    const waiting = track(rx.receive())
    await flush()
    tx.close()
    await flush()
    expect(waiting.value).toEqual({ done: true, value: undefined })
    expect(await rejection(rx)).toBeInstanceOf(ChannelClosedError)
    expect(rx.state).toBe("closed")
  })

  test("closing the sender with a reason makes receive reject with it", async () => {
    const [tx, rx] = oneshot<number>()
    tx.close("no answer")
    expect(await rejection(rx.receive())).toBe("no answer")
    expect(await rejection(rx)).toBe("no answer")
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed", error: "no answer" })
  })

  test("close after the send changes nothing", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(1)
    tx.close("late")
    expect(await rx).toBe(1)
  })

  test("disposing the sender closes it and disposing the receiver cancels it", async () => {
    const [tx, rx] = oneshot<number>()
    tx[dispose]()
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
    const [tx2, rx2] = oneshot<number>()
    rx2[dispose]()
    expect(tx2.trySend(1)).toMatchObject({ ok: false, reason: "closed" })
  })
})

describe("oneshot: cancel and onDrop", () => {
  test("cancelling the receiver with a value held passes it to onDrop once with reason cancel", () => {
    const dropped: [number, DropReason][] = []
    const [tx, rx] = oneshot<number>({ onDrop: (v, why) => dropped.push([v, why]) })
    tx.send(9)
    rx.cancel()
    rx.cancel()
    expect(dropped).toEqual([[9, "cancel"]])
    expect(rx.state).toBe("cancelled")
  })

  test("cancelling before the send or after the value was taken drops nothing", async () => {
    const dropped: number[] = []
    const [tx, rx] = oneshot<number>({ onDrop: (v) => dropped.push(v) })
    rx.cancel()
    expect(tx.trySend(1).ok).toBe(false)
    const [tx2, rx2] = oneshot<number>({ onDrop: (v) => dropped.push(v) })
    tx2.send(2)
    await rx2
    rx2.cancel()
    expect(dropped).toEqual([])
  })

  test("a throwing onDrop is reported, not thrown from cancel", () => {
    const reported: unknown[] = []
    vi.stubGlobal("reportError", (e: unknown) => void reported.push(e))
    const [tx, rx] = oneshot<number>({
      onDrop: () => {
        throw new Error("hook")
      },
    })
    tx.send(1)
    expect(() => rx.cancel()).not.toThrow()
    expect(reported.map((e) => (e as Error).message)).toEqual(["hook"])
    expect(rx.state).toBe("cancelled")
  })

  test("a receive waiting when the receiver is cancelled sees done, or the reason", async () => {
    const [, rx] = oneshot<number>()
    const a = track(rx.receive())
    await flush()
    rx.cancel()
    await flush()
    expect(a.value).toEqual({ done: true, value: undefined })
    const [, rx2] = oneshot<number>()
    const b = track(rx2.receive())
    await flush()
    rx2.cancel("r")
    await flush()
    expect(b).toEqual({ status: "rejected", error: "r" })
  })

  test("options that are not an object, or an onDrop that is not a function, throw TypeError", () => {
    expect(() => oneshot(null as never)).toThrow(TypeError)
    expect(() => oneshot({ onDrop: 1 as never })).toThrow(TypeError)
  })
})

describe("oneshot: abort and timeout", () => {
  test("an aborted receive rejects with the reason and takes nothing", async () => {
    const [tx, rx] = oneshot<number>()
    const ac = new AbortController()
    const r = track(rx.receive({ signal: ac.signal }))
    await flush()
    ac.abort("stop")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "stop" })
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
    tx.send(1)
    expect(await rx).toBe(1)
  })

  test("an already-aborted signal rejects at once even with the value there, and leaves it", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(1)
    const ac = new AbortController()
    ac.abort("x")
    expect(await rejection(rx.receive({ signal: ac.signal }))).toBe("x")
    expect(rx.state).toBe("full")
  })

  test("a receive with a timeout rejects with TimeoutError and takes nothing", async () => {
    vi.useFakeTimers()
    const [tx, rx] = oneshot<number>()
    const r = track(rx.receive({ timeout: 10 }))
    await vi.advanceTimersByTimeAsync(10)
    expect(r.status).toBe("rejected")
    expect((r.error as DOMException).name).toBe("TimeoutError")
    tx.send(2)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 2 })
  })
})

describe("oneshot in select", () => {
  test("a recv case on a oneshot with its value completes with the value", async () => {
    const [tx, rx] = oneshot<number>()
    tx.send(3)
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: 3 } })
    expect(rx.state).toBe("taken")
  })

  test("a waiting recv case on a oneshot wins when the value is sent and the other cases leave", async () => {
    const [tx, rx] = oneshot<number>()
    const [, other] = bounded<number>(1)
    const r = track(select([recv(other), recv(rx)]))
    await flush()
    tx.send(4)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 4 } })
    expect(other.pendingReceives).toBe(0)
  })

  test("a losing recv case on a oneshot leaves the value for the receiver", async () => {
    const [tx, rx] = oneshot<number>()
    const [otx, other] = bounded<number>(1)
    const r = track(select([recv(rx), recv(other)]))
    await flush()
    otx.trySend(1)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 1 } })
    tx.send(5)
    expect(await rx).toBe(5)
  })

  test("a recv case on a oneshot closed with a reason rejects the select", async () => {
    const [tx, rx] = oneshot<number>()
    tx.close("none")
    expect(await rejection(select([recv(rx)]))).toBe("none")
  })

  test("a recv case on an empty oneshot is not ready for trySelect", () => {
    const [, rx] = oneshot<number>()
    expect(trySelect([recv(rx)])).toBeUndefined()
  })

  test("an aborted select leaves no waiter on the oneshot: the next receive gets the value", async () => {
    const [tx, rx] = oneshot<number>()
    const ac = new AbortController()
    const r = track(select([recv(rx)], { signal: ac.signal }))
    await flush()
    ac.abort("a")
    tx.send(6)
    await flush()
    expect(r).toEqual({ status: "rejected", error: "a" })
    expect(await rx.receive()).toEqual({ done: false, value: 6 })
  })
})
