import { ChannelFullError } from "@panama/channel"
import { firstValueFrom, from, map, Observable, share, Subject, take, toArray } from "rxjs"
import { describe, expect, it } from "vitest"
import { channelSubject } from "../src/index.js"
import { check, flush, scheduler, stepThrough } from "./helpers.js"

describe("channelSubject is a Subject to RxJS code", () => {
  it("is an instance of Subject and of Observable", () => {
    const subject = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    expect(subject).toBeInstanceOf(Subject)
    expect(subject).toBeInstanceOf(Observable)
  })

  it("multicasts every value to every subscriber through operators", async () => {
    const subject = channelSubject<number>({ capacity: 8, overflow: "reject" })
    const a = firstValueFrom(subject.pipe(map((n) => n * 10), toArray()))
    const b = firstValueFrom(from(subject).pipe(toArray()))
    const c = firstValueFrom(subject.asObservable().pipe(take(2), toArray()))
    subject.next(1)
    subject.next(2)
    subject.next(3)
    subject.complete()
    expect(await a).toEqual([10, 20, 30])
    expect(await b).toEqual([1, 2, 3])
    expect(await c).toEqual([1, 2])
  })

  it("works as the connector of share()", async () => {
    const source = new Subject<number>()
    const shared = source.pipe(share({ connector: () => channelSubject<number>({ capacity: 4, overflow: "drop-oldest" }) }))
    const a = firstValueFrom(shared.pipe(toArray()))
    const b = firstValueFrom(shared.pipe(toArray()))
    source.next(1)
    source.next(2)
    source.complete()
    expect(await a).toEqual([1, 2])
    expect(await b).toEqual([1, 2])
  })

  it("reports observed while it has subscribers", async () => {
    const subject = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    expect(subject.observed).toBe(false)
    const sub = subject.subscribe()
    expect(subject.observed).toBe(true)
    sub.unsubscribe()
    expect(subject.observed).toBe(false)
  })

  it("a late subscriber after error gets the error; after complete, completes", async () => {
    const failed = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    failed.error("boom")
    await expect(firstValueFrom(failed)).rejects.toBe("boom")
    const done = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    done.complete()
    expect(await firstValueFrom(done.pipe(toArray()))).toEqual([])
  })

  it("next after unsubscribe() throws ObjectUnsubscribedError, as a Subject's does", () => {
    const subject = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    subject.unsubscribe()
    expect(() => subject.next(1)).toThrow(/unsubscribed/)
  })
})

describe("channelSubject: bounded buffers per subscriber", () => {
  it("marbles: error reaches each subscriber after its buffered values", async () => {
    const s = scheduler()
    const subject = channelSubject<string>({ capacity: 4, overflow: "drop-oldest" })
    s.createColdObservable("-a-b-#", undefined, "boom").subscribe(subject)
    const result = s.expectObservable(subject)
    await stepThrough(s, 60)
    result.toBe("-a-b-#", undefined, "boom")
    check(s)
  })

  it("a slow subscriber skips its oldest values under drop-oldest while a fast one gets all", async () => {
    const lags: number[] = []
    const subject = channelSubject<number>({ capacity: 2, overflow: "drop-oldest", onLagged: (n) => lags.push(n) })
    const fast: number[] = []
    subject.subscribe((v) => fast.push(v))
    const slow = subject[Symbol.asyncIterator]() // joined now, reads at its own pace
    for (let i = 1; i <= 5; i++) {
      subject.next(i)
      await flush()
    }
    subject.complete()
    const slowSeen: number[] = []
    for (let r = await slow.next(); !r.done; r = await slow.next()) slowSeen.push(r.value)
    expect(fast).toEqual([1, 2, 3, 4, 5])
    expect(slowSeen).toEqual([4, 5])
    expect(lags).toEqual([3])
  })

  it("drop-newest makes a full subscriber miss new values; onDrop hears values nobody got", async () => {
    const drops: unknown[] = []
    const subject = channelSubject<number>({
      capacity: 2,
      overflow: "drop-newest",
      onDrop: (v, r) => drops.push([v, r]),
    })
    subject.next(0) // nobody subscribed: lost, as with a Subject, and reported
    const slow = subject[Symbol.asyncIterator]()
    for (let i = 1; i <= 4; i++) subject.next(i)
    subject.complete()
    const seen: number[] = []
    for (let r = await slow.next(); !r.done; r = await slow.next()) seen.push(r.value)
    expect(seen).toEqual([1, 2])
    expect(drops).toEqual([
      [0, "cancel"],
      [3, "overflow"],
      [4, "overflow"],
    ])
  })

  it("reject closes the subject with ChannelFullError when the slowest subscriber is full", async () => {
    const subject = channelSubject<number>({ capacity: 2, overflow: "reject" })
    const slow = subject[Symbol.asyncIterator]()
    for (let i = 1; i <= 3; i++) subject.next(i)
    const seen: unknown[] = []
    try {
      for (let r = await slow.next(); !r.done; r = await slow.next()) seen.push(r.value)
    } catch (e) {
      expect(e).toBeInstanceOf(ChannelFullError)
      seen.push((e as ChannelFullError).value)
    }
    expect(seen).toEqual([1, 2, 3])
  })

  it("leaving a for await loop unsubscribes that subscriber", async () => {
    const subject = channelSubject<number>({ capacity: 4, overflow: "drop-oldest" })
    const loop = (async () => {
      for await (const v of subject) if (v === 2) break
    })()
    await flush()
    subject.next(1)
    subject.next(2)
    await loop
    const other = firstValueFrom(subject.pipe(toArray()))
    subject.next(3)
    subject.complete()
    expect(await other).toEqual([3])
  })

  it("refuses options out of range", () => {
    expect(() => channelSubject({ capacity: 0, overflow: "drop-oldest" })).toThrow(RangeError)
    expect(() => channelSubject({ capacity: Infinity, overflow: "drop-oldest" })).toThrow(RangeError)
    expect(() => channelSubject({ capacity: 1, overflow: "suspend" as never })).toThrow(TypeError)
  })
})
