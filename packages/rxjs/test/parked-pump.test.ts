/**
 * toObservable over a channel waits through the core's parkReceive hook: each
 * parked wait listens to the subscription's abort signal, and must stop
 * listening once the channel hands it a value.
 */

import { bounded } from "@panama/channel"
import { getEventListeners } from "node:events"
import { afterEach, describe, expect, it, vi } from "vitest"
import { toObservable } from "../src/index.js"
import { flush } from "./helpers.js"

afterEach(() => {
  vi.restoreAllMocks()
})

describe("toObservable over a channel (parked receives)", () => {
  it("a subscription that parks for each of 20 values holds at most one abort listener", async () => {
    const signals = new Set<AbortSignal>()
    const add = EventTarget.prototype.addEventListener
    vi.spyOn(EventTarget.prototype, "addEventListener").mockImplementation(function (
      this: EventTarget,
      ...args: Parameters<EventTarget["addEventListener"]>
    ) {
      if (this instanceof AbortSignal) signals.add(this)
      add.apply(this, args)
    })
    const [tx, rx] = bounded<number>(4)
    const seen: number[] = []
    const subscription = toObservable(rx).subscribe({ next: (v) => seen.push(v) })
    for (let i = 0; i < 20; i++) {
      await flush()
      expect(rx.pendingReceives).toBe(1)
      tx.trySend(i)
    }
    await flush()
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(signals.size).toBe(1)
    const [signal] = signals
    expect(getEventListeners(signal!, "abort").length).toBe(1)
    subscription.unsubscribe()
    expect(rx.pendingReceives).toBe(0)
    expect(getEventListeners(signal!, "abort").length).toBe(0)
  })
})
