import { bounded, channel, rendezvous, unbounded, type DropReason } from "@panama/channel"
import { describe, expect, it } from "vitest"
import { toReadableStream } from "../src/index.js"
import { flush, impls, track } from "./impls.js"

describe.each(impls)("toReadableStream ($name)", ({ ReadableStream }) => {
  it("takes a value out of the channel only when a read asks for one", async () => {
    const [tx, rx] = bounded<number>(4)
    tx.trySend(1)
    tx.trySend(2)
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    await flush()
    expect(rx.size).toBe(2)
    expect(await reader.read()).toEqual({ done: false, value: 1 })
    await flush()
    expect(rx.size).toBe(1)
  })

  it("a plain close ends the stream after the last value", async () => {
    const [tx, rx] = unbounded<string>()
    tx.trySend("a")
    tx.trySend("b")
    tx.close()
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    const got = [await reader.read(), await reader.read(), await reader.read()]
    expect(got).toEqual([
      { done: false, value: "a" },
      { done: false, value: "b" },
      { done: true, value: undefined },
    ])
    await reader.closed
  })

  it("a close with a reason errors the stream only after the last value was read", async () => {
    const [tx, rx] = unbounded<string>()
    tx.trySend("a")
    tx.trySend("b")
    tx.close("boom")
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    const closed = track(reader.closed)
    expect(await reader.read()).toEqual({ done: false, value: "a" })
    await flush()
    expect(closed.status).toBe("pending")
    // The last value is delivered; only then may the stream error.
    expect(await reader.read()).toEqual({ done: false, value: "b" })
    await expect(reader.read()).rejects.toBe("boom")
    expect(closed.status).toBe("rejected")
    expect(closed.error).toBe("boom")
  })

  it("a channel already closed with a reason and drained gives an errored stream at once", async () => {
    const [tx, rx] = unbounded<string>()
    tx.close("gone")
    const stream = toReadableStream(rx, { ReadableStream })
    await expect(stream.cancel()).rejects.toBe("gone")
  })

  it("values sent while a read waits are delivered in order", async () => {
    const [tx, rx] = rendezvous<number>()
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    const first = reader.read()
    const second = reader.read()
    await flush()
    expect(rx.pendingReceives).toBe(1)
    await tx.send(1)
    await tx.send(2)
    expect([await first, await second]).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
    ])
  })

  it("cancel aborts the waiting receive: a value sent afterwards stays in the channel", async () => {
    const [tx, rx] = bounded<string>(1)
    const other = rx.clone()
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    const read = reader.read()
    await flush()
    expect(rx.pendingReceives).toBe(1)
    await reader.cancel("done here")
    expect(rx.pendingReceives).toBe(0)
    expect(await read).toEqual({ done: true, value: undefined })
    tx.trySend("kept")
    expect(other.tryReceive()).toEqual({ ok: true, value: "kept" })
  })

  it("cancel releases the handle: the channel cancels only when it was the last receiver", async () => {
    const [, rx] = bounded<string>(1)
    const other = rx.clone()
    await toReadableStream(rx, { ReadableStream }).cancel()
    expect([rx.receivers, rx.state]).toEqual([1, "open"])
    await toReadableStream(other, { ReadableStream }).cancel()
    expect([other.receivers, other.state]).toEqual([0, "cancelled"])
  })

  it("the end of the channel releases the handle", async () => {
    const [tx, rx] = bounded<string>(1)
    tx.close()
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    expect(await reader.read()).toEqual({ done: true, value: undefined })
    expect(rx.receivers).toBe(0)
  })

  it("a value handed over as the stream is cancelled goes to onDrop, never lost", async () => {
    const drops: [string, DropReason][] = []
    const [tx, rx] = channel<string>({ capacity: 1, onDrop: (v, r) => drops.push([v, r]) })
    const reader = toReadableStream(rx, { ReadableStream }).getReader()
    const read = reader.read()
    await flush()
    expect(rx.pendingReceives).toBe(1)
    // The waiting receive takes the value synchronously; the cancel comes before its reaction runs.
    expect(tx.trySend("in flight")).toEqual({ ok: true })
    const cancelled = reader.cancel()
    await cancelled
    await flush()
    expect(await read).toEqual({ done: true, value: undefined })
    expect(drops).toEqual([["in flight", "cancel"]])
    expect(rx.stats).toEqual({ sent: 1, received: 0, dropped: { overflow: 0, cancel: 1 } })
  })

  it("values prefetched under a highWaterMark go to onDrop with reason cancel, oldest first", async () => {
    const drops: [number, DropReason][] = []
    const [tx, rx] = channel<number>({ capacity: 8, onDrop: (v, r) => drops.push([v, r]) })
    for (let i = 1; i <= 5; i++) tx.trySend(i)
    const reader = toReadableStream(rx, { highWaterMark: 3, ReadableStream }).getReader()
    await flush()
    expect(rx.size).toBe(2)
    expect(await reader.read()).toEqual({ done: false, value: 1 })
    await flush()
    expect(rx.size).toBe(1)
    await reader.cancel()
    expect(drops).toEqual([
      [2, "cancel"],
      [3, "cancel"],
      [4, "cancel"],
      [5, "cancel"],
    ])
    expect(rx.stats).toEqual({ sent: 5, received: 1, dropped: { overflow: 0, cancel: 4 } })
  })

  it("size weighs the prefetch against highWaterMark", async () => {
    const [tx, rx] = unbounded<string>()
    for (const s of ["aa", "bb", "c", "dddd"]) tx.trySend(s)
    toReadableStream(rx, { highWaterMark: 4, size: (s) => s.length, ReadableStream })
    await flush()
    // "aa" + "bb" reach 4: the prefetch stops there.
    expect(rx.tryReceiveMany()).toEqual(["c", "dddd"])
  })

  it("with a prefetch, a plain close still delivers every held value, then ends", async () => {
    const [tx, rx] = unbounded<number>()
    for (let i = 0; i < 4; i++) tx.trySend(i)
    tx.close("late")
    const got: number[] = []
    const stream = toReadableStream(rx, { highWaterMark: 2, ReadableStream })
    await expect(
      (async () => {
        for await (const v of stream) got.push(v)
      })(),
    ).rejects.toBe("late")
    expect(got).toEqual([0, 1, 2, 3])
  })

  it("refuses nonsense options", () => {
    const [, rx] = unbounded<Uint8Array>()
    expect(() => toReadableStream(rx, { highWaterMark: -1 })).toThrow(RangeError)
    expect(() => toReadableStream(rx, { highWaterMark: Number.NaN })).toThrow(RangeError)
    expect(() => toReadableStream(rx, { type: "bytes", size: () => 1 })).toThrow(RangeError)
    expect(() => toReadableStream(rx, { type: "nope" as "bytes" })).toThrow(TypeError)
  })
})

describe.each(impls)('toReadableStream type "bytes" ($name)', ({ ReadableStream }) => {
  it("a BYOB reader receives a value larger than its buffer over several reads", async () => {
    const [tx, rx] = unbounded<Uint8Array>()
    tx.trySend(Uint8Array.of(1, 2, 3, 4, 5))
    tx.trySend(Uint8Array.of(6))
    tx.close()
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader({ mode: "byob" })
    const got: number[][] = []
    for (;;) {
      const r = await reader.read(new Uint8Array(2))
      if (r.done) break
      got.push([...r.value])
    }
    expect(got).toEqual([[1, 2], [3, 4], [5], [6]])
  })

  it("a default reader gets each chunk whole", async () => {
    const [tx, rx] = unbounded<Uint8Array>()
    tx.trySend(Uint8Array.of(1, 2, 3))
    tx.trySend(new Uint8Array(0))
    tx.trySend(Uint8Array.of(4))
    tx.close()
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader()
    const got: number[][] = []
    for (let r = await reader.read(); !r.done; r = await reader.read()) got.push([...r.value])
    expect(got).toEqual([[1, 2, 3], [4]])
  })

  it("a BYOB read waiting when the channel closes resolves done", async () => {
    const [tx, rx] = unbounded<Uint8Array>()
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader({ mode: "byob" })
    const read = reader.read(new Uint8Array(4))
    await flush()
    tx.close()
    const r = await read
    expect(r.done).toBe(true)
  })

  it("a pooled Node Buffer is copied, so its pool neighbours stay intact (nodejs/node#39311)", async () => {
    // Two Buffers sharing one pool ArrayBuffer, as Buffer.from(string) makes them.
    const pool = new ArrayBuffer(64)
    const neighbour = Buffer.from(pool, 0, 9)
    neighbour.write("neighbour")
    const pooled = Buffer.from(pool, 16, 6)
    pooled.write("pooled")
    const [tx, rx] = unbounded<Uint8Array>()
    tx.trySend(pooled)
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader()
    const r = await reader.read()
    expect(Buffer.from(r.value!).toString()).toBe("pooled")
    expect(pool.byteLength).toBe(64)
    expect(neighbour.toString()).toBe("neighbour")
    expect(pooled.toString()).toBe("pooled")
  })

  it("a chunk that owns its whole buffer is transferred, not copied", async () => {
    const [tx, rx] = unbounded<Uint8Array>()
    const chunk = Uint8Array.of(7, 8, 9)
    tx.trySend(chunk)
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader()
    const r = await reader.read()
    expect([...r.value!]).toEqual([7, 8, 9])
    expect(chunk.byteLength).toBe(0)
  })

  it("a value that is not a byte view errors the stream with TypeError and goes to onDrop", async () => {
    const drops: unknown[] = []
    const [tx, rx] = channel<Uint8Array>({ capacity: 2, onDrop: (v) => drops.push(v) })
    tx.trySend("text" as unknown as Uint8Array)
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader()
    await expect(reader.read()).rejects.toBeInstanceOf(TypeError)
    expect(drops).toEqual(["text"])
  })

  it("the rest of a value a BYOB read could not hold goes to onDrop on cancel", async () => {
    const drops: number[][] = []
    const [tx, rx] = channel<Uint8Array>({ capacity: 2, onDrop: (v) => drops.push([...v]) })
    tx.trySend(Uint8Array.of(1, 2, 3))
    const reader = toReadableStream(rx, { type: "bytes", ReadableStream }).getReader({ mode: "byob" })
    const r = await reader.read(new Uint8Array(1))
    expect([...r.value!]).toEqual([1])
    await reader.cancel()
    expect(drops).toEqual([[2, 3]])
  })
})
