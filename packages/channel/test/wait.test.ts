/**
 * Waiting, cancellation and timeouts (SPEC §2), through the public API: option
 * checks, already-aborted signals, synchronous removal of an aborted waiter,
 * "nothing is lost to cancellation", `TimeoutError`, long timeouts, and the
 * abort listener and timer being detached on every path out.
 */

import fc from "fast-check"
import { getEventListeners } from "node:events"
import { afterEach, describe, expect, test, vi } from "vitest"
import { bounded, rendezvous, unbounded, type ReceiveResult, type Receiver, type Sender } from "../src/index.js"
import { flush, track, rejection, type Tracked } from "./helpers.js"

/** An AbortController whose signal's listener calls are recorded. */
function spiedController() {
  const ac = new AbortController()
  const add = vi.spyOn(ac.signal, "addEventListener")
  const remove = vi.spyOn(ac.signal, "removeEventListener")
  /** Every listener that was added was removed again, and none is left on the signal. */
  const detached = (): void => {
    expect(add).toHaveBeenCalled()
    expect(remove.mock.calls.map((c) => c[1])).toEqual(add.mock.calls.map((c) => c[1]))
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  }
  return { ac, signal: ac.signal, add, remove, detached }
}

function isTimeoutError(e: unknown): boolean {
  return e instanceof DOMException && e.name === "TimeoutError"
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

// ---------------------------------------------------------------- options

describe("wait options", () => {
  test("a negative or NaN timeout rejects with RangeError", async () => {
    const [tx, rx] = unbounded<number>()
    expect(await rejection(rx.receive({ timeout: -1 }))).toBeInstanceOf(RangeError)
    expect(await rejection(tx.send(1, { timeout: Number.NaN }))).toBeInstanceOf(RangeError)
    expect(rx.size).toBe(0)
  })

  test("a timeout or signal of the wrong type rejects with TypeError", async () => {
    const [tx, rx] = unbounded<number>()
    expect(await rejection(rx.receive({ timeout: "5" as unknown as number }))).toBeInstanceOf(TypeError)
    expect(await rejection(tx.send(1, { signal: {} as AbortSignal }))).toBeInstanceOf(TypeError)
    expect(await rejection(rx.receiveMany(1, { signal: "x" as unknown as AbortSignal }))).toBeInstanceOf(TypeError)
    expect(await rejection(tx.sendAll([1], { timeout: -5 }))).toBeInstanceOf(RangeError)
    expect(rx.size).toBe(0)
  })

  test("an operation that completes at once never touches its signal or arms a timer", async () => {
    vi.useFakeTimers()
    const [tx, rx] = unbounded<number>()
    const { signal, add } = spiedController()
    await tx.send(1, { signal, timeout: 10 })
    expect(await rx.receive({ signal, timeout: 10 })).toEqual({ done: false, value: 1 })
    expect(add).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})

// ---------------------------------------------------------------- already aborted

describe("an already-aborted signal", () => {
  test("rejects a receive with its reason before a value is taken", async () => {
    const [tx, rx] = unbounded<string>()
    tx.trySend("a")
    const reason = new Error("no")
    expect(await rejection(rx.receive({ signal: AbortSignal.abort(reason) }))).toBe(reason)
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
  })

  test("rejects a receiveMany before values are taken", async () => {
    const [tx, rx] = unbounded<string>()
    tx.trySend("a")
    expect(await rejection(rx.receiveMany(5, { signal: AbortSignal.abort("no") }))).toBe("no")
    expect(rx.size).toBe(1)
  })

  test("rejects a send before it is accepted, even with a receiver waiting", async () => {
    const [tx, rx] = rendezvous<string>()
    const got = track(rx.receive())
    expect(await rejection(tx.send("a", { signal: AbortSignal.abort("no") }))).toBe("no")
    await flush()
    expect(got.status).toBe("pending")
    expect([rx.pendingReceives, tx.stats.sent]).toEqual([1, 0])
  })

  test("rejects a send with room in the buffer without buffering it", async () => {
    const [tx, rx] = unbounded<string>()
    await rejection(tx.send("a", { signal: AbortSignal.abort() }))
    expect(rx.size).toBe(0)
  })

  test("rejects with a default AbortError when abort() was given no reason", async () => {
    const ac = new AbortController()
    ac.abort()
    const [, rx] = unbounded<string>()
    const e = await rejection(rx.receive({ signal: ac.signal }))
    expect(e).toBeInstanceOf(DOMException)
    expect((e as DOMException).name).toBe("AbortError")
  })

  test("rejects before a closed channel is reported", async () => {
    const [tx, rx] = unbounded<string>()
    tx.close("eof")
    expect(await rejection(rx.receive({ signal: AbortSignal.abort("no") }))).toBe("no")
  })
})

// ---------------------------------------------------------------- abort while waiting

describe("abort while waiting", () => {
  test("rejects a waiting receive with the signal's reason", async () => {
    const [, rx] = unbounded<string>()
    const ac = new AbortController()
    const got = rejection(rx.receive({ signal: ac.signal }))
    ac.abort("stop")
    expect(await got).toBe("stop")
  })

  test("removes a waiting receiver synchronously, inside abort()", () => {
    const [, rx] = unbounded<string>()
    const ac = new AbortController()
    void rx.receive({ signal: ac.signal }).catch(() => {})
    const seen: number[] = []
    ac.signal.addEventListener("abort", () => seen.push(rx.pendingReceives))
    expect(rx.pendingReceives).toBe(1)
    ac.abort()
    expect(seen).toEqual([0])
    expect(rx.pendingReceives).toBe(0)
  })

  test("removes a waiting sender synchronously, inside abort()", () => {
    const [tx] = rendezvous<string>()
    const ac = new AbortController()
    void tx.send("a", { signal: ac.signal }).catch(() => {})
    expect(tx.pendingSends).toBe(1)
    ac.abort()
    expect(tx.pendingSends).toBe(0)
  })

  test("an aborted receive took no value: the next one goes to the next receiver", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    const first = rejection(rx.receive({ signal: ac.signal }))
    const second = rx.receive()
    ac.abort("stop")
    tx.trySend("a")
    expect(await first).toBe("stop")
    expect(await second).toEqual({ done: false, value: "a" })
  })

  test("an aborted receive with no other receiver leaves the value in the channel", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    const got = rejection(rx.receive({ signal: ac.signal }))
    ac.abort()
    tx.trySend("a")
    await got
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
  })

  test("an aborted send left no value behind", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const ac = new AbortController()
    const sent = rejection(tx.send("b", { signal: ac.signal }))
    ac.abort("stop")
    expect(await sent).toBe("stop")
    expect(rx.tryReceiveMany()).toEqual(["a"])
    expect(tx.stats.sent).toBe(1)
  })

  test("aborting one waiting sender keeps the others in order", async () => {
    const [tx, rx] = rendezvous<string>()
    const ac = new AbortController()
    void tx.send("a")
    void tx.send("b", { signal: ac.signal }).catch(() => {})
    void tx.send("c")
    ac.abort()
    expect(tx.pendingSends).toBe(2)
    expect(rx.tryReceiveMany()).toEqual(["a", "c"])
  })

  test("aborting one waiting receiver keeps the others in order", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    const order: string[] = []
    void rx.receive().then((r) => order.push(`1:${String(r.value)}`))
    void rx.receive({ signal: ac.signal }).catch(() => order.push("2:aborted"))
    void rx.receive().then((r) => order.push(`3:${String(r.value)}`))
    ac.abort()
    tx.trySend("a")
    tx.trySend("b")
    await flush()
    expect(order).toEqual(["2:aborted", "1:a", "3:b"])
  })

  test("aborting a heavy waiting sender lets the lighter one behind it in", async () => {
    const [tx, rx] = bounded<string>(5, { size: (s) => s.length })
    tx.trySend("aaaa")
    const ac = new AbortController()
    void tx.send("bbbbb", { signal: ac.signal }).catch(() => {})
    const light = track(tx.send("c"))
    ac.abort()
    expect(tx.pendingSends).toBe(0)
    await flush()
    expect(light.status).toBe("fulfilled")
    expect(rx.tryReceiveMany()).toEqual(["aaaa", "c"])
  })

  test("an abort after completion changes nothing", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    const got = rx.receive({ signal: ac.signal })
    tx.trySend("a")
    ac.abort()
    expect(await got).toEqual({ done: false, value: "a" })
    expect(rx.size).toBe(0)
  })

  test("a value handed over by another abort listener is kept, not lost", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    ac.signal.addEventListener("abort", () => tx.trySend("a")) // runs before the receive's own listener
    const got = rx.receive({ signal: ac.signal })
    ac.abort()
    expect(await got).toEqual({ done: false, value: "a" })
    expect(rx.size).toBe(0)
  })

  test("a value sent by a later abort listener stays in the channel", async () => {
    const [tx, rx] = unbounded<string>()
    const ac = new AbortController()
    const got = rejection(rx.receive({ signal: ac.signal }))
    ac.signal.addEventListener("abort", () => tx.trySend("a"))
    ac.abort("stop")
    expect(await got).toBe("stop")
    expect(rx.tryReceive()).toEqual({ ok: true, value: "a" })
  })

  test("aborts a waiting receiveMany without taking anything", async () => {
    const [tx, rx] = unbounded<number>()
    const ac = new AbortController()
    const batch = rejection(rx.receiveMany(3, { signal: ac.signal }))
    ac.abort("stop")
    expect(rx.pendingReceives).toBe(0)
    tx.trySend(1)
    expect(await batch).toBe("stop")
    expect(rx.tryReceiveMany()).toEqual([1])
  })

  test("one signal can abort many waiters at once", async () => {
    const [, rx] = unbounded<number>()
    const ac = new AbortController()
    const all = Array.from({ length: 5 }, () => rejection(rx.receive({ signal: ac.signal })))
    expect(rx.pendingReceives).toBe(5)
    ac.abort("stop")
    expect(rx.pendingReceives).toBe(0)
    expect(await Promise.all(all)).toEqual(["stop", "stop", "stop", "stop", "stop"])
  })

  test("many aborted receives leave no waiter and no listener behind", async () => {
    const [tx, rx] = unbounded<number>()
    const ac = new AbortController()
    for (let i = 0; i < 10_000; i++) {
      const each = new AbortController()
      const p = rx.receive({ signal: each.signal }).catch(() => {})
      each.abort()
      void p
    }
    expect(rx.pendingReceives).toBe(0)
    const got = rx.receive({ signal: ac.signal })
    tx.trySend(1)
    expect(await got).toEqual({ done: false, value: 1 })
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  })
})

// ---------------------------------------------------------------- timeouts

describe("timeouts", () => {
  test("a receive times out with a TimeoutError DOMException, not before", async () => {
    vi.useFakeTimers()
    const [, rx] = unbounded<number>()
    const got = track(rx.receive({ timeout: 100 }))
    await vi.advanceTimersByTimeAsync(99)
    expect(got.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(1)
    expect(got.status).toBe("rejected")
    expect(isTimeoutError(got.error)).toBe(true)
    expect(rx.pendingReceives).toBe(0)
  })

  test("a send times out and leaves no value behind", async () => {
    vi.useFakeTimers()
    const [tx, rx] = bounded<string>(1)
    tx.trySend("a")
    const sent = track(tx.send("b", { timeout: 50 }))
    await vi.advanceTimersByTimeAsync(50)
    expect(isTimeoutError(sent.error)).toBe(true)
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceiveMany()).toEqual(["a"])
  })

  test("a receiveMany times out with a TimeoutError", async () => {
    vi.useFakeTimers()
    const [, rx] = unbounded<number>()
    const batch = track(rx.receiveMany(4, { timeout: 10 }))
    await vi.advanceTimersByTimeAsync(10)
    expect(isTimeoutError(batch.error)).toBe(true)
  })

  test("timeout 0 completes an operation that need not wait and times out one that must", async () => {
    vi.useFakeTimers()
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    expect(await rx.receive({ timeout: 0 })).toEqual({ done: false, value: 1 })
    const got = track(rx.receive({ timeout: 0 }))
    await flush()
    expect(got.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(0)
    expect(isTimeoutError(got.error)).toBe(true)
  })

  test("a timeout Infinity never fires and arms no timer", async () => {
    vi.useFakeTimers()
    const [tx, rx] = unbounded<number>()
    const got = track(rx.receive({ timeout: Infinity }))
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(2 ** 40)
    expect(got.status).toBe("pending")
    tx.trySend(1)
    await flush()
    expect(got.value).toEqual({ done: false, value: 1 })
  })

  test("a timeout longer than setTimeout allows fires at its deadline, not early", async () => {
    vi.useFakeTimers()
    const [, rx] = unbounded<number>()
    const timeout = 2 ** 31 + 1000
    const got = track(rx.receive({ timeout }))
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1)
    expect(got.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(999)
    expect(got.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(2)
    expect(isTimeoutError(got.error)).toBe(true)
  })

  test("a sendAll timeout longer than setTimeout allows fires at its deadline, not early", async () => {
    vi.useFakeTimers()
    const [tx] = bounded<number>(1)
    const timeout = 2 ** 31 + 1000
    const rest = track(tx.sendAll([1, 2], { timeout }))
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1)
    expect(rest.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(1001)
    expect(rest.value).toEqual([2])
  })

  test("a signal and a timeout together: whichever comes first wins", async () => {
    vi.useFakeTimers()
    const [, rx] = unbounded<number>()
    const ac = new AbortController()
    const byTimeout = track(rx.receive({ signal: ac.signal, timeout: 10 }))
    const ac2 = new AbortController()
    const bySignal = track(rx.receive({ signal: ac2.signal, timeout: 10 }))
    ac2.abort("first")
    await vi.advanceTimersByTimeAsync(10)
    expect(bySignal.error).toBe("first")
    expect(isTimeoutError(byTimeout.error)).toBe(true)
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})

// ---------------------------------------------------------------- detaching

describe("the abort listener and timer are detached on every path out", () => {
  const paths: [string, (tx: Sender<string>, rx: Receiver<string>, signal: AbortSignal) => Promise<unknown>][] = [
    [
      "a receive that got a value",
      async (tx, rx, signal) => {
        const got = rx.receive({ signal, timeout: 1000 })
        tx.trySend("a")
        expect(await got).toEqual({ done: false, value: "a" })
      },
    ],
    [
      "a receive ended by close",
      async (tx, rx, signal) => {
        const got = rx.receive({ signal, timeout: 1000 })
        tx.close()
        expect(await got).toEqual({ done: true, value: undefined })
      },
    ],
    [
      "a receive ended by cancel with a reason",
      async (_tx, rx, signal) => {
        const got = rejection(rx.receive({ signal, timeout: 1000 }))
        rx.cancel("stop")
        expect(await got).toBe("stop")
      },
    ],
    [
      "a receiveMany that got values",
      async (tx, rx, signal) => {
        const got = rx.receiveMany(2, { signal, timeout: 1000 })
        tx.trySend("a")
        expect(await got).toEqual(["a"])
      },
    ],
    [
      "a send that was taken",
      async (tx, rx, signal) => {
        const sent = tx.send("a", { signal, timeout: 1000 })
        rx.tryReceive()
        await sent
      },
    ],
    [
      "a send refused by cancel",
      async (tx, rx, signal) => {
        const sent = rejection(tx.send("a", { signal, timeout: 1000 }))
        rx.cancel()
        expect(await sent).toMatchObject({ name: "ChannelClosedError", value: "a" })
      },
    ],
    [
      "a send admitted after close",
      async (tx, rx, signal) => {
        const sent = tx.send("a", { signal, timeout: 1000 })
        tx.close()
        expect(await rx.receive()).toEqual({ done: false, value: "a" })
        await sent
      },
    ],
    [
      "a sendAll that finished",
      async (tx, rx, signal) => {
        const rest = tx.sendAll(["a", "b"], { signal, timeout: 1000 })
        await flush()
        rx.tryReceive()
        await flush()
        rx.tryReceive()
        expect(await rest).toEqual([])
      },
    ],
    [
      "a sendAll stopped by cancel",
      async (tx, rx, signal) => {
        const rest = tx.sendAll(["a", "b"], { signal, timeout: 1000 })
        await flush()
        rx.cancel()
        expect(await rest).toEqual(["a", "b"])
      },
    ],
  ]

  test.each(paths)("%s", async (_name, run) => {
    vi.useFakeTimers()
    const [tx, rx] = rendezvous<string>()
    const { signal, detached } = spiedController()
    await run(tx, rx, signal)
    detached()
    expect(vi.getTimerCount()).toBe(0)
  })

  test("an aborted receive", async () => {
    vi.useFakeTimers()
    const [, rx] = rendezvous<string>()
    const { ac, signal, detached } = spiedController()
    const got = rejection(rx.receive({ signal, timeout: 1000 }))
    ac.abort("stop")
    expect(await got).toBe("stop")
    detached()
    expect(vi.getTimerCount()).toBe(0)
  })

  test("a send that timed out", async () => {
    vi.useFakeTimers()
    const [tx] = rendezvous<string>()
    const { signal, detached } = spiedController()
    const sent = track(tx.send("a", { signal, timeout: 5 }))
    await vi.advanceTimersByTimeAsync(5)
    expect(isTimeoutError(sent.error)).toBe(true)
    detached()
    expect(vi.getTimerCount()).toBe(0)
  })

  test("a sendAll that was aborted", async () => {
    vi.useFakeTimers()
    const [tx] = rendezvous<string>()
    const { ac, signal, detached } = spiedController()
    const rest = tx.sendAll(["a", "b"], { signal, timeout: 1000 })
    await flush()
    ac.abort()
    expect(await rest).toEqual(["a", "b"])
    detached()
    expect(vi.getTimerCount()).toBe(0)
  })

  test("a sendAll that timed out", async () => {
    vi.useFakeTimers()
    const [tx] = rendezvous<string>()
    const { signal, detached } = spiedController()
    const rest = track(tx.sendAll(["a", "b"], { signal, timeout: 5 }))
    await vi.advanceTimersByTimeAsync(5)
    expect(rest.value).toEqual(["a", "b"])
    detached()
    expect(vi.getTimerCount()).toBe(0)
  })
})

// ---------------------------------------------------------------- nothing is lost

describe("nothing is lost to cancellation", () => {
  type Op = ["send" | "receive" | "abort" | "tryReceive" | "flush", number]
  const op: fc.Arbitrary<Op> = fc.tuple(
    fc.constantFrom("send", "receive", "abort", "tryReceive", "flush"),
    fc.nat(50),
  )

  test("every accepted value is received exactly once and no aborted send's value ever is", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 60 }), async (capacity, ops) => {
        const [tx, rx] = bounded<number>(capacity)
        const sends: { value: number; t: Tracked<void> }[] = []
        const receives: Tracked<ReceiveResult<number>>[] = []
        const controllers: AbortController[] = []
        const received: number[] = []
        let next = 0
        for (const [kind, k] of ops) {
          if (kind === "send" || kind === "receive") {
            const ac = new AbortController()
            controllers.push(ac)
            if (kind === "send") sends.push({ value: next, t: track(tx.send(next++, { signal: ac.signal })) })
            else receives.push(track(rx.receive({ signal: ac.signal })))
          } else if (kind === "abort") {
            if (controllers.length > 0) controllers[k % controllers.length]!.abort("aborted")
          } else if (kind === "tryReceive") {
            const r = rx.tryReceive()
            if (r.ok) received.push(r.value)
          } else {
            await flush()
          }
        }
        // Close, drain what was accepted or is still waiting, and let every promise settle.
        tx.close()
        for (let r = rx.tryReceive(); r.ok; r = rx.tryReceive()) received.push(r.value)
        await flush()
        for (const t of receives) {
          expect(t.status).not.toBe("pending")
          if (t.status === "fulfilled" && !t.value!.done) received.push(t.value!.value)
          if (t.status === "rejected") expect(t.error).toBe("aborted")
        }
        expect(sends.every((s) => s.t.status !== "pending")).toBe(true)
        const accepted = sends.filter((s) => s.t.status === "fulfilled").map((s) => s.value)
        const refused = new Set(sends.filter((s) => s.t.status === "rejected").map((s) => s.value))
        expect([...received].sort((a, b) => a - b)).toEqual(accepted)
        expect(received.some((v) => refused.has(v))).toBe(false)
        expect([rx.state, rx.pendingSends, rx.pendingReceives]).toEqual(["closed", 0, 0])
        expect(tx.stats.sent).toBe(accepted.length)
      }),
      { numRuns: 300 },
    )
  })
})
