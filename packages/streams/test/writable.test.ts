import { bounded, ChannelClosedError, rendezvous, unbounded } from "@panama/channel"
import { describe, expect, it } from "vitest"
import { toWritableStream } from "../src/index.js"
import { flush, impls, track } from "./impls.js"

describe.each(impls)("toWritableStream ($name)", ({ WritableStream }) => {
  it("a write resolves once the channel accepted the chunk", async () => {
    const [tx, rx] = bounded<string>(1)
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    await writer.write("a")
    const second = track(writer.write("b"))
    await flush()
    expect(second.status).toBe("pending")
    expect(rx.pendingSends).toBe(1)
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await flush()
    expect(second.status).toBe("fulfilled")
    expect(rx.tryReceiveMany()).toEqual(["b"])
  })

  it("close releases the sender: the channel closes once that was the last one", async () => {
    const [tx, rx] = unbounded<number>()
    const other = tx.clone()
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    await writer.write(1)
    await writer.close()
    expect([rx.senders, rx.state]).toEqual([1, "open"])
    other.close()
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  it("abort(reason) closes the channel with the reason after the values already accepted", async () => {
    const [tx, rx] = unbounded<number>()
    const other = tx.clone()
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    await writer.write(1)
    await writer.abort("stop")
    expect(other.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    await expect(rx.receive()).rejects.toBe("stop")
  })

  it("abort() without a reason closes the channel with an AbortError", async () => {
    const [tx, rx] = unbounded<number>()
    await toWritableStream(tx, { WritableStream }).abort()
    await expect(rx.receive()).rejects.toMatchObject({ name: "AbortError" })
  })

  it("abort() withdraws a write waiting for room and leaves nothing in the channel", async () => {
    const [tx, rx] = bounded<string>(1)
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    await writer.write("a")
    const waiting = writer.write("b")
    await flush()
    expect(rx.pendingSends).toBe(1)
    const aborted = writer.abort("halt")
    await expect(waiting).rejects.toBe("halt")
    await aborted
    expect(rx.pendingSends).toBe(0)
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await expect(rx.receive()).rejects.toBe("halt")
  })

  it("when the channel is cancelled a waiting write rejects with ChannelClosedError carrying its chunk", async () => {
    const [tx, rx] = rendezvous<string>()
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    const waiting = writer.write("x")
    await flush()
    rx.cancel("no more")
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect((error as ChannelClosedError<string>).value).toBe("x")
    expect((error as ChannelClosedError<string>).cause).toBe("no more")
    expect(tx.senders).toBe(0)
  })

  it("when the channel is cancelled while idle the stream errors at once, naming the reason", async () => {
    const [tx, rx] = bounded<string>(1)
    const writer = toWritableStream(tx, { WritableStream }).getWriter()
    const closed = track(writer.closed)
    rx.cancel("gone")
    await flush()
    expect(closed.status).toBe("rejected")
    expect(closed.error).toBeInstanceOf(ChannelClosedError)
    expect((closed.error as ChannelClosedError).cause).toBe("gone")
    expect(tx.senders).toBe(0)
  })

  it("refuses a highWaterMark below 1", () => {
    const [tx] = unbounded<number>()
    expect(() => toWritableStream(tx, { highWaterMark: 0 })).toThrow(RangeError)
    expect(() => toWritableStream(tx, { highWaterMark: Number.NaN })).toThrow(RangeError)
  })
})
