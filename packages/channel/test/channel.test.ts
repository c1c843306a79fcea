/**
 * The channel as SPEC §1, §3 and §4 describe it, through the public API only:
 * options, hand-off and order, weighted capacity, overflow policies and drops,
 * handle counting, close and cancel, receive shapes, iteration, `closed`,
 * `stats` and `sendAll`. Abort and timeout behaviour is in wait.test.ts.
 */

import { afterEach, describe, expect, test, vi } from "vitest"
import {
  bounded,
  channel,
  ChannelClosedError,
  ChannelFullError,
  dropping,
  rendezvous,
  select,
  send,
  sliding,
  unbounded,
  type ChannelOptions,
  type DropReason,
  type Receiver,
  type Sender,
} from "../src/index.js"
import { flush, track, rejection } from "./helpers.js"

// Node 20 has no Symbol.dispose; the handles fall back to the well-known symbol TypeScript's `using` uses.
const dispose: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose)

/** A recorder for onDrop. */
function drops<T>(): { log: [T, DropReason][]; onDrop: (value: T, reason: DropReason) => void } {
  const log: [T, DropReason][] = []
  return { log, onDrop: (value, reason) => void log.push([value, reason]) }
}

const length = (s: string): number => s.length

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

// ---------------------------------------------------------------- options

describe("channel options", () => {
  test("defaults make an open rendezvous channel with one handle of each kind", () => {
    const [tx, rx] = channel<number>()
    expect([tx.capacity, tx.size, tx.state, tx.senders, tx.receivers]).toEqual([0, 0, "open", 1, 1])
    expect(tx.trySend(1)).toEqual({ ok: false, reason: "full", value: 1 })
    expect(rx.capacity).toBe(0)
  })

  test("options that are not an object throw TypeError", () => {
    for (const bad of [null, 5, "x", true]) {
      expect(() => channel(bad as unknown as ChannelOptions<number>)).toThrow(TypeError)
    }
  })

  test("a capacity that is not a number throws TypeError", () => {
    for (const bad of ["1", null, 1n, {}]) {
      expect(() => channel({ capacity: bad as unknown as number })).toThrow(TypeError)
    }
  })

  test("a negative, fractional or NaN capacity throws RangeError", () => {
    for (const bad of [-1, -Infinity, 1.5, 0.1, Number.NaN]) {
      expect(() => channel({ capacity: bad })).toThrow(RangeError)
    }
  })

  test("capacity Infinity and large integers are accepted", () => {
    expect(channel({ capacity: Infinity })[0].capacity).toBe(Infinity)
    expect(channel({ capacity: 2 ** 40 })[0].capacity).toBe(2 ** 40)
  })

  test("an unknown or non-string overflow policy throws TypeError", () => {
    for (const bad of ["drop", "SUSPEND", "", 1, null]) {
      expect(() => channel({ capacity: 1, overflow: bad as unknown as "suspend" })).toThrow(TypeError)
    }
  })

  test("size and onDrop that are not functions throw TypeError", () => {
    expect(() => channel({ capacity: 1, size: 1 as unknown as () => number })).toThrow(TypeError)
    expect(() => channel({ capacity: 1, onDrop: "log" as unknown as () => void })).toThrow(TypeError)
  })

  test("drop-newest and drop-oldest at capacity 0 throw RangeError", () => {
    expect(() => channel({ capacity: 0, overflow: "drop-newest" })).toThrow(RangeError)
    expect(() => channel({ capacity: 0, overflow: "drop-oldest" })).toThrow(RangeError)
  })

  test("size with capacity 0 throws RangeError", () => {
    expect(() => channel<string>({ capacity: 0, size: length })).toThrow(RangeError)
  })

  test("reject at capacity 0 is allowed", () => {
    const [tx] = channel<number>({ capacity: 0, overflow: "reject" })
    expect(tx.capacity).toBe(0)
  })

  test("factories refuse nonsense capacities like channel does", () => {
    expect(() => bounded(-1)).toThrow(RangeError)
    expect(() => bounded(1.5)).toThrow(RangeError)
    expect(() => bounded("2" as unknown as number)).toThrow(TypeError)
    expect(() => dropping(0)).toThrow(RangeError)
    expect(() => sliding(0)).toThrow(RangeError)
    expect(() => dropping(Number.NaN)).toThrow(RangeError)
  })

  test("factories fix capacity and overflow", () => {
    expect(unbounded<number>()[0].capacity).toBe(Infinity)
    expect(rendezvous<number>()[0].capacity).toBe(0)
    expect(bounded<number>(3)[0].capacity).toBe(3)
    const [dtx, drx] = dropping<number>(1)
    dtx.trySend(1)
    dtx.trySend(2)
    expect(drx.tryReceiveMany()).toEqual([1])
    const [stx, srx] = sliding<number>(1)
    stx.trySend(1)
    stx.trySend(2)
    expect(srx.tryReceiveMany()).toEqual([2])
  })

  test("receiveMany with max below 1 returns a promise rejected with RangeError", async () => {
    const [, rx] = unbounded<number>()
    for (const bad of [0, -1, Number.NaN, 0.5]) {
      let p: Promise<number[]> | undefined
      expect(() => (p = rx.receiveMany(bad))).not.toThrow()
      expect(await rejection(p!)).toBeInstanceOf(RangeError)
    }
  })

  test("receiveMany with a fractional max or a max of the wrong type is refused", async () => {
    const [, rx] = unbounded<number>()
    expect(await rejection(rx.receiveMany(1.5))).toBeInstanceOf(RangeError)
    expect(await rejection(rx.receiveMany("2" as unknown as number))).toBeInstanceOf(TypeError)
  })

  test("a size() result that is not a finite number >= 0 rejects the send and leaves nothing behind", async () => {
    const [tx, rx] = bounded<number>(10, { size: (v) => v })
    expect(await rejection(tx.send(-1))).toBeInstanceOf(RangeError)
    expect(await rejection(tx.send(Number.NaN))).toBeInstanceOf(RangeError)
    expect(await rejection(tx.send(Infinity))).toBeInstanceOf(RangeError)
    expect([rx.size, tx.stats.sent, rx.state]).toEqual([0, 0, "open"])
  })
})

// ---------------------------------------------------------------- hand-off and order

describe("rendezvous hand-off", () => {
  test("a send waits until a receiver takes the value", async () => {
    const [tx, rx] = rendezvous<string>()
    const sent = track(tx.send("a"))
    await flush()
    expect(sent.status).toBe("pending")
    expect([tx.pendingSends, tx.size]).toEqual([1, 0])
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await flush()
    expect(sent.status).toBe("fulfilled")
    expect(tx.pendingSends).toBe(0)
  })

  test("a receive waits until a sender arrives, and that send resolves at once", async () => {
    const [tx, rx] = rendezvous<string>()
    const got = track(rx.receive())
    await flush()
    expect(got.status).toBe("pending")
    expect(rx.pendingReceives).toBe(1)
    await tx.send("a")
    await flush()
    expect(got.value).toEqual({ done: false, value: "a" })
    expect(rx.pendingReceives).toBe(0)
  })

  test("tryReceive takes the value of a waiting sender and completes its send", async () => {
    const [tx, rx] = rendezvous<string>()
    const sent = track(tx.send("a"))
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
    await flush()
    expect(sent.status).toBe("fulfilled")
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("trySend succeeds only when a receiver is waiting", async () => {
    const [tx, rx] = rendezvous<string>()
    expect(tx.trySend("a")).toEqual({ ok: false, reason: "full", value: "a" })
    const got = rx.receive()
    expect(tx.trySend("b")).toEqual({ ok: true })
    expect(await got).toEqual({ done: false, value: "b" })
  })

  test("undefined is a value like any other", async () => {
    const [tx, rx] = rendezvous<undefined>()
    const got = rx.receive()
    await tx.send(undefined)
    expect(await got).toEqual({ done: false, value: undefined })
  })
})

describe("order", () => {
  test("values are received in the order they were accepted", async () => {
    const [tx, rx] = bounded<number>(3)
    await tx.send(1)
    tx.trySend(2)
    await tx.send(3)
    expect(rx.tryReceiveMany()).toEqual([1, 2, 3])
  })

  test("waiting senders are admitted first come, first served", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const admitted: string[] = []
    for (const v of ["b", "c", "d"]) void tx.send(v).then(() => admitted.push(v))
    expect(tx.pendingSends).toBe(3)
    const got: string[] = []
    for (let i = 0; i < 4; i++) got.push(((await rx.receive()) as { value: string }).value)
    expect(got).toEqual(["a", "b", "c", "d"])
    await flush()
    expect(admitted).toEqual(["b", "c", "d"])
  })

  test("waiting receivers are served first come, first served", async () => {
    const [tx, rx] = unbounded<string>()
    const rx2 = rx.clone()
    const order: string[] = []
    void rx.receive().then((r) => order.push(`1:${String(r.value)}`))
    void rx2.receive().then((r) => order.push(`2:${String(r.value)}`))
    void rx.receive().then((r) => order.push(`3:${String(r.value)}`))
    expect(rx.pendingReceives).toBe(3)
    tx.trySend("a")
    tx.trySend("b")
    tx.trySend("c")
    await flush()
    expect(order).toEqual(["1:a", "2:b", "3:c"])
  })

  test("many producers interleave in acceptance order", () => {
    const [tx, rx] = unbounded<string>()
    const tx2 = tx.clone()
    tx.trySend("a1")
    tx2.trySend("b1")
    tx.trySend("a2")
    tx2.trySend("b2")
    expect(rx.tryReceiveMany()).toEqual(["a1", "b1", "a2", "b2"])
  })
})

// ---------------------------------------------------------------- weighted capacity

describe("weighted size", () => {
  test("size reports buffered weight, not the number of values", () => {
    const [tx, rx] = bounded<string>(10, { size: length })
    tx.trySend("abc")
    tx.trySend("de")
    expect(tx.size).toBe(5)
    rx.tryReceive()
    expect(rx.size).toBe(2)
  })

  test("a value heavier than capacity passes alone when the buffer is empty", async () => {
    const [tx, rx] = bounded<string>(5, { size: length })
    await tx.send("xxxxxxxx")
    expect(tx.size).toBe(8)
    expect(tx.trySend("y")).toEqual({ ok: false, reason: "full", value: "y" })
    expect(rx.tryReceive()).toEqual({ ok: true, value: "xxxxxxxx" })
    expect(tx.trySend("y")).toEqual({ ok: true })
  })

  test("a heavy waiting sender is admitted alone once the buffer empties", async () => {
    const [tx, rx] = bounded<string>(5, { size: length })
    tx.trySend("a")
    const heavy = track(tx.send("zzzzzzzzz"))
    await flush()
    expect(heavy.status).toBe("pending")
    rx.tryReceive()
    await flush()
    expect(heavy.status).toBe("fulfilled")
    expect(tx.size).toBe(9)
  })

  test("a light value never overtakes a heavier one waiting before it", async () => {
    const [tx, rx] = bounded<string>(5, { size: length })
    tx.trySend("aaaa")
    const admitted: string[] = []
    void tx.send("bbb").then(() => admitted.push("bbb"))
    void tx.send("c").then(() => admitted.push("c"))
    expect(tx.trySend("d")).toEqual({ ok: false, reason: "full", value: "d" })
    await flush()
    expect(admitted).toEqual([])
    expect(tx.pendingSends).toBe(2)
    expect(rx.tryReceive()).toEqual({ ok: true, value: "aaaa" })
    await flush()
    expect(admitted).toEqual(["bbb", "c"])
    expect(rx.tryReceiveMany()).toEqual(["bbb", "c"])
  })

  test("waiting senders are admitted in order only while the next one fits", async () => {
    const [tx, rx] = bounded<string>(5, { size: length })
    tx.trySend("aaa")
    tx.trySend("bb")
    void tx.send("cccc")
    void tx.send("d")
    rx.tryReceive() // load 2: "cccc" does not fit, so "d" waits behind it
    expect([tx.size, tx.pendingSends]).toEqual([2, 2])
    rx.tryReceive() // empty: "cccc" then "d" fit
    expect([tx.size, tx.pendingSends]).toEqual([5, 0])
    expect(rx.tryReceiveMany()).toEqual(["cccc", "d"])
  })

  test("drop-oldest evicts as many of the oldest as the new value needs", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = sliding<string>(5, { size: length, onDrop })
    tx.trySend("aa")
    tx.trySend("bb")
    tx.trySend("c")
    expect(tx.trySend("dddd")).toEqual({ ok: true })
    expect(log).toEqual([
      ["aa", "overflow"],
      ["bb", "overflow"],
    ])
    expect(rx.size).toBe(5)
    expect(rx.tryReceiveMany()).toEqual(["c", "dddd"])
  })

  test("drop-oldest with a value heavier than capacity evicts everything and keeps it alone", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = sliding<string>(5, { size: length, onDrop })
    tx.trySend("aa")
    tx.trySend("bb")
    tx.trySend("xxxxxxx")
    expect(log.map(([v]) => v)).toEqual(["aa", "bb"])
    expect(rx.tryReceiveMany()).toEqual(["xxxxxxx"])
  })

  test("drop-newest drops the new value if it does not fit, and keeps one that does", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = dropping<string>(5, { size: length, onDrop })
    tx.trySend("aaaa")
    expect(tx.trySend("bb")).toEqual({ ok: true })
    expect(tx.trySend("a")).toEqual({ ok: true })
    expect(log).toEqual([["bb", "overflow"]])
    expect(rx.tryReceiveMany()).toEqual(["aaaa", "a"])
  })

  test("drop-newest lets a heavy value into an empty buffer", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = dropping<string>(2, { size: length, onDrop })
    tx.trySend("xxxxx")
    expect(log).toEqual([])
    expect(rx.tryReceiveMany()).toEqual(["xxxxx"])
  })
  test("reject with weights refuses a value that does not fit, and lets a heavy one into an empty buffer", async () => {
    const [tx, rx] = channel<string>({ capacity: 3, overflow: "reject", size: length })
    await tx.send("xxxxx")
    const error = await rejection(tx.send("y"))
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError<string>).value).toBe("y")
    expect(rx.tryReceiveMany()).toEqual(["xxxxx"])
    await tx.send("yy")
    expect(tx.trySend("zz")).toEqual({ ok: false, reason: "full", value: "zz" })
    expect(tx.trySend("z")).toEqual({ ok: true })
  })
})

// ---------------------------------------------------------------- overflow

describe("overflow policies", () => {
  test("suspend: send waits for room and trySend reports full with the value", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = bounded<number>(1, { onDrop })
    await tx.send(1)
    const second = track(tx.send(2))
    expect(tx.trySend(3)).toEqual({ ok: false, reason: "full", value: 3 })
    await flush()
    expect(second.status).toBe("pending")
    rx.tryReceive()
    await flush()
    expect(second.status).toBe("fulfilled")
    expect(rx.tryReceiveMany()).toEqual([2])
    expect(log).toEqual([])
  })

  test("drop-newest: send resolves at once and the new value is dropped", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = dropping<number>(1, { onDrop })
    await tx.send(1)
    await tx.send(2)
    expect(log).toEqual([[2, "overflow"]])
    expect(rx.tryReceiveMany()).toEqual([1])
  })

  test("drop-newest: trySend reports ok and the new value is dropped", () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = dropping<number>(1, { onDrop })
    tx.trySend(1)
    expect(tx.trySend(2)).toEqual({ ok: true })
    expect(log).toEqual([[2, "overflow"]])
    expect(rx.tryReceiveMany()).toEqual([1])
  })

  test("drop-oldest: send resolves at once and the oldest value is evicted", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = sliding<number>(2, { onDrop })
    await tx.send(1)
    await tx.send(2)
    await tx.send(3)
    expect(log).toEqual([[1, "overflow"]])
    expect(rx.tryReceiveMany()).toEqual([2, 3])
  })

  test("drop-oldest: trySend reports ok and the oldest value is evicted", () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = sliding<number>(2, { onDrop })
    tx.trySend(1)
    tx.trySend(2)
    expect(tx.trySend(3)).toEqual({ ok: true })
    expect(tx.trySend(4)).toEqual({ ok: true })
    expect(log).toEqual([
      [1, "overflow"],
      [2, "overflow"],
    ])
    expect(rx.tryReceiveMany()).toEqual([3, 4])
  })

  test("reject: send rejects with ChannelFullError carrying the value and keeps the buffer", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "reject", onDrop })
    await tx.send(1)
    const error = await rejection(tx.send(2))
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError<number>).value).toBe(2)
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceiveMany()).toEqual([1])
    expect(log).toEqual([])
  })

  test("reject: trySend reports full with the value", () => {
    const [tx] = channel<number>({ capacity: 1, overflow: "reject" })
    tx.trySend(1)
    expect(tx.trySend(2)).toEqual({ ok: false, reason: "full", value: 2 })
  })

  test("reject at capacity 0 refuses a send when no receiver waits", async () => {
    const [tx, rx] = channel<string>({ capacity: 0, overflow: "reject" })
    const error = await rejection(tx.send("a"))
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError<string>).value).toBe("a")
    expect(tx.trySend("b")).toEqual({ ok: false, reason: "full", value: "b" })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("reject at capacity 0 succeeds when a receiver is waiting", async () => {
    const [tx, rx] = channel<string>({ capacity: 0, overflow: "reject" })
    const first = rx.receive()
    await tx.send("a")
    const second = rx.receive()
    expect(tx.trySend("b")).toEqual({ ok: true })
    expect([await first, await second]).toEqual([
      { done: false, value: "a" },
      { done: false, value: "b" },
    ])
  })

  test("a drop policy hands a value to a waiting receiver instead of dropping it", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = dropping<number>(1, { onDrop })
    const got = rx.receive()
    tx.trySend(1)
    expect(await got).toEqual({ done: false, value: 1 })
    expect(log).toEqual([])
  })
})

// ---------------------------------------------------------------- onDrop

describe("onDrop", () => {
  test("is called exactly once for each dropped value and never for a delivered one", () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = sliding<number>(2, { onDrop })
    for (let i = 1; i <= 5; i++) tx.trySend(i)
    expect(rx.tryReceiveMany()).toEqual([4, 5])
    rx.cancel()
    expect(log).toEqual([
      [1, "overflow"],
      [2, "overflow"],
      [3, "overflow"],
    ])
  })

  test("cancel passes every buffered value to onDrop with reason cancel, oldest first", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = unbounded<string>({ onDrop })
    tx.trySend("a")
    tx.trySend("b")
    rx.cancel()
    expect(log).toEqual([
      ["a", "cancel"],
      ["b", "cancel"],
    ])
  })

  test("a value refused by cancel while waiting is handed back, not dropped", async () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = rendezvous<string>({ onDrop })
    const error = rejection(tx.send("a"))
    rx.cancel()
    expect(((await error) as ChannelClosedError<string>).value).toBe("a")
    expect(log).toEqual([])
  })

  test("onDrop during cancel already sees the channel cancelled", () => {
    const seen: string[] = []
    const [tx, rx] = unbounded<string>({ onDrop: () => seen.push(`${tx.state}/${tx.size}`) })
    tx.trySend("a")
    rx.cancel()
    expect(seen).toEqual(["cancelled/0"])
  })

  test("a throwing onDrop is reported with reportError and does not corrupt the channel", async () => {
    const reported: unknown[] = []
    vi.stubGlobal("reportError", (e: unknown) => void reported.push(e))
    const boom = new Error("boom")
    const [tx, rx] = dropping<number>(1, {
      onDrop: () => {
        throw boom
      },
    })
    expect(tx.trySend(1)).toEqual({ ok: true })
    expect(tx.trySend(2)).toEqual({ ok: true })
    await expect(tx.send(3)).resolves.toBeUndefined()
    expect(reported).toEqual([boom, boom])
    expect([tx.state, tx.size, tx.stats.sent, tx.stats.dropped.overflow]).toEqual(["open", 1, 3, 2])
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
  })

  test("a throwing onDrop under drop-oldest still buffers the new value", () => {
    const reported: unknown[] = []
    vi.stubGlobal("reportError", (e: unknown) => void reported.push(e))
    const [tx, rx] = sliding<number>(1, {
      onDrop: (v) => {
        throw new Error(`drop ${v}`)
      },
    })
    tx.trySend(1)
    tx.trySend(2)
    expect(reported.map((e) => (e as Error).message)).toEqual(["drop 1"])
    expect(rx.tryReceiveMany()).toEqual([2])
  })

  test("a throwing onDrop during cancel still gets every buffered value", () => {
    const reported: unknown[] = []
    vi.stubGlobal("reportError", (e: unknown) => void reported.push(e))
    const seen: number[] = []
    const [tx, rx] = unbounded<number>({
      onDrop: (v) => {
        seen.push(v)
        throw new Error(`drop ${v}`)
      },
    })
    tx.trySend(1)
    tx.trySend(2)
    tx.trySend(3)
    rx.cancel()
    expect(seen).toEqual([1, 2, 3])
    expect(reported).toHaveLength(3)
    expect([tx.state, tx.size, tx.stats.dropped.cancel]).toEqual(["cancelled", 0, 3])
  })

  test("onDrop may call back into the channel, here cancelling it", () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = dropping<number>(1, {
      onDrop: (v, reason) => {
        onDrop(v, reason)
        if (reason === "overflow") rx.cancel()
      },
    })
    tx.trySend(1)
    expect(tx.trySend(2)).toEqual({ ok: true })
    expect(log).toEqual([
      [2, "overflow"],
      [1, "cancel"],
    ])
    expect([tx.state, tx.size]).toEqual(["cancelled", 0])
    expect(tx.stats).toEqual({ sent: 2, received: 0, dropped: { overflow: 1, cancel: 1 } })
  })

  test("without reportError a throwing onDrop is rethrown from a microtask", () => {
    vi.stubGlobal("reportError", undefined)
    const queued: (() => void)[] = []
    const boom = new Error("boom")
    const [tx] = dropping<number>(1, {
      onDrop: () => {
        throw boom
      },
    })
    tx.trySend(1)
    const spy = vi.spyOn(globalThis, "queueMicrotask").mockImplementation((cb) => void queued.push(cb))
    const result = tx.trySend(2)
    spy.mockRestore()
    expect(result).toEqual({ ok: true })
    expect(queued).toHaveLength(1)
    expect(() => queued[0]!()).toThrow(boom)
  })
})

// ---------------------------------------------------------------- handles

describe("handles", () => {
  test("clone adds a handle of its kind and close or cancel removes it", () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    const rx2 = rx.clone()
    const rx3 = rx2.clone()
    expect([tx.senders, rx.receivers]).toEqual([2, 3])
    tx2.close()
    rx3.cancel()
    expect([rx.senders, tx.receivers]).toEqual([1, 2])
  })

  test("closing a sender that is not the last leaves the channel open", () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.close()
    expect(tx.state).toBe("open")
    expect(tx2.trySend(1)).toEqual({ ok: true })
    expect(rx.tryReceive()).toEqual({ ok: true, value: 1 })
  })

  test("closing the last sender closes the channel", async () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.close()
    tx2.close()
    expect([rx.senders, rx.state]).toEqual([0, "closed"])
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("cancelling a receiver that is not the last leaves the channel open", () => {
    const [tx, rx] = unbounded<number>()
    const rx2 = rx.clone()
    tx.trySend(1)
    rx.cancel()
    expect(tx.state).toBe("open")
    expect(rx2.tryReceive()).toEqual({ ok: true, value: 1 })
  })

  test("cancelling the last receiver cancels the channel", () => {
    const [tx, rx] = unbounded<number>()
    const rx2 = rx.clone()
    rx.cancel()
    rx2.cancel()
    expect([tx.receivers, tx.state]).toEqual([0, "cancelled"])
    expect(tx.trySend(1)).toEqual({ ok: false, reason: "closed", value: 1 })
  })

  test("close and cancel are idempotent on a handle", () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    const rx2 = rx.clone()
    tx.close()
    tx.close()
    rx.cancel()
    rx.cancel()
    expect([tx.senders, rx.receivers, tx.state]).toEqual([1, 1, "open"])
    void tx2
    void rx2
  })

  test("close(reason) closes the whole channel at once whatever the count", async () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.trySend(1)
    tx.close("done")
    expect([tx.senders, tx.state]).toEqual([1, "closing"])
    const error = await rejection(tx2.send(2))
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect((error as ChannelClosedError).cause).toBe("done")
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(await rejection(rx.receive())).toBe("done")
  })

  test("cancel(reason) cancels the whole channel at once whatever the count", async () => {
    const [tx, rx] = unbounded<number>()
    const rx2 = rx.clone()
    tx.trySend(1)
    rx.cancel("stop")
    expect([rx2.receivers, rx2.state]).toEqual([1, "cancelled"])
    expect(await rejection(rx2.receive())).toBe("stop")
  })

  test("close(reason) on an already released sender still closes the channel", () => {
    const [tx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.close()
    tx.close("late")
    expect([tx2.senders, tx2.state]).toEqual([1, "closed"])
  })

  test("cancel(reason) on an already released receiver still cancels the channel", () => {
    const [tx, rx] = unbounded<number>()
    const rx2 = rx.clone()
    rx.cancel()
    rx.cancel("late")
    expect([rx2.receivers, tx.state]).toEqual([1, "cancelled"])
    expect(rx2.tryReceive()).toEqual({ ok: false, reason: "closed", error: "late" })
  })

  test("a released sender refuses new sends as if the channel were closed", async () => {
    const [tx, rx] = unbounded<string>()
    const tx2 = tx.clone()
    tx.close()
    const error = await rejection(tx.send("x"))
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect((error as ChannelClosedError<string>).value).toBe("x")
    expect(tx.trySend("y")).toEqual({ ok: false, reason: "closed", value: "y" })
    expect(await tx.sendAll(["p", "q"])).toEqual(["p", "q"])
    expect([rx.size, rx.state]).toEqual([0, "open"])
    expect(tx2.trySend("z")).toEqual({ ok: true })
  })

  test("a released receiver resolves done and leaves values to the others", async () => {
    const [tx, rx] = unbounded<string>()
    const rx2 = rx.clone()
    tx.trySend("a")
    rx.cancel()
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
    expect(await rx.receiveMany(5)).toEqual([])
    expect(rx.tryReceiveMany()).toEqual([])
    const seen: string[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([])
    expect(rx2.tryReceive()).toEqual({ ok: true, value: "a" })
  })

  test("a send started before its handle was released goes on", async () => {
    const [tx, rx] = rendezvous<string>()
    const tx2 = tx.clone()
    const sent = track(tx.send("a"))
    tx.close()
    await flush()
    expect(sent.status).toBe("pending")
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await flush()
    expect(sent.status).toBe("fulfilled")
    void tx2
  })

  test("a receive started before its handle was released goes on", async () => {
    const [tx, rx] = unbounded<string>()
    const rx2 = rx.clone()
    const got = rx.receive()
    rx.cancel()
    tx.trySend("a")
    expect(await got).toEqual({ done: false, value: "a" })
    expect(rx2.pendingReceives).toBe(0)
  })

  test("clone of a released handle throws TypeError", () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    const rx2 = rx.clone()
    tx.close()
    rx.cancel()
    expect(() => tx.clone()).toThrow(TypeError)
    expect(() => rx.clone()).toThrow(TypeError)
    expect([tx2.senders, rx2.receivers]).toEqual([1, 1])
  })

  test("Symbol.dispose closes a sender and cancels a receiver", () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    const rx2 = rx.clone()
    tx2[dispose]()
    rx2[dispose]()
    expect([tx.senders, rx.receivers, tx.state]).toEqual([1, 1, "open"])
    tx[dispose]()
    expect(tx.state).toBe("closed")
    rx[dispose]()
    expect(rx.receivers).toBe(0)
  })

  test("using releases a handle when its scope ends", () => {
    const [tx, rx] = unbounded<number>()
    {
      using scoped = tx.clone()
      scoped.trySend(1)
      expect(tx.senders).toBe(2)
    }
    expect(tx.senders).toBe(1)
    {
      using last = rx
      expect(last.tryReceive()).toEqual({ ok: true, value: 1 })
    }
    expect(tx.state).toBe("cancelled")
  })
})

// ---------------------------------------------------------------- close

describe("close", () => {
  test("close with values buffered is closing, then closed once drained", async () => {
    const [tx, rx] = bounded<number>(2)
    tx.trySend(1)
    tx.trySend(2)
    tx.close()
    expect(rx.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(rx.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: 2 })
    expect(rx.state).toBe("closed")
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("close on an empty channel is closed at once", () => {
    const [tx, rx] = bounded<number>(2)
    tx.close()
    expect(rx.state).toBe("closed")
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
  })

  test("close wakes waiting receivers with done", async () => {
    const [tx, rx] = unbounded<number>()
    const a = rx.receive()
    const b = rx.receiveMany(3)
    tx.close()
    expect(await a).toEqual({ done: true, value: undefined })
    expect(await b).toEqual([])
    expect(rx.pendingReceives).toBe(0)
  })

  test("close(reason) wakes waiting receivers with the reason", async () => {
    const [tx, rx] = unbounded<number>()
    const a = rejection(rx.receive())
    const b = rejection(rx.receiveMany(3))
    tx.close("eof")
    expect([await a, await b]).toEqual(["eof", "eof"])
  })

  test("close(reason) delivers buffered values first, then rejects receivers with the reason", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.close("eof")
    expect(rx.tryReceive()).toEqual({ ok: true, value: 1 })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed", error: "eof" })
    expect(await rejection(rx.receive())).toBe("eof")
    expect(await rejection(rx.receiveMany(1))).toBe("eof")
  })

  test("new sends after close reject with ChannelClosedError carrying the value", async () => {
    const [tx, rx] = unbounded<string>()
    const tx2 = tx.clone()
    tx.trySend("a")
    tx.close("bye")
    const error = await rejection(tx2.send("b"))
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect(error).toMatchObject({ value: "b", cause: "bye" })
    expect(tx2.trySend("c")).toEqual({ ok: false, reason: "closed", value: "c" })
    expect(rx.tryReceiveMany()).toEqual(["a"])
  })

  test("plain close gives ChannelClosedError no cause", async () => {
    const [tx] = unbounded<string>()
    const tx2 = tx.clone()
    tx.close()
    tx2.close()
    const error = (await rejection(tx2.send("b"))) as ChannelClosedError<string>
    expect(error.cause).toBeUndefined()
  })

  test("senders waiting at close are still admitted, in order, as room appears", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const admitted: string[] = []
    void tx.send("b").then(() => admitted.push("b"))
    void tx.send("c").then(() => admitted.push("c"))
    tx.close()
    expect([tx.state, tx.pendingSends]).toEqual(["closing", 2])
    await flush()
    expect(admitted).toEqual([])
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await flush()
    expect(admitted).toEqual(["b"])
    expect(tx.pendingSends).toBe(1)
    expect(rx.tryReceiveMany()).toEqual(["b", "c"])
    await flush()
    expect(admitted).toEqual(["b", "c"])
    expect(rx.state).toBe("closed")
  })

  test("senders waiting at close can still be aborted", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const ac = new AbortController()
    const b = track(tx.send("b", { signal: ac.signal }))
    const c = track(tx.send("c"))
    tx.close()
    ac.abort("stop")
    expect(tx.pendingSends).toBe(1)
    await flush()
    expect(b).toMatchObject({ status: "rejected", error: "stop" })
    expect(rx.tryReceiveMany()).toEqual(["a", "c"])
    await flush()
    expect(c.status).toBe("fulfilled")
    expect(rx.state).toBe("closed")
  })

  test("aborting the last waiting sender of a drained closing channel closes it", async () => {
    const [tx, rx] = rendezvous<string>()
    const ac = new AbortController()
    const sent = track(tx.send("a", { signal: ac.signal }))
    tx.close()
    expect(rx.state).toBe("closing")
    ac.abort()
    expect(rx.state).toBe("closed")
    await flush()
    expect(sent.status).toBe("rejected")
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("a rendezvous sender waiting at close is taken by the next receive", async () => {
    const [tx, rx] = rendezvous<string>()
    const sent = track(tx.send("a"))
    tx.close()
    expect(rx.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    expect(rx.state).toBe("closed")
    await flush()
    expect(sent.status).toBe("fulfilled")
  })

  test("close is idempotent and the first given reason wins", async () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.trySend(1)
    tx.close()
    tx2.close("a")
    tx2.close("b")
    rx.tryReceive()
    expect(await rejection(rx.receive())).toBe("a")
  })

  test("close('a') then cancel('b') discards the rest and receivers see 'a'", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = unbounded<number>({ onDrop })
    const rx2 = rx.clone()
    tx.trySend(1)
    tx.trySend(2)
    tx.close("a")
    rx.cancel("b")
    expect(rx2.state).toBe("cancelled")
    expect(log).toEqual([
      [1, "cancel"],
      [2, "cancel"],
    ])
    expect(await rejection(rx2.receive())).toBe("a")
    expect(rx2.tryReceive()).toEqual({ ok: false, reason: "closed", error: "a" })
  })

  test("plain close then cancel('b') with values left makes receivers see 'b'", async () => {
    const [tx, rx] = unbounded<number>()
    const rx2 = rx.clone()
    tx.trySend(1)
    tx.close()
    rx.cancel("b")
    expect(await rejection(rx2.receive())).toBe("b")
  })

  test("once closed, a cancel with a reason changes nothing", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = unbounded<number>({ onDrop })
    const rx2 = rx.clone()
    tx.close()
    rx.cancel("b")
    expect(rx2.state).toBe("closed")
    expect(await rx2.receive()).toEqual({ done: true, value: undefined })
    expect(log).toEqual([])
  })

  test("cancel after close('a') refuses waiting senders with cause 'a'", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("x")
    const waiting = rejection(tx.send("y"))
    tx.close("a")
    rx.cancel("b")
    const error = (await waiting) as ChannelClosedError<string>
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect([error.value, error.cause]).toEqual(["y", "a"])
  })
})

// ---------------------------------------------------------------- cancel

describe("cancel", () => {
  test("cancel discards the buffer and the state is cancelled", () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = bounded<string>(2, { onDrop })
    tx.trySend("a")
    tx.trySend("b")
    rx.cancel()
    expect([tx.state, tx.size, tx.stats.dropped.cancel]).toEqual(["cancelled", 0, 2])
    expect(log.map(([, r]) => r)).toEqual(["cancel", "cancel"])
  })

  test("waiting senders reject with ChannelClosedError carrying their value and the reason", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const b = rejection(tx.send("b"))
    const c = rejection(tx.send("c"))
    rx.cancel("gone")
    expect(tx.pendingSends).toBe(0)
    const errors = [(await b) as ChannelClosedError<string>, (await c) as ChannelClosedError<string>]
    expect(errors.every((e) => e instanceof ChannelClosedError)).toBe(true)
    expect(errors.map((e) => [e.value, e.cause])).toEqual([
      ["b", "gone"],
      ["c", "gone"],
    ])
  })

  test("waiting receivers see done after a plain cancel", async () => {
    const [, rx] = unbounded<number>()
    const rx2 = rx.clone()
    const a = rx.receive()
    const b = rx2.receiveMany(2)
    rx.cancel()
    rx2.cancel()
    expect(await a).toEqual({ done: true, value: undefined })
    expect(await b).toEqual([])
  })

  test("waiting and later receivers reject with the cancel reason", async () => {
    const [, rx] = unbounded<number>()
    const rx2 = rx.clone()
    const waiting = rejection(rx2.receive())
    rx.cancel("stop")
    expect(await waiting).toBe("stop")
    expect(await rejection(rx2.receive())).toBe("stop")
    expect(await rejection(rx2.receiveMany(1))).toBe("stop")
    expect(rx2.tryReceive()).toEqual({ ok: false, reason: "closed", error: "stop" })
    expect(rx2.tryReceiveMany()).toEqual([])
  })

  test("sends after cancel reject with the cancel reason as cause", async () => {
    const [tx, rx] = unbounded<number>()
    rx.cancel("stop")
    const error = (await rejection(tx.send(1))) as ChannelClosedError<number>
    expect([error.value, error.cause]).toEqual([1, "stop"])
    expect(tx.trySend(2)).toEqual({ ok: false, reason: "closed", value: 2 })
  })

  test("cancelling a closing channel discards what remained and refuses its waiting senders", async () => {
    const { log, onDrop } = drops<string>()
    const [tx, rx] = bounded<string>(1, { onDrop })
    tx.trySend("a")
    const b = rejection(tx.send("b"))
    tx.close()
    rx.cancel()
    expect(tx.state).toBe("cancelled")
    expect(log).toEqual([["a", "cancel"]])
    expect(((await b) as ChannelClosedError<string>).value).toBe("b")
  })

  test("cancel is idempotent on the channel", () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = unbounded<number>({ onDrop })
    const rx2 = rx.clone()
    tx.trySend(1)
    rx.cancel("a")
    rx2.cancel("b")
    expect(log).toEqual([[1, "cancel"]])
    expect(tx.stats.dropped.cancel).toBe(1)
  })
})

// ---------------------------------------------------------------- receiving

describe("receive shapes", () => {
  test("receive resolves the read() shape", async () => {
    const [tx, rx] = unbounded<string>()
    tx.trySend("a")
    tx.close()
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("tryReceive reports a value, empty, or closed", () => {
    const [tx, rx] = unbounded<string>()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    tx.trySend("a")
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
    tx.close()
    const closed = rx.tryReceive()
    expect(closed).toEqual({ ok: false, reason: "closed" })
    expect("error" in closed).toBe(false)
  })

  test("receiveMany takes up to max buffered values, in order", async () => {
    const [tx, rx] = unbounded<number>()
    for (let i = 0; i < 5; i++) tx.trySend(i)
    expect(await rx.receiveMany(3)).toEqual([0, 1, 2])
    expect(await rx.receiveMany(10)).toEqual([3, 4])
  })

  test("receiveMany waits until at least one value is available", async () => {
    const [tx, rx] = unbounded<number>()
    const batch = track(rx.receiveMany(3))
    await flush()
    expect(batch.status).toBe("pending")
    tx.trySend(1)
    tx.trySend(2)
    await flush()
    expect(batch.value).toEqual([1, 2])
  })

  test("receiveMany takes from waiting senders and admits them", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    const waiting = [track(tx.send(2)), track(tx.send(3))]
    expect(await rx.receiveMany(Infinity)).toEqual([1, 2, 3])
    await flush()
    expect(waiting.map((w) => w.status)).toEqual(["fulfilled", "fulfilled"])
  })

  test("receiveMany drains what remains of a closing channel before resolving []", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.trySend(2)
    tx.close()
    expect(await rx.receiveMany(5)).toEqual([1, 2])
    expect(await rx.receiveMany(5)).toEqual([])
  })

  test("tryReceiveMany takes everything by default, up to max when given, and [] when empty", () => {
    const [tx, rx] = rendezvous<number>()
    expect(rx.tryReceiveMany()).toEqual([])
    const [utx, urx] = unbounded<number>()
    for (let i = 0; i < 4; i++) utx.trySend(i)
    expect(urx.tryReceiveMany(1)).toEqual([0])
    expect(urx.tryReceiveMany()).toEqual([1, 2, 3])
    void tx
  })
})

describe("for await", () => {
  test("receives until done", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.trySend(2)
    tx.close()
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([1, 2])
  })

  test("throws the close reason after the last value", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.close("eof")
    const seen: number[] = []
    const error = await rejection(
      (async () => {
        for await (const v of rx) seen.push(v)
      })(),
    )
    expect([seen, error]).toEqual([[1], "eof"])
  })

  test("waits for values as they are sent", async () => {
    const [tx, rx] = rendezvous<number>()
    const seen: number[] = []
    const loop = (async () => {
      for await (const v of rx) seen.push(v)
    })()
    await tx.send(1)
    await tx.send(2)
    tx.close()
    await loop
    expect(seen).toEqual([1, 2])
  })

  test("never prefetches: after a break the next value is still in the channel", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.trySend(2)
    tx.trySend(3)
    for await (const v of rx) {
      expect(v).toBe(1)
      break
    }
    expect(rx.size).toBe(2)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 2 })
  })

  test("leaving the loop early does not release the handle", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.trySend(2)
    for await (const v of rx) {
      void v
      break
    }
    await rejection(
      (async () => {
        for await (const v of rx) throw new Error(`stop at ${v}`)
      })(),
    )
    expect([rx.receivers, rx.state]).toEqual([1, "open"])
    expect(tx.trySend(3)).toEqual({ ok: true })
    expect(rx.tryReceive()).toEqual({ ok: true, value: 3 })
  })
})

// ---------------------------------------------------------------- introspection

describe("closed promises", () => {
  test("tx.closed resolves on close while values remain; rx.closed waits for the drain", async () => {
    const [tx, rx] = unbounded<number>()
    const txClosed = track(tx.closed)
    const rxClosed = track(rx.closed)
    tx.trySend(1)
    await flush()
    expect([txClosed.status, rxClosed.status]).toEqual(["pending", "pending"])
    tx.close("eof")
    await flush()
    expect([txClosed.status, rxClosed.status]).toEqual(["fulfilled", "pending"])
    rx.tryReceive()
    await flush()
    expect(rxClosed.status).toBe("fulfilled")
  })

  test("both resolve on cancel and neither rejects with the reason", async () => {
    const [tx, rx] = unbounded<number>()
    const txClosed = track(tx.closed)
    const rxClosed = track(rx.closed)
    tx.trySend(1)
    rx.cancel("stop")
    await flush()
    expect([txClosed.status, rxClosed.status]).toEqual(["fulfilled", "fulfilled"])
  })

  test("both are resolved already on a channel that is closed", async () => {
    const [tx, rx] = unbounded<number>()
    tx.close("eof")
    const both = [track(tx.closed), track(rx.closed)]
    await flush()
    expect(both.map((t) => t.status)).toEqual(["fulfilled", "fulfilled"])
  })

  test("releasing a handle that is not the last resolves neither", async () => {
    const [tx, rx] = unbounded<number>()
    const txClosed = track(tx.closed)
    const rxClosed = track(rx.closed)
    tx.clone()
    rx.clone()
    tx.close()
    rx.cancel()
    await flush()
    expect([txClosed.status, rxClosed.status]).toEqual(["pending", "pending"])
  })
})

describe("introspection", () => {
  test("both handles report the same shared channel", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    void tx.send(2)
    const rx2 = rx.clone()
    const view = (h: typeof tx | typeof rx) => [h.capacity, h.size, h.state, h.senders, h.receivers, h.pendingSends, h.pendingReceives]
    expect(view(tx)).toEqual([1, 1, "open", 1, 2, 1, 0])
    expect(view(rx2)).toEqual(view(tx))
    rx.tryReceiveMany()
    const [, empty] = unbounded<number>()
    void empty.receive()
    expect(empty.pendingReceives).toBe(1)
  })

  test("stats count values sent, received, and dropped by reason", () => {
    const [tx, rx] = sliding<number>(2)
    tx.trySend(1)
    tx.trySend(2)
    tx.trySend(3)
    rx.tryReceive()
    rx.cancel()
    expect(tx.stats).toEqual({ sent: 3, received: 1, dropped: { overflow: 1, cancel: 1 } })
    expect(rx.stats).toEqual(tx.stats)
  })

  test("stats count a rendezvous hand-off as sent and received", async () => {
    const [tx, rx] = rendezvous<number>()
    const got = rx.receive()
    tx.trySend(1)
    const sent = tx.send(2)
    rx.tryReceive()
    await Promise.all([got, sent])
    expect(tx.stats).toEqual({ sent: 2, received: 2, dropped: { overflow: 0, cancel: 0 } })
  })

  test("stats do not count values that were refused", async () => {
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "reject" })
    tx.trySend(1)
    tx.trySend(2)
    await rejection(tx.send(3))
    rx.cancel()
    await rejection(tx.send(4))
    expect(tx.stats).toEqual({ sent: 1, received: 0, dropped: { overflow: 0, cancel: 1 } })
  })

  test("drop-newest counts the dropped value as sent and dropped", () => {
    const [tx] = dropping<number>(1)
    tx.trySend(1)
    tx.trySend(2)
    expect(tx.stats).toEqual({ sent: 2, received: 0, dropped: { overflow: 1, cancel: 0 } })
  })
})

// ---------------------------------------------------------------- sendAll

describe("sendAll", () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  test("sends every value in order and resolves []", async () => {
    const [tx, rx] = unbounded<number>()
    expect(await tx.sendAll([1, 2, 3])).toEqual([])
    expect(rx.tryReceiveMany()).toEqual([1, 2, 3])
  })

  test("takes any iterable", async () => {
    const [tx, rx] = unbounded<number>()
    function* gen(): Generator<number> {
      yield 1
      yield 2
    }
    expect(await tx.sendAll(gen())).toEqual([])
    expect(await tx.sendAll(new Set([3]))).toEqual([])
    expect(rx.tryReceiveMany()).toEqual([1, 2, 3])
  })

  test("waits as needed", async () => {
    const [tx, rx] = bounded<number>(1)
    const rest = track(tx.sendAll([1, 2, 3]))
    await flush()
    expect(rest.status).toBe("pending")
    const got: number[] = []
    for (let i = 0; i < 3; i++) got.push(((await rx.receive()) as { value: number }).value)
    await flush()
    expect(got).toEqual([1, 2, 3])
    expect(rest.value).toEqual([])
  })

  test("stops at the first value refused under reject and returns it with the rest", async () => {
    const [tx, rx] = channel<number>({ capacity: 2, overflow: "reject" })
    expect(await tx.sendAll([1, 2, 3, 4])).toEqual([3, 4])
    expect(rx.tryReceiveMany()).toEqual([1, 2])
  })

  test("returns every value on a closed channel without rejecting", async () => {
    const [tx, rx] = unbounded<number>()
    const tx2 = tx.clone()
    tx.close("eof")
    expect(await tx2.sendAll([1, 2])).toEqual([1, 2])
    expect(rx.size).toBe(0)
  })

  test("an already-aborted signal returns every value and sends nothing", async () => {
    const [tx, rx] = unbounded<number>()
    expect(await tx.sendAll([1, 2], { signal: AbortSignal.abort() })).toEqual([1, 2])
    expect([rx.size, tx.stats.sent]).toEqual([0, 0])
  })

  test("an abort while waiting returns the waiting value and the rest", async () => {
    const [tx, rx] = bounded<number>(1)
    const ac = new AbortController()
    const rest = tx.sendAll([1, 2, 3], { signal: ac.signal })
    await flush()
    expect(tx.pendingSends).toBe(1)
    ac.abort()
    expect(tx.pendingSends).toBe(0)
    expect(await rest).toEqual([2, 3])
    expect(rx.tryReceiveMany()).toEqual([1])
  })

  test("an abort right after a value was admitted keeps that value and returns the rest", async () => {
    const [tx, rx] = bounded<number>(1)
    const ac = new AbortController()
    const rest = tx.sendAll([1, 2, 3], { signal: ac.signal })
    await flush()
    expect(rx.tryReceive()).toEqual({ ok: true, value: 1 }) // admits 2
    ac.abort()
    expect(await rest).toEqual([3])
    expect(rx.tryReceiveMany()).toEqual([2])
  })

  test("timeout bounds the whole call, not each value", async () => {
    vi.useFakeTimers()
    const [tx, rx] = bounded<number>(1)
    const rest = track(tx.sendAll([1, 2, 3], { timeout: 100 }))
    await vi.advanceTimersByTimeAsync(60)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 1 })
    await vi.advanceTimersByTimeAsync(39)
    expect(rest.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(1)
    expect(rest.value).toEqual([3])
    expect([tx.pendingSends, rx.tryReceiveMany()]).toEqual([0, [2]])
  })

  test("a close while waiting admits the waiting value and returns the values after it", async () => {
    const [tx, rx] = bounded<number>(1)
    const rest = track(tx.sendAll([1, 2, 3]))
    await flush()
    tx.close()
    expect([tx.state, tx.pendingSends]).toEqual(["closing", 1])
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    await flush()
    expect(rest.value).toEqual([3])
    expect(await rx.receive()).toEqual({ done: false, value: 2 })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("a cancel while waiting returns the waiting value and the rest", async () => {
    const [tx, rx] = bounded<number>(1)
    const rest = tx.sendAll([1, 2, 3])
    await flush()
    rx.cancel()
    expect(await rest).toEqual([2, 3])
  })

  test("drop policies accept every value", async () => {
    const { log, onDrop } = drops<number>()
    const [tx, rx] = dropping<number>(1, { onDrop })
    expect(await tx.sendAll([1, 2, 3])).toEqual([])
    expect(log).toEqual([
      [2, "overflow"],
      [3, "overflow"],
    ])
    expect(rx.tryReceiveMany()).toEqual([1])
  })

  test("values that are not iterable are refused with TypeError", async () => {
    const [tx] = unbounded<number>()
    expect(await rejection(tx.sendAll(5 as unknown as number[]))).toBeInstanceOf(TypeError)
  })
})

// ---------------------------------------------------------------- ownership

describe("ownership", () => {
  test("every accepted value is delivered or dropped exactly once, every refused one handed back", async () => {
    const delivered: number[] = []
    const dropped: number[] = []
    const handedBack: number[] = []
    const [tx, rx] = sliding<number>(3, { onDrop: (v) => void dropped.push(v) })
    const accepted: number[] = []
    for (let i = 0; i < 20; i++) {
      if (tx.trySend(i).ok) accepted.push(i)
      if (i % 3 === 0) {
        const r = rx.tryReceive()
        if (r.ok) delivered.push(r.value)
      }
    }
    rx.cancel()
    for (let i = 20; i < 23; i++) {
      const r = tx.trySend(i)
      if (!r.ok) handedBack.push(r.value)
    }
    expect([...delivered, ...dropped].sort((a, b) => a - b)).toEqual(accepted)
    expect(handedBack).toEqual([20, 21, 22])
    const { sent, received, dropped: d } = tx.stats
    expect(sent).toBe(received + d.overflow + d.cancel)
  })
})

describe("user code running inside a call (size, onDrop)", () => {
  test("an onDrop that reads stats during a multi-value eviction sees every evicted value counted", () => {
    const seen: string[] = []
    const [tx, rx] = channel<number>({
      capacity: 4,
      overflow: "drop-oldest",
      size: (v) => v,
      onDrop: () => void seen.push(JSON.stringify(rx.stats.dropped)),
    })
    tx.trySend(1)
    tx.trySend(1)
    tx.trySend(2)
    tx.trySend(3.5) // evicts 1, 1 and 2: all three are counted before the first onDrop
    expect(seen).toEqual(Array(3).fill(JSON.stringify({ overflow: 3, cancel: 0 })))
  })

  test("a send whose size() aborts its own signal rejects with the reason and sends nothing", async () => {
    const ac = new AbortController()
    const [tx, rx] = channel<string>({ capacity: 1, size: (v) => (v === "b" && ac.abort("stop"), 1) })
    tx.trySend("a")
    await expect(tx.send("b", { signal: ac.signal })).rejects.toBe("stop")
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("a select whose send case's size() aborts its signal rejects with the reason and parks nothing", async () => {
    const ac = new AbortController()
    const [tx, rx] = channel<string>({ capacity: 1, size: (v) => (v === "b" && ac.abort("stop"), 1) })
    tx.trySend("a")
    await expect(select([send(tx, "b")], { signal: ac.signal })).rejects.toBe("stop")
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })
})

describe("pacing keeps settlement order", () => {
  // Two lock-step rounds make the channel pace its hand-offs (settle one microtask later).
  async function paced(): Promise<[Sender<string>, Receiver<string>]> {
    const [tx, rx] = bounded<string>(4)
    for (let i = 0; i < 2; i++) {
      const p = rx.receive()
      tx.trySend(`warm ${i}`)
      await p
    }
    return [tx, rx]
  }

  test("concurrent receives settle in the order they were handed their values, delayed or not", async () => {
    const [tx, rx] = await paced()
    const log: string[] = []
    const p1 = rx.receive().then((r) => void log.push(`p1 ${r.value}`))
    const p2 = rx.receive().then((r) => void log.push(`p2 ${r.value}`))
    tx.trySend("a") // handed to p1, settles a microtask later
    const p3 = rx.receive().then((r) => void log.push(`p3 ${r.value}`)) // parks right after a delayed wake: pacing resets
    tx.trySend("b") // handed to p2 (an immediate wake, but behind p1)
    tx.trySend("c")
    const p4 = rx.receive().then((r) => void log.push(`p4 ${r.done ? "done" : r.value}`))
    tx.trySend("d") // p4 parked after p3: d is p4's
    await Promise.all([p1, p2, p3, p4])
    expect(log).toEqual(["p1 a", "p2 b", "p3 c", "p4 d"])
  })

  test("the end and rx.closed settle after the last value, even when its hand-off was delayed", async () => {
    const [tx, rx] = await paced()
    const log: unknown[] = []
    const p1 = rx.receive().then((r) => void log.push(r))
    const p2 = rx.receive().then((r) => void log.push(r))
    const closed = rx.closed.then(() => void log.push("rx.closed"))
    tx.trySend("last")
    tx.close()
    await Promise.all([p1, p2, closed])
    expect(log).toEqual([{ done: false, value: "last" }, { done: true, value: undefined }, "rx.closed"])
  })

  test("a receive that finds a value while an earlier delayed hand-off is pending settles after it", async () => {
    const [tx, rx] = await paced()
    const log: string[] = []
    const p1 = rx.receive().then((r) => void log.push(`p1 ${r.value}`))
    tx.trySend("a") // delayed hand-off to p1
    tx.trySend("b") // buffered
    const p2 = rx.receive().then((r) => void log.push(`p2 ${r.value}`)) // takes b at once
    await Promise.all([p1, p2])
    expect(log).toEqual(["p1 a", "p2 b"])
  })
})

describe("weighted channels with fractional weights", () => {
  test("the load does not drift: what fits exactly is admitted, and size reads the exact sum", () => {
    const dropped: number[] = []
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "drop-newest", size: (v) => v, onDrop: (v) => void dropped.push(v) })
    tx.trySend(0.2)
    tx.trySend(0.4)
    tx.trySend(0.3)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0.2 })
    expect(rx.size).toBe(0.7) // 0.4 + 0.3, not 0.7000000000000002
    expect(tx.trySend(0.3)).toEqual({ ok: true })
    expect(dropped).toEqual([]) // 0.4 + 0.3 + 0.3 fits a capacity of 1
    expect(rx.tryReceiveMany()).toEqual([0.4, 0.3, 0.3])
    expect(rx.size).toBe(0)
  })

  test("a long run of fractional adds and removes keeps the load at the exact sum of what is buffered", () => {
    const [tx, rx] = channel<number>({ capacity: 10, size: (v) => v })
    const held: number[] = [] // numerators: value i is held[i] / 997
    let x = 1
    for (let i = 0; i < 10_000; i++) {
      x = (x * 7919) % 1000
      if (held.length < 20 && tx.trySend(x / 997).ok) held.push(x)
      if (i % 3 === 0 && held.length > 0) {
        expect(rx.tryReceive()).toEqual({ ok: true, value: held.shift()! / 997 })
      }
    }
    // The exact sum, rounded once: integer numerators over one denominator.
    const exact = held.reduce((a, b) => a + b, 0) / 997
    expect(Math.abs(rx.size - exact)).toBeLessThanOrEqual(Number.EPSILON * 16)
  })
})
