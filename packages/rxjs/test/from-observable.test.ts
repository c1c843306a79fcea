import { bounded, channel, ChannelFullError, sliding } from "@panama/channel"
import { of, range, Subject, tap } from "rxjs"
import { describe, expect, it } from "vitest"
import { fromObservable, subscribeToChannel } from "../src/index.js"
import { check, flush, scheduler, stepThrough } from "./helpers.js"

describe("subscribeToChannel: marbles", () => {
  it("complete closes the channel after the values and ends the subscription", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(8)
    const source = s.createColdObservable("-a-b-|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    await stepThrough(s, 60)
    s.expectSubscriptions(source.subscriptions).toBe("^----!")
    check(s)
    expect(tx.state).toBe("closing")
    expect(rx.tryReceiveMany()).toEqual(["a", "b"])
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  it("error closes the channel with the error after the values", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(8)
    const source = s.createColdObservable("-a-#", undefined, "boom")
    subscribeToChannel(source, tx, { overflow: "reject" })
    await stepThrough(s, 40)
    s.expectSubscriptions(source.subscriptions).toBe("^--!")
    check(s)
    expect(await rx.receive()).toEqual({ done: false, value: "a" })
    await expect(rx.receive()).rejects.toBe("boom")
  })

  it("cancelling the channel unsubscribes the source in the same frame", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(8)
    const source = s.createHotObservable("-a-b-c-d-|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    s.schedule(() => rx.cancel(), 50)
    await stepThrough(s, 100)
    s.expectSubscriptions(source.subscriptions).toBe("^----!")
    check(s)
    expect(tx.state).toBe("cancelled")
  })

  it("reject closes the channel with ChannelFullError carrying the refused value and unsubscribes", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(2)
    const source = s.createColdObservable("-a-b-c-d|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    await stepThrough(s, 90)
    s.expectSubscriptions(source.subscriptions).toBe("^----!")
    check(s)
    expect(rx.tryReceiveMany()).toEqual(["a", "b"])
    const error = await rx.receive().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChannelFullError)
    expect((error as ChannelFullError).value).toBe("c")
  })

  it("unsubscribing the returned subscription releases the handle", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(8)
    const source = s.createHotObservable("-a-b-c-|")
    const sub = subscribeToChannel(source, tx, { overflow: "reject" })
    s.schedule(() => sub.unsubscribe(), 40)
    await stepThrough(s, 80)
    s.expectSubscriptions(source.subscriptions).toBe("^---!")
    check(s)
    expect(rx.tryReceiveMany()).toEqual(["a", "b"])
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })
})

describe("subscribeToChannel: overflow policies", () => {
  it("drop-newest drops what the full channel cannot take, reporting each value", () => {
    const drops: unknown[] = []
    const [tx, rx] = bounded<number>(2)
    subscribeToChannel(of(1, 2, 3, 4), tx, { overflow: "drop-newest", onDrop: (v, r) => drops.push([v, r]) })
    expect(rx.tryReceiveMany()).toEqual([1, 2])
    expect(drops).toEqual([
      [3, "overflow"],
      [4, "overflow"],
    ])
  })

  it("drop-oldest on a suspending channel keeps the newest values in the stage", async () => {
    const drops: unknown[] = []
    const [tx, rx] = bounded<number>(2)
    subscribeToChannel(of(1, 2, 3, 4, 5, 6), tx, {
      overflow: "drop-oldest",
      stage: 2,
      onDrop: (v, r) => drops.push([v, r]),
    })
    await flush()
    expect(drops).toEqual([
      [3, "overflow"],
      [4, "overflow"],
    ])
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([1, 2, 5, 6])
  })

  it("drop-oldest on a sliding channel lets the channel evict, into its own onDrop", () => {
    const drops: unknown[] = []
    const [tx, rx] = sliding<number>(2, { onDrop: (v, r) => drops.push([v, r]) })
    subscribeToChannel(of(1, 2, 3, 4), tx, { overflow: "drop-oldest" })
    expect(rx.tryReceiveMany()).toEqual([3, 4])
    expect(drops).toEqual([
      [1, "overflow"],
      [2, "overflow"],
    ])
  })

  it("a stage absorbs a burst and sends it in order as room appears", async () => {
    const [tx, rx] = bounded<number>(1)
    const source = new Subject<number>()
    subscribeToChannel(source, tx, { overflow: "reject", stage: 3 })
    for (const v of [1, 2, 3, 4]) source.next(v)
    expect(rx.size).toBe(1)
    source.complete()
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([1, 2, 3, 4])
  })

  it("a full stage under reject closes the channel with the refused value", async () => {
    const [tx, rx] = bounded<number>(1)
    const source = new Subject<number>()
    subscribeToChannel(source, tx, { overflow: "reject", stage: 2 })
    for (const v of [1, 2, 3, 4]) source.next(v)
    expect(source.observed).toBe(false)
    const seen: unknown[] = []
    try {
      for await (const v of rx) seen.push(v)
    } catch (e) {
      seen.push((e as ChannelFullError).value)
    }
    expect(seen).toEqual([1, 2, 3, 4]) // 2 and 3 were staged and still delivered; 4 came back in the error
  })

  it("a synchronous source is stopped as soon as the channel refuses", () => {
    const [tx] = bounded<number>(3)
    let emitted = 0
    const counted = range(0, 1_000_000_000).pipe(tap(() => emitted++))
    subscribeToChannel(counted, tx, { overflow: "reject" })
    expect(emitted).toBe(4) // three accepted, the fourth refused, then range saw its subscriber closed
    expect(tx.state).toBe("closing")
  })

  it("values still held when the channel is cancelled go to onDrop as cancel", async () => {
    const drops: unknown[] = []
    const [tx, rx] = bounded<number>(1)
    const source = new Subject<number>()
    subscribeToChannel(source, tx, { overflow: "reject", stage: 3, onDrop: (v, r) => drops.push([v, r]) })
    for (const v of [1, 2, 3]) source.next(v)
    rx.cancel()
    await flush()
    expect(source.observed).toBe(false)
    expect(drops).toEqual([
      [2, "cancel"],
      [3, "cancel"],
    ])
  })

  it("refuses a missing or unknown policy and an unbounded stage", () => {
    const [tx] = bounded<number>(1)
    expect(() => subscribeToChannel(of(1), tx, {} as never)).toThrow(TypeError)
    expect(() => subscribeToChannel(of(1), tx, { overflow: "suspend" as never })).toThrow(TypeError)
    expect(() => subscribeToChannel(of(1), tx, { overflow: "reject", stage: Infinity })).toThrow(RangeError)
    expect(() => subscribeToChannel(of(1), tx, { overflow: "reject", stage: -1 })).toThrow(RangeError)
    expect(() => subscribeToChannel(of(1), tx, { overflow: "drop-oldest", stage: 0 })).toThrow(RangeError)
  })
})

describe("fromObservable", () => {
  it("makes a channel the Observable feeds, and closes it on complete", async () => {
    const rx = fromObservable(of(1, 2, 3), { capacity: 4, overflow: "reject" })
    const seen: number[] = []
    for await (const v of rx) seen.push(v)
    expect(seen).toEqual([1, 2, 3])
  })

  it("one onDrop hears drops by the channel", () => {
    const drops: unknown[] = []
    const rx = fromObservable(of(1, 2, 3, 4), {
      capacity: 2,
      overflow: "drop-newest",
      onDrop: (v, r) => drops.push([v, r]),
    })
    expect(rx.tryReceiveMany()).toEqual([1, 2])
    expect(drops).toEqual([
      [3, "overflow"],
      [4, "overflow"],
    ])
  })

  it("cancelling the receiver unsubscribes the source and drops the buffer as cancel", async () => {
    const drops: unknown[] = []
    const source = new Subject<number>()
    const rx = fromObservable(source, { capacity: 4, overflow: "reject", onDrop: (v, r) => drops.push([v, r]) })
    source.next(1)
    source.next(2)
    expect(source.observed).toBe(true)
    rx.cancel()
    await flush()
    expect(source.observed).toBe(false)
    expect(drops).toEqual([
      [1, "cancel"],
      [2, "cancel"],
    ])
  })

  it("refuses an unbounded or missing capacity", () => {
    expect(() => fromObservable(of(1), { capacity: Infinity, overflow: "reject" })).toThrow(RangeError)
    expect(() => fromObservable(of(1), { overflow: "reject" } as never)).toThrow(TypeError)
  })

  it("a weighted channel takes size from the options", () => {
    const rx = fromObservable(of("aa", "bbb", "c"), { capacity: 5, overflow: "drop-newest", size: (s) => s.length })
    expect(rx.tryReceiveMany()).toEqual(["aa", "bbb"])
    void channel
  })
})
