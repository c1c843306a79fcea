import { bounded, channel, rendezvous, unbounded } from "@panama/channel"
import { share, take, takeUntil, toArray, firstValueFrom, Subject } from "rxjs"
import { describe, expect, it } from "vitest"
import { subscribeToChannel, toObservable } from "../src/index.js"
import { check, flush, scheduler, stepThrough } from "./helpers.js"

describe("toObservable: marbles (TestScheduler for the Observable side, microtasks flushed per frame)", () => {
  it("values arrive at the frame they were sent and close maps to complete", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(4)
    const source = s.createColdObservable("-a-b--c|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    const result = s.expectObservable(toObservable(rx))
    await stepThrough(s, 80)
    result.toBe("-a-b--c|")
    check(s)
  })

  it("close with a reason maps to error after the buffered values", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(4)
    s.schedule(() => {
      tx.trySend("a")
      tx.trySend("b")
      tx.close("boom")
    }, 20)
    const result = s.expectObservable(toObservable(rx))
    await stepThrough(s, 40)
    result.toBe("--(ab#)", undefined, "boom")
    check(s)
  })

  it("cancel with a reason maps to error, cancel without one to complete", async () => {
    const s = scheduler()
    const [, rx1] = bounded<string>(4)
    const [, rx2] = bounded<string>(4)
    const other1 = rx1.clone()
    const other2 = rx2.clone()
    s.schedule(() => other1.cancel("gone"), 30)
    s.schedule(() => other2.cancel(), 10)
    const r1 = s.expectObservable(toObservable(rx1))
    const r2 = s.expectObservable(toObservable(rx2))
    await stepThrough(s, 40)
    r1.toBe("---#", undefined, "gone")
    r2.toBe("-") // a plain cancel of another handle releases only that handle
    check(s)
  })

  it("unsubscribing between values leaves the next values in the channel", async () => {
    const s = scheduler()
    const [tx, rx] = bounded<string>(8)
    const source = s.createColdObservable("-a-b-c-d|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    const spare = rx.clone()
    const result = s.expectObservable(toObservable(rx), "^-!")
    await stepThrough(s, 90)
    result.toBe("-a")
    check(s)
    expect(spare.tryReceiveMany()).toEqual(["b", "c", "d"])
  })

  it("a value handed over in the frame of the unsubscribe reaches the subscriber in the hand-off itself", async () => {
    const s = scheduler()
    const drops: unknown[] = []
    const [tx, rx] = bounded<string>(8, { onDrop: (v, reason) => drops.push([v, reason]) })
    const source = s.createColdObservable("-a-b-c-d|")
    subscribeToChannel(source, tx, { overflow: "reject" })
    const spare = rx.clone()
    const result = s.expectObservable(toObservable(rx), "^--!")
    await stepThrough(s, 90)
    // b is emitted before the unsubscribe in frame 3 and reaches next() inside the send: nothing to drop.
    result.toBe("-a-b")
    check(s)
    expect(drops).toEqual([])
    expect(spare.tryReceiveMany()).toEqual(["c", "d"])
  })
})

describe("toObservable: handles and ownership", () => {
  it("competing subscribers each take a share and no value is seen twice", async () => {
    const [tx, rx] = unbounded<number>()
    const a: number[] = []
    const b: number[] = []
    const obs = toObservable(rx)
    obs.subscribe((v) => a.push(v))
    obs.subscribe((v) => b.push(v))
    for (let i = 0; i < 6; i++) await tx.send(i)
    tx.close()
    await flush()
    expect([...a, ...b].sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(a.length).toBeGreaterThan(0)
    expect(b.length).toBeGreaterThan(0)
  })

  it("share() gives every subscriber every value", async () => {
    const [tx, rx] = bounded<number>(4)
    const shared = toObservable(rx).pipe(share())
    const a = firstValueFrom(shared.pipe(toArray()))
    const b = firstValueFrom(shared.pipe(toArray()))
    await tx.sendAll([1, 2, 3])
    tx.close()
    expect(await a).toEqual([1, 2, 3])
    expect(await b).toEqual([1, 2, 3])
  })

  it("by default the last unsubscribe releases the handle, which cancels a channel with no other receiver", async () => {
    const [tx, rx] = bounded<number>(4)
    const sub = toObservable(rx).subscribe()
    await flush()
    expect(tx.receivers).toBe(1)
    sub.unsubscribe()
    expect(tx.state).toBe("cancelled")
    expect(tx.receivers).toBe(0)
  })

  it("releaseOnLastUnsubscribe: false keeps the handle for later subscribers", async () => {
    const [tx, rx] = bounded<number>(4)
    const obs = toObservable(rx, { releaseOnLastUnsubscribe: false })
    obs.pipe(take(1)).subscribe()
    await tx.send(1)
    await flush()
    expect(tx.state).toBe("open")
    expect(tx.receivers).toBe(1)
    const seen: number[] = []
    obs.subscribe((v) => seen.push(v))
    await tx.send(2)
    await flush()
    expect(seen).toEqual([2])
  })

  it("a value handed to a waiting subscription reaches next() before trySend returns, so an unsubscribe right after loses nothing", async () => {
    const drops: [number, string][] = []
    const [tx, rx] = rendezvous<number>({ onDrop: (v, r) => drops.push([v, r]) })
    const spare = rx.clone()
    const seen: number[] = []
    const sub = toObservable(rx).subscribe((v) => seen.push(v))
    await flush() // the subscription's receive is waiting
    expect(tx.trySend(7)).toEqual({ ok: true }) // handed to the waiting subscription...
    expect(seen).toEqual([7]) // ...which got it inside the hand-off
    sub.unsubscribe()
    await flush()
    expect(seen).toEqual([7])
    expect(drops).toEqual([])
    expect(spare.stats.dropped.cancel).toBe(0)
    expect(tx.trySend(8)).toEqual({ ok: false, reason: "full", value: 8 }) // the withdrawn wait took nothing
  })

  it("an unsubscribe before the channel hands over a value takes nothing", async () => {
    const [tx, rx] = channel<number>({ capacity: 0 })
    const spare = rx.clone()
    const stop = new Subject<void>()
    const seen: number[] = []
    toObservable(rx).pipe(takeUntil(stop)).subscribe((v) => seen.push(v))
    await flush()
    stop.next()
    expect(tx.trySend(1)).toEqual({ ok: false, reason: "full", value: 1 }) // no receiver waits any more
    const later = spare.receive()
    expect(tx.trySend(2)).toEqual({ ok: true })
    expect(await later).toEqual({ done: false, value: 2 })
    expect(seen).toEqual([])
  })

  it("refuses options of the wrong type", () => {
    const [, rx] = bounded<number>(1)
    expect(() => toObservable(rx, null as never)).toThrow(TypeError)
    expect(() => toObservable(rx, { releaseOnLastUnsubscribe: "yes" as never })).toThrow(TypeError)
  })
})
