import { ChannelFullError } from "@panama/channel"
import { of, Subject, throwError, concat } from "rxjs"
import { describe, expect, it } from "vitest"
import { eachValueFrom } from "../src/index.js"
import { flush } from "./helpers.js"

describe("eachValueFrom", () => {
  it("iterates every value, then ends when the Observable completes", async () => {
    const seen: number[] = []
    for await (const v of eachValueFrom(of(1, 2, 3), { capacity: 4, overflow: "reject" })) seen.push(v)
    expect(seen).toEqual([1, 2, 3])
  })

  it("throws the Observable's error after the buffered values", async () => {
    const seen: unknown[] = []
    try {
      for await (const v of eachValueFrom(concat(of(1), throwError(() => "boom")), { capacity: 4, overflow: "reject" })) {
        seen.push(v)
      }
    } catch (e) {
      seen.push(e)
    }
    expect(seen).toEqual([1, "boom"])
  })

  it("subscribes when iteration starts and unsubscribes on break", async () => {
    const source = new Subject<number>()
    const iterable = eachValueFrom(source, { capacity: 2, overflow: "drop-oldest" })
    expect(source.observed).toBe(false)
    const seen: number[] = []
    const loop = (async () => {
      for await (const v of iterable) {
        seen.push(v)
        if (v === 2) break
      }
    })()
    await flush()
    expect(source.observed).toBe(true)
    source.next(1)
    source.next(2)
    source.next(3)
    await loop
    await flush()
    expect(seen).toEqual([1, 2])
    expect(source.observed).toBe(false)
  })

  it("holds at most capacity values while the loop body is busy", async () => {
    const drops: number[] = []
    const source = new Subject<number>()
    const it = eachValueFrom(source, { capacity: 3, overflow: "drop-oldest", onDrop: (v) => drops.push(v) })
    const first = it.next()
    await flush()
    for (let i = 0; i < 10; i++) source.next(i)
    expect((await first).value).toBe(0)
    source.complete()
    const rest: number[] = []
    for await (const v of it) rest.push(v)
    expect(rest).toEqual([7, 8, 9])
    expect(drops).toEqual([1, 2, 3, 4, 5, 6])
  })

  it("reject ends the loop with ChannelFullError carrying the refused value", async () => {
    const source = new Subject<number>()
    const it = eachValueFrom(source, { capacity: 1, overflow: "reject" })
    const first = it.next()
    await flush()
    source.next(1) // to the waiting receive
    source.next(2) // buffered
    source.next(3) // refused
    expect(await first).toEqual({ done: false, value: 1 })
    expect(await it.next()).toEqual({ done: false, value: 2 })
    const error = await it.next().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError).value).toBe(3)
  })

  it("checks options when called, not at the first next()", () => {
    expect(() => eachValueFrom(of(1), { capacity: 1 } as never)).toThrow(TypeError)
    expect(() => eachValueFrom(of(1), { capacity: -1, overflow: "reject" })).toThrow(RangeError)
    // The channel's own checks too: a drop policy needs room to drop from.
    expect(() => eachValueFrom(of(1), { capacity: 0, overflow: "drop-newest" })).toThrow(RangeError)
  })

  it("capacity 0: a source that emits during subscribe hands its first value to the waiting next()", async () => {
    const it = eachValueFrom(of(1, 2), { capacity: 0, overflow: "reject" })
    expect(await it.next()).toEqual({ done: false, value: 1 })
    // 2 found no waiting receive and no room: refused.
    const error = await it.next().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError).value).toBe(2)
  })
})
