/**
 * `select`, `trySelect`, `recv` and `send` as SPEC §5 and issue 3 describe
 * them, through the public API only: exactly one case completes and the
 * losing ones leave nothing behind (checked on `pendingSends`,
 * `pendingReceives` and the buffers), random and biased choice, disabled
 * cases, close / cancel / released handles, `reject` channels, the close rule
 * for a waiting send case, and abort / timeout. Sibling sources (oneshot,
 * broadcast, watch) in select are tested in their own files.
 */

import { getEventListeners } from "node:events"
import { afterEach, describe, expect, test, vi } from "vitest"
import {
  bounded,
  channel,
  ChannelClosedError,
  dropping,
  recv,
  RecvCase,
  rendezvous,
  select,
  send,
  SendCase,
  sliding,
  trySelect,
  unbounded,
  type Receiver,
} from "../src/index.js"
import { flush, track, rejection } from "./helpers.js"

/** Every value a receiver holds right now, in order. */
function drain<T>(rx: Receiver<T>): T[] {
  return rx.tryReceiveMany()
}

afterEach(() => {
  vi.useRealTimers()
})

describe("case builders", () => {
  test("recv() and send() make case objects of their kind", () => {
    const [tx, rx] = bounded<number>(1)
    expect(recv(rx)).toBeInstanceOf(RecvCase)
    expect(recv(rx).kind).toBe("recv")
    expect(send(tx, 1)).toBeInstanceOf(SendCase)
    expect(send(tx, 1).kind).toBe("send")
  })

  test("recv() of something that is not a receiver throws TypeError", () => {
    expect(() => recv(42 as never)).toThrow(TypeError)
    expect(() => recv({} as never)).toThrow(TypeError)
    expect(() => recv(null as never)).toThrow(TypeError)
  })

  test("recv() of a channel sender throws TypeError instead of receiving through it", () => {
    const [tx] = bounded<number>(1)
    expect(() => recv(tx as never)).toThrow(TypeError)
  })

  test("send() on something that is not a sender, a receiver included, throws TypeError", () => {
    const [, rx] = bounded<number>(1)
    expect(() => send({} as never, 1)).toThrow(TypeError)
    expect(() => send(rx as never, 1)).toThrow(TypeError)
  })

  test("a case builder takes nothing until a select runs it", () => {
    const [tx, rx] = bounded<number>(2)
    tx.trySend(1)
    recv(rx)
    send(tx, 2)
    expect(drain(rx)).toEqual([1])
  })

  test("a case object can be reused by later selects", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    tx.trySend(2)
    const c = recv(rx)
    expect(await select([c])).toEqual({ index: 0, value: { done: false, value: 1 } })
    expect(await select([c])).toEqual({ index: 0, value: { done: false, value: 2 } })
  })
})

describe("select: argument checks", () => {
  test("cases that are not an array reject with TypeError", async () => {
    expect(await rejection(select("nope" as never))).toBeInstanceOf(TypeError)
  })

  test("an entry that is not a case rejects with TypeError", async () => {
    const [, rx] = bounded<number>(1)
    expect(await rejection(select([recv(rx), { kind: "recv" } as never]))).toBeInstanceOf(TypeError)
  })

  test("a biased option that is not a boolean rejects with TypeError", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    expect(await rejection(select([recv(rx)], { biased: 1 as never }))).toBeInstanceOf(TypeError)
    expect(drain(rx)).toEqual([1])
  })

  test("a negative timeout rejects with RangeError and takes nothing", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    expect(await rejection(select([recv(rx)], { timeout: -1 }))).toBeInstanceOf(RangeError)
    expect(drain(rx)).toEqual([1])
  })

  test("a signal that is not an AbortSignal rejects with TypeError", async () => {
    const [, rx] = bounded<number>(1)
    expect(await rejection(select([recv(rx)], { signal: {} as never }))).toBeInstanceOf(TypeError)
  })
})

describe("select: a ready case completes at once", () => {
  test("a recv case on a channel with a buffered value resolves with that value", async () => {
    const [tx, rx] = bounded<string>(2)
    tx.trySend("a")
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: "a" } })
    expect(rx.size).toBe(0)
  })

  test("a send case on a channel with room buffers the value and resolves with undefined", async () => {
    const [tx, rx] = bounded<string>(1)
    expect(await select([send(tx, "a")])).toEqual({ index: 0, value: undefined })
    expect(drain(rx)).toEqual(["a"])
  })

  test("undefined is a legal value for a recv case", async () => {
    const [tx, rx] = bounded<undefined>(1)
    tx.trySend(undefined)
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: undefined } })
  })

  test("the only ready case among pending ones is chosen and the others take nothing", async () => {
    const [, a] = bounded<number>(1)
    const [btx, b] = bounded<number>(1)
    const [, c] = bounded<number>(1)
    btx.trySend(7)
    for (let i = 0; i < 20; i++) {
      btx.trySend(7)
      expect(await select([recv(a), recv(b), recv(c)])).toEqual({ index: 1, value: { done: false, value: 7 } })
    }
    expect(a.pendingReceives + b.pendingReceives + c.pendingReceives).toBe(0)
  })

  test("when several cases are ready exactly one takes effect", async () => {
    for (let i = 0; i < 50; i++) {
      const [atx, a] = bounded<string>(1)
      const [btx, b] = bounded<string>(1)
      const [ctx, c] = bounded<string>(1)
      atx.trySend("a")
      btx.trySend("b")
      const r = await select([recv(a), recv(b), send(ctx, "c")])
      const left = [drain(a), drain(b), drain(c)]
      if (r.index === 0) expect(left).toEqual([[], ["b"], []])
      else if (r.index === 1) expect(left).toEqual([["a"], [], []])
      else expect(left).toEqual([["a"], ["b"], ["c"]])
    }
  })

  test("a recv case on a rendezvous channel takes a waiting sender's value and completes its send", async () => {
    const [tx, rx] = rendezvous<number>()
    const sent = track(tx.send(5))
    await flush()
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: 5 } })
    await flush()
    expect(sent.status).toBe("fulfilled")
    expect(rx.pendingSends).toBe(0)
  })

  test("a send case on a rendezvous channel hands its value to a waiting receiver", async () => {
    const [tx, rx] = rendezvous<number>()
    const got = track(rx.receive())
    await flush()
    expect(await select([send(tx, 9)])).toEqual({ index: 0, value: undefined })
    await flush()
    expect(got.value).toEqual({ done: false, value: 9 })
    expect(rx.pendingReceives).toBe(0)
  })

  test("a send case on a weighted channel is ready only when its weight fits", async () => {
    const [tx, rx] = channel<string>({ capacity: 4, size: (s) => s.length })
    tx.trySend("abc")
    expect(trySelect([send(tx, "xy")])).toBeUndefined()
    expect(trySelect([send(tx, "x")])).toEqual({ index: 0, value: undefined })
    expect(drain(rx)).toEqual(["abc", "x"])
  })

  test("a size function that throws rejects the select and takes nothing", async () => {
    const boom = new Error("size")
    const [tx, rx] = channel<string>({
      capacity: 4,
      size: (s) => {
        if (s === "bad") throw boom
        return 1
      },
    })
    const [otx, other] = bounded<number>(1)
    otx.trySend(1)
    expect(await rejection(select([recv(other), send(tx, "bad")]))).toBe(boom)
    expect(drain(other)).toEqual([1])
    expect(rx.size).toBe(0)
  })
})

describe("select: waiting", () => {
  test("a select with no ready case stays pending and parks one waiter per case", async () => {
    const [, a] = bounded<number>(1)
    const [btx, b] = bounded<number>(1)
    btx.trySend(0)
    const r = track(select([recv(a), send(btx, 1)]))
    await flush()
    expect(r.status).toBe("pending")
    expect(a.pendingReceives).toBe(1)
    expect(b.pendingSends).toBe(1)
    expect(drain(b)).toEqual([0, 1])
    await flush()
    expect(r.value).toEqual({ index: 1, value: undefined })
  })

  test("the first case to become ready wins and the other recv case is withdrawn", async () => {
    const [atx, a] = bounded<number>(1)
    const [btx, b] = bounded<number>(1)
    const r = track(select([recv(a), recv(b)]))
    await flush()
    expect(a.pendingReceives).toBe(1)
    expect(b.pendingReceives).toBe(1)
    btx.trySend(2)
    expect(b.pendingReceives).toBe(0)
    expect(a.pendingReceives).toBe(0)
    atx.trySend(1)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 2 } })
    expect(drain(a)).toEqual([1])
    expect(drain(b)).toEqual([])
  })

  test("a losing send case leaves no waiting sender and no value behind", async () => {
    const [atx, a] = bounded<string>(1)
    const [btx, b] = bounded<string>(1)
    atx.trySend("a0")
    btx.trySend("b0")
    const r = track(select([send(atx, "a1"), send(btx, "b1")]))
    await flush()
    expect(a.pendingSends).toBe(1)
    expect(b.pendingSends).toBe(1)
    expect(a.tryReceive()).toEqual({ ok: true, value: "a0" })
    expect(b.pendingSends).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
    expect(drain(a)).toEqual(["a1"])
    expect(drain(b)).toEqual(["b0"])
    expect(b.stats.sent).toBe(1)
  })

  test("losing send cases on rendezvous channels leave nothing for a later receiver", async () => {
    const [atx, a] = rendezvous<string>()
    const [btx, b] = rendezvous<string>()
    const r = track(select([send(atx, "a"), send(btx, "b")]))
    await flush()
    expect(await b.receive()).toEqual({ done: false, value: "b" })
    await flush()
    expect(r.value).toEqual({ index: 1, value: undefined })
    expect(a.pendingSends).toBe(0)
    expect(a.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("a losing recv case does not swallow a value sent afterwards", async () => {
    const [atx, a] = rendezvous<string>()
    const [btx, b] = rendezvous<string>()
    const r = track(select([recv(a), recv(b)]))
    await flush()
    expect(atx.trySend("first")).toEqual({ ok: true })
    expect(btx.trySend("second")).toMatchObject({ ok: false, reason: "full" })
    const later = track(b.receive())
    await flush()
    expect(later.status).toBe("pending")
    expect(btx.trySend("third")).toEqual({ ok: true })
    await flush()
    expect(r.value).toEqual({ index: 0, value: { done: false, value: "first" } })
    expect(later.value).toEqual({ done: false, value: "third" })
  })

  test("a waiting recv case is served in turn with plain receivers (first come, first served)", async () => {
    const [tx, rx] = bounded<number>(1)
    const plain = track(rx.receive())
    const r = track(select([recv(rx)]))
    await flush()
    tx.trySend(1)
    tx.trySend(2)
    await flush()
    expect(plain.value).toEqual({ done: false, value: 1 })
    expect(r.value).toEqual({ index: 0, value: { done: false, value: 2 } })
  })

  test("a waiting send case is admitted in turn with plain senders (first come, first served)", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(0)
    const plain = track(tx.send(1))
    const r = track(select([send(tx, 2)]))
    await flush()
    expect(drain(rx)).toEqual([0, 1, 2])
    await flush()
    expect(plain.status).toBe("fulfilled")
    expect(r.value).toEqual({ index: 0, value: undefined })
  })

  test("a select that waited completes with a value handed over by trySend", async () => {
    const [tx, rx] = unbounded<number>()
    const r = track(select([recv(rx)]))
    await flush()
    expect(tx.trySend(3)).toEqual({ ok: true })
    expect(rx.size).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 0, value: { done: false, value: 3 } })
  })
})

describe("select: the same channel twice", () => {
  test("two recv cases on one channel with one value take it once", async () => {
    for (let i = 0; i < 20; i++) {
      const [tx, rx] = bounded<number>(2)
      tx.trySend(1)
      const r = await select([recv(rx), recv(rx)])
      expect(r.value).toEqual({ done: false, value: 1 })
      expect(rx.size).toBe(0)
    }
  })

  test("two waiting recv cases on one channel complete once and both leave its queue", async () => {
    const [tx, rx] = bounded<number>(2)
    const r = track(select([recv(rx), recv(rx)]))
    await flush()
    expect(rx.pendingReceives).toBe(2)
    tx.trySend(1)
    tx.trySend(2)
    expect(rx.pendingReceives).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 0, value: { done: false, value: 1 } })
    expect(drain(rx)).toEqual([2])
  })

  test("two waiting send cases on one channel admit exactly one value", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(0)
    const r = track(select([send(tx, 1), send(tx, 2)]))
    await flush()
    expect(rx.pendingSends).toBe(2)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0 })
    expect(rx.pendingSends).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
    expect(drain(rx)).toEqual([1])
  })

  test("two send cases on one channel with room for one buffer exactly one value", async () => {
    const [tx, rx] = bounded<number>(1)
    const r = await select([send(tx, 1), send(tx, 2)])
    expect(drain(rx)).toEqual([r.index === 0 ? 1 : 2])
  })
})

describe("select: a send and a recv on the same channel", () => {
  test("on a rendezvous channel they never pair with each other", async () => {
    const [tx, rx] = rendezvous<number>()
    const ac = new AbortController()
    const r = track(select([send(tx, 1), recv(rx)], { signal: ac.signal }))
    await flush()
    expect(r.status).toBe("pending")
    expect(rx.pendingSends).toBe(1)
    expect(rx.pendingReceives).toBe(1)
    ac.abort("stop")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "stop" })
    expect(rx.pendingSends).toBe(0)
    expect(rx.pendingReceives).toBe(0)
    expect(rx.stats.sent).toBe(0)
  })

  test("trySelect with both on an idle rendezvous channel finds nothing ready", () => {
    const [tx, rx] = rendezvous<number>()
    expect(trySelect([send(tx, 1), recv(rx)])).toBeUndefined()
    expect(rx.pendingSends + rx.pendingReceives).toBe(0)
  })

  test("a plain receiver completes the waiting send case and the recv case leaves", async () => {
    const [tx, rx] = rendezvous<number>()
    const r = track(select([send(tx, 1), recv(rx)]))
    await flush()
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(rx.pendingReceives).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
  })

  test("a plain sender completes the waiting recv case and the send case leaves", async () => {
    const [tx, rx] = rendezvous<number>()
    const r = track(select([send(tx, 1), recv(rx)]))
    await flush()
    expect(tx.trySend(2)).toEqual({ ok: true })
    expect(rx.pendingSends).toBe(0)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 2 } })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("two such selects pair with each other, one sending and one receiving", async () => {
    for (let i = 0; i < 20; i++) {
      const [tx, rx] = rendezvous<string>()
      const first = track(select([send(tx, "first"), recv(rx)]))
      await flush()
      const second = await select([send(tx, "second"), recv(rx)])
      await flush()
      if (second.index === 0) expect(first.value).toEqual({ index: 1, value: { done: false, value: "second" } })
      else {
        expect(second.value).toEqual({ done: false, value: "first" })
        expect(first.value).toEqual({ index: 0, value: undefined })
      }
      expect(rx.pendingSends + rx.pendingReceives).toBe(0)
    }
  })

  test("on a buffered channel the send case is ready when empty and the recv case when full", async () => {
    const [tx, rx] = bounded<number>(1)
    expect(await select([send(tx, 1), recv(rx)])).toEqual({ index: 0, value: undefined })
    expect(await select([send(tx, 2), recv(rx)])).toEqual({ index: 1, value: { done: false, value: 1 } })
    expect(rx.size).toBe(0)
  })
})

describe("select: random and biased choice", () => {
  test("without biased, every ready case gets chosen over many selects", async () => {
    const seen = new Set<number>()
    const [tx, rx] = unbounded<number>()
    const [tx2, rx2] = unbounded<number>()
    for (let i = 0; i < 200; i++) {
      tx.trySend(i)
      tx2.trySend(i)
      seen.add((await select([recv(rx), recv(rx2)])).index)
      drain(rx)
      drain(rx2)
    }
    expect([...seen].sort()).toEqual([0, 1])
  })

  test("with biased, the first ready case in order is always chosen", async () => {
    const [, a] = bounded<number>(1)
    const [btx, b] = bounded<number>(1)
    const [ctx, c] = bounded<number>(1)
    for (let i = 0; i < 100; i++) {
      btx.trySend(i)
      ctx.trySend(i)
      expect((await select([recv(a), recv(b), recv(c)], { biased: true })).index).toBe(1)
      expect(drain(c)).toEqual([i])
    }
  })

  test("trySelect with biased picks the first ready case", () => {
    const [atx, a] = unbounded<number>()
    const [btx, b] = unbounded<number>()
    for (let i = 0; i < 100; i++) {
      atx.trySend(i)
      btx.trySend(i)
      expect(trySelect([recv(a), recv(b)], { biased: true })?.index).toBe(0)
    }
    expect(a.size).toBe(0)
    expect(b.size).toBe(100)
  })
})

describe("select: disabled cases", () => {
  test("null and undefined cases keep the indices of the others", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(4)
    expect(await select([null, undefined, recv(rx)])).toEqual({ index: 2, value: { done: false, value: 4 } })
    expect(await select([undefined, send(tx, 5), null])).toEqual({ index: 1, value: undefined })
  })

  test("a disabled case is never chosen, even with biased", async () => {
    const [tx, rx] = unbounded<number>()
    tx.trySend(1)
    expect((await select([null, recv(rx)], { biased: true })).index).toBe(1)
  })

  test("with no enabled case and neither signal nor timeout, select rejects with TypeError", async () => {
    expect(await rejection(select([]))).toBeInstanceOf(TypeError)
    expect(await rejection(select([null, undefined]))).toBeInstanceOf(TypeError)
  })

  test("with no enabled case, select waits for its signal", async () => {
    const ac = new AbortController()
    const r = track(select([null], { signal: ac.signal }))
    await flush()
    expect(r.status).toBe("pending")
    ac.abort("bye")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "bye" })
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  })

  test("with no enabled case, select waits for its timeout and rejects with TimeoutError", async () => {
    vi.useFakeTimers()
    const r = track(select([], { timeout: 50 }))
    await vi.advanceTimersByTimeAsync(49)
    expect(r.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(1)
    expect(r.status).toBe("rejected")
    expect(r.error).toBeInstanceOf(DOMException)
    expect((r.error as DOMException).name).toBe("TimeoutError")
  })

  test("trySelect with no enabled case returns undefined", () => {
    expect(trySelect([])).toBeUndefined()
    expect(trySelect([null, undefined])).toBeUndefined()
  })
})

describe("select: close and cancel", () => {
  test("a recv case on a closed, drained channel completes with done", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.close()
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })

  test("a recv case on a closing channel still receives the buffered values first", async () => {
    const [tx, rx] = bounded<number>(2)
    tx.trySend(1)
    tx.close("why")
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: false, value: 1 } })
    expect(await rejection(select([recv(rx)]))).toBe("why")
  })

  test("a recv case on a channel closed with a reason rejects the select with that reason", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.close("reason")
    expect(await rejection(select([recv(rx)]))).toBe("reason")
  })

  test("a recv case on a channel cancelled with a reason rejects the select with the reason", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    rx.clone().cancel("gone")
    expect(rx.state).toBe("cancelled")
    expect(await rejection(select([recv(rx)]))).toBe("gone")
  })

  test("a waiting recv case completes with done when its channel closes", async () => {
    const [tx, rx] = bounded<number>(1)
    const [, other] = bounded<number>(1)
    const r = track(select([recv(other), recv(rx)]))
    await flush()
    tx.close()
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: true, value: undefined } })
    expect(other.pendingReceives).toBe(0)
  })

  test("a waiting recv case rejects the select with the reason its channel closes with", async () => {
    const [tx, rx] = bounded<number>(1)
    const [, other] = bounded<number>(1)
    const r = track(select([recv(other), recv(rx)]))
    await flush()
    tx.close("bad")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "bad" })
    expect(other.pendingReceives).toBe(0)
  })

  test("a send case on a closed channel rejects with ChannelClosedError carrying its value", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.clone().close("why")
    const error = await rejection(select([send(tx, "v")]))
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect((error as ChannelClosedError<string>).value).toBe("v")
    expect((error as ChannelClosedError<string>).cause).toBe("why")
    expect(rx.stats.sent).toBe(0)
  })

  test("a send case on a closing channel is ready and rejects the select", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.trySend("kept")
    const tx2 = tx.clone()
    tx.close("x")
    expect(rx.state).toBe("closing")
    const [otx] = bounded<string>(1)
    otx.trySend("full")
    const error = (await rejection(select([send(otx, "x"), send(tx2, "v")]))) as ChannelClosedError<string>
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect(error.value).toBe("v")
    expect(drain(rx)).toEqual(["kept"])
  })

  test("a send case on a cancelled channel rejects with ChannelClosedError carrying its value and the reason", async () => {
    const [tx, rx] = bounded<string>(1)
    rx.cancel("stop")
    const error = (await rejection(select([send(tx, "v")]))) as ChannelClosedError<string>
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect(error.value).toBe("v")
    expect(error.cause).toBe("stop")
  })

  test("a waiting send case rejects with ChannelClosedError when its channel is cancelled, and the other cases leave", async () => {
    const [tx, rx] = bounded<string>(1)
    const [, other] = bounded<string>(1)
    tx.trySend("old")
    const r = track(select([send(tx, "new"), recv(other)]))
    await flush()
    rx.cancel("c")
    await flush()
    expect(r.status).toBe("rejected")
    expect((r.error as ChannelClosedError<string>).value).toBe("new")
    expect((r.error as ChannelClosedError<string>).cause).toBe("c")
    expect(other.pendingReceives).toBe(0)
  })

  test("a waiting select's send case counts as a waiting sender when its channel closes", async () => {
    const [tx, rx] = bounded<string>(1)
    const [, other] = bounded<string>(1)
    tx.trySend("old")
    const r = track(select([send(tx, "new"), recv(other)]))
    await flush()
    tx.close()
    expect(rx.state).toBe("closing")
    expect(rx.pendingSends).toBe(1)
    await flush()
    expect(r.status).toBe("pending")
    expect(await rx.receive()).toEqual({ done: false, value: "old" })
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
    expect(await rx.receive()).toEqual({ done: false, value: "new" })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
    expect(rx.state).toBe("closed")
  })

  test("a receiver on a closing rendezvous channel takes the waiting send case's value, completing the select", async () => {
    const [tx, rx] = rendezvous<string>()
    const [, other] = rendezvous<string>()
    const r = track(select([send(tx, "v"), recv(other)]))
    await flush()
    tx.close()
    expect(rx.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: "v" })
    expect(rx.state).toBe("closed")
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
    expect(other.pendingReceives).toBe(0)
  })

  test("a closing channel's waiting send case withdrawn by another case's win lets receivers see done", async () => {
    const [tx, rx] = bounded<string>(1)
    const [otx, other] = rendezvous<string>()
    tx.trySend("kept")
    const r = track(select([send(tx, "withdrawn"), recv(other)]))
    await flush()
    tx.close()
    expect(otx.trySend("win")).toEqual({ ok: true })
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: "win" } })
    expect(rx.pendingSends).toBe(0)
    expect(await rx.receive()).toEqual({ done: false, value: "kept" })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
    expect(rx.state).toBe("closed")
    expect(rx.stats.sent).toBe(1)
  })

  test("a waiting send case on a channel that is closed and then drained of a waiting rendezvous turns closed", async () => {
    const [tx, rx] = rendezvous<string>()
    const [, other] = rendezvous<string>()
    const ac = new AbortController()
    const r = track(select([send(tx, "v"), recv(other)], { signal: ac.signal }))
    await flush()
    tx.close()
    expect(rx.state).toBe("closing")
    ac.abort("off")
    await flush()
    expect(r).toEqual({ status: "rejected", error: "off" })
    expect(rx.state).toBe("closed")
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })
})

describe("select: released handles behave as closed", () => {
  test("a recv case on a released receiver completes with done", async () => {
    const [tx, rx] = bounded<number>(1)
    const keep = rx.clone()
    tx.trySend(1)
    rx.cancel()
    expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    expect(drain(keep)).toEqual([1])
  })

  test("a send case on a released sender rejects with ChannelClosedError carrying its value", async () => {
    const [tx, rx] = bounded<number>(1)
    const keep = tx.clone()
    tx.close()
    const error = (await rejection(select([send(tx, 3)]))) as ChannelClosedError<number>
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect(error.value).toBe(3)
    expect(rx.size).toBe(0)
    expect(keep.state).toBe("open")
  })

  test("trySelect throws for a send case on a released sender and returns done for a released receiver", () => {
    const [tx, rx] = bounded<number>(1)
    tx.clone()
    rx.clone()
    tx.close()
    rx.cancel()
    expect(() => trySelect([send(tx, 1)])).toThrow(ChannelClosedError)
    expect(trySelect([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })
})

describe("select: overflow policies", () => {
  test("a send case on a full reject channel is not ready and select never fails with ChannelFullError", async () => {
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "reject" })
    tx.trySend(0)
    expect(trySelect([send(tx, 1)])).toBeUndefined()
    const r = track(select([send(tx, 1)]))
    await flush()
    expect(r.status).toBe("pending")
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0 })
    await flush()
    expect(r.value).toEqual({ index: 0, value: undefined })
    expect(drain(rx)).toEqual([1])
  })

  test("a full reject channel's send case loses to any ready case", async () => {
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "reject" })
    const [otx, other] = unbounded<number>()
    tx.trySend(0)
    for (let i = 0; i < 30; i++) {
      otx.trySend(i)
      expect(await select([send(tx, 99), recv(other)])).toEqual({ index: 1, value: { done: false, value: i } })
    }
    expect(drain(rx)).toEqual([0])
  })

  test("a send case on a reject rendezvous channel is ready only when a receiver waits", async () => {
    const [tx, rx] = channel<number>({ capacity: 0, overflow: "reject" })
    expect(trySelect([send(tx, 1)])).toBeUndefined()
    const got = track(rx.receive())
    await flush()
    expect(trySelect([send(tx, 1)])).toEqual({ index: 0, value: undefined })
    await flush()
    expect(got.value).toEqual({ done: false, value: 1 })
  })

  test("a send case on a full drop-newest channel is ready and its value goes to onDrop", async () => {
    const dropped: [number, string][] = []
    const [tx, rx] = dropping<number>(1, { onDrop: (v, why) => dropped.push([v, why]) })
    tx.trySend(1)
    expect(await select([send(tx, 2)])).toEqual({ index: 0, value: undefined })
    expect(dropped).toEqual([[2, "overflow"]])
    expect(drain(rx)).toEqual([1])
  })

  test("a send case on a full drop-oldest channel is ready and evicts the oldest", async () => {
    const dropped: [number, string][] = []
    const [tx, rx] = sliding<number>(1, { onDrop: (v, why) => dropped.push([v, why]) })
    tx.trySend(1)
    expect(await select([send(tx, 2)])).toEqual({ index: 0, value: undefined })
    expect(dropped).toEqual([[1, "overflow"]])
    expect(drain(rx)).toEqual([2])
  })

  test("a losing send case never reaches onDrop, even when its channel is cancelled later", async () => {
    const dropped: number[] = []
    const [tx, rx] = bounded<number>(1, { onDrop: (v) => dropped.push(v) })
    const [otx, other] = rendezvous<number>()
    tx.trySend(1)
    const r = track(select([send(tx, 2), recv(other)]))
    await flush()
    otx.trySend(3)
    await flush()
    expect(r.value).toEqual({ index: 1, value: { done: false, value: 3 } })
    rx.cancel()
    expect(dropped).toEqual([1])
  })
})

describe("select: abort and timeout", () => {
  test("an already-aborted signal rejects at once and takes nothing, even with a ready case", async () => {
    const [tx, rx] = bounded<number>(2)
    tx.trySend(1)
    const ac = new AbortController()
    ac.abort("early")
    expect(await rejection(select([recv(rx), send(tx, 2)], { signal: ac.signal }))).toBe("early")
    expect(drain(rx)).toEqual([1])
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  })

  test("an abort withdraws every case: no waiter, no value, no listener left", async () => {
    const [, a] = rendezvous<number>()
    const [btx, b] = bounded<number>(1)
    btx.trySend(0)
    const ac = new AbortController()
    const r = track(select([recv(a), send(btx, 1)], { signal: ac.signal }))
    await flush()
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(1)
    ac.abort("stop")
    expect(a.pendingReceives).toBe(0)
    expect(b.pendingSends).toBe(0)
    await flush()
    expect(r).toEqual({ status: "rejected", error: "stop" })
    expect(drain(b)).toEqual([0])
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  })

  test("after an abort, a value sent on a withdrawn recv case's channel stays for the next receiver", async () => {
    const [tx, rx] = rendezvous<number>()
    const ac = new AbortController()
    const r = track(select([recv(rx)], { signal: ac.signal }))
    await flush()
    ac.abort()
    expect(tx.trySend(1)).toMatchObject({ ok: false, reason: "full" })
    await flush()
    expect(r.status).toBe("rejected")
  })

  test("a timeout withdraws every case and rejects with TimeoutError", async () => {
    vi.useFakeTimers()
    const [, a] = bounded<number>(1)
    const [btx, b] = bounded<number>(1)
    btx.trySend(0)
    const r = track(select([recv(a), send(btx, 1)], { timeout: 100 }))
    await vi.advanceTimersByTimeAsync(99)
    expect(r.status).toBe("pending")
    await vi.advanceTimersByTimeAsync(1)
    expect(r.status).toBe("rejected")
    expect((r.error as DOMException).name).toBe("TimeoutError")
    expect(a.pendingReceives).toBe(0)
    expect(b.pendingSends).toBe(0)
    expect(drain(b)).toEqual([0])
    expect(vi.getTimerCount()).toBe(0)
  })

  test("a case that wins before the timeout clears the timer and detaches the signal", async () => {
    vi.useFakeTimers()
    const [tx, rx] = bounded<number>(1)
    const ac = new AbortController()
    const r = track(select([recv(rx)], { timeout: 1000, signal: ac.signal }))
    await flush()
    expect(vi.getTimerCount()).toBe(1)
    tx.trySend(1)
    await flush()
    expect(r.value).toEqual({ index: 0, value: { done: false, value: 1 } })
    expect(vi.getTimerCount()).toBe(0)
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0)
  })

  test("an abort after a case won changes nothing", async () => {
    const [tx, rx] = bounded<number>(1)
    const ac = new AbortController()
    const r = track(select([recv(rx)], { signal: ac.signal }))
    await flush()
    tx.trySend(1)
    ac.abort("late")
    await flush()
    expect(r.value).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  test("a timeout of 0 with a ready case completes the case", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    expect(await select([recv(rx)], { timeout: 0 })).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  test("a million-ms timeout is accepted and cleared on win", async () => {
    const [tx, rx] = bounded<number>(1)
    const r = track(select([recv(rx)], { timeout: 1e9 }))
    await flush()
    tx.trySend(1)
    await flush()
    expect(r.status).toBe("fulfilled")
  })
})

describe("trySelect", () => {
  test("returns undefined when no case is ready and leaves no waiter", () => {
    const [tx, rx] = rendezvous<number>()
    const [ftx, full] = bounded<number>(1)
    ftx.trySend(0)
    expect(trySelect([recv(rx), send(ftx, 1), send(tx, 2)])).toBeUndefined()
    expect(rx.pendingSends + rx.pendingReceives + full.pendingSends).toBe(0)
    expect(drain(full)).toEqual([0])
  })

  test("completes a ready case at once and returns its result synchronously", () => {
    const [tx, rx] = bounded<number>(1)
    expect(trySelect([recv(rx), send(tx, 1)])).toEqual({ index: 1, value: undefined })
    expect(trySelect([recv(rx), null])).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  test("throws where select would reject: a recv case on a channel closed with a reason", () => {
    const [tx, rx] = bounded<number>(1)
    tx.close("r")
    let thrown: unknown
    try {
      trySelect([recv(rx)])
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBe("r")
  })

  test("throws TypeError for an entry that is not a case", () => {
    expect(() => trySelect([1 as never])).toThrow(TypeError)
  })
})
