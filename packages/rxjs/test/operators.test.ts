/** The adapters inside real RxJS pipelines. */

import { bounded, unbounded } from "@panama/channel"
import {
  defer,
  firstValueFrom,
  from,
  mergeMap,
  of,
  retry,
  share,
  Subject,
  switchMap,
  takeUntil,
  toArray,
  timer,
} from "rxjs"
import { describe, expect, it } from "vitest"
import { channelSubject, eachValueFrom, fromObservable, toObservable } from "../src/index.js"
import { flush } from "./helpers.js"

describe("integration with RxJS operators", () => {
  it("mergeMap with concurrency 2 drains a channel, two jobs at a time", async () => {
    const [tx, rx] = bounded<number>(8)
    await tx.sendAll([1, 2, 3, 4, 5, 6])
    tx.close()
    let running = 0
    let most = 0
    const done = await firstValueFrom(
      toObservable(rx).pipe(
        mergeMap(async (n) => {
          most = Math.max(most, ++running)
          await flush()
          running--
          return n * n
        }, 2),
        toArray(),
      ),
    )
    expect(done.sort((a, b) => a - b)).toEqual([1, 4, 9, 16, 25, 36])
    expect(most).toBe(2)
  })

  it("switchMap over channels: switching leaves the old channel's values in place", async () => {
    const [txA, rxA] = unbounded<string>()
    const [txB, rxB] = unbounded<string>()
    const spareA = rxA.clone()
    const pick = new Subject<"a" | "b">()
    const seen: string[] = []
    pick.pipe(switchMap((k) => toObservable(k === "a" ? rxA : rxB))).subscribe((v) => seen.push(v))
    pick.next("a")
    txA.trySend("a1")
    await flush()
    pick.next("b") // unsubscribes from A: its handle is released, spareA keeps the channel
    txA.trySend("a2")
    txB.trySend("b1")
    await flush()
    expect(seen).toEqual(["a1", "b1"])
    expect(spareA.tryReceiveMany()).toEqual(["a2"])
    void txB
  })

  it("takeUntil stops a subscription without taking the next value", async () => {
    const [tx, rx] = unbounded<number>()
    const spare = rx.clone()
    const stop = new Subject<void>()
    const seen: number[] = []
    toObservable(rx).pipe(takeUntil(stop)).subscribe((v) => seen.push(v))
    tx.trySend(1)
    await flush()
    stop.next()
    tx.trySend(2)
    tx.trySend(3)
    await flush()
    expect(seen).toEqual([1])
    expect(spare.tryReceiveMany()).toEqual([2, 3])
  })

  it("share() over a channel Observable fans each value out to every subscriber", async () => {
    const [tx, rx] = bounded<number>(2)
    const shared = toObservable(rx).pipe(share())
    const all = Promise.all([firstValueFrom(shared.pipe(toArray())), firstValueFrom(shared.pipe(toArray()))])
    await tx.sendAll([1, 2, 3, 4])
    tx.close()
    expect(await all).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ])
  })

  it("retry resubscribes a source into a fresh channel each attempt via defer", async () => {
    let attempt = 0
    const flaky = defer(() => {
      attempt++
      const rx = fromObservable(attempt < 3 ? from([1, 2]).pipe(mergeMap((n) => (n === 2 ? Promise.reject(new Error("flaky")) : of(n)))) : of(1, 2), {
        capacity: 4,
        overflow: "reject",
      })
      return toObservable(rx)
    })
    const seen = await firstValueFrom(flaky.pipe(retry(3), toArray()))
    expect(attempt).toBe(3)
    expect(seen).toEqual([1, 1, 1, 2])
  })

  it("a channelSubject behind mergeMap and timer delivers to a fast and a pull subscriber", async () => {
    const subject = channelSubject<number>({ capacity: 16, overflow: "drop-oldest" })
    const fast = firstValueFrom(subject.pipe(mergeMap((n) => timer(0).pipe(mergeMap(() => of(n))), 4), toArray()))
    const pulled: number[] = []
    const pull = (async () => {
      for await (const v of subject) pulled.push(v)
    })()
    for (const n of [1, 2, 3]) subject.next(n)
    subject.complete()
    await pull
    expect((await fast).sort()).toEqual([1, 2, 3])
    expect(pulled).toEqual([1, 2, 3])
  })

  it("eachValueFrom under switchMap-produced inner streams", async () => {
    const seen: number[] = []
    const source = of(1, 2).pipe(switchMap((n) => of(n * 10, n * 10 + 1)))
    for await (const v of eachValueFrom(source, { capacity: 8, overflow: "reject" })) seen.push(v)
    expect(seen).toEqual([10, 11, 20, 21])
  })
})
