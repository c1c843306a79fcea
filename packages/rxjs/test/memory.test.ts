/**
 * The RxJS #2342 class of bug: a hot source and a slow subscriber. With a
 * `drop-oldest` channelSubject the slow subscriber lags instead of memory
 * growing. 10 million values are emitted synchronously in chunks (one chunk
 * per setImmediate), while a pull subscriber awaits a 1 ms timer per value and
 * a push subscriber counts; the heap is sampled after gc() between chunks.
 */

import { describe, expect, it } from "vitest"
import { channelSubject } from "../src/index.js"

const TOTAL = 10_000_000
const CHUNK = 250_000
const CAPACITY = 256
const BOUND = 24 * 1024 * 1024 // bytes: 10M retained numbers would take 80 MB or more

const gc = (globalThis as { gc?: () => void }).gc
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
const sleep1 = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

describe("memory", () => {
  it(
    "a hot source of 10 million values into a drop-oldest subject with a 1 ms-per-value subscriber keeps the heap bounded",
    async () => {
      expect(typeof gc).toBe("function") // vitest.config.ts passes --expose-gc
      let lagged = 0
      const subject = channelSubject<number>({ capacity: CAPACITY, overflow: "drop-oldest", onLagged: (n) => (lagged += n) })

      let pushed = 0
      let last = -1
      let ordered = true
      subject.subscribe((v) => {
        if (v <= last) ordered = false
        last = v
        pushed++
      })

      let pulled = 0
      let lastPulled = -1
      const slow = (async () => {
        for await (const v of subject) {
          if (v <= lastPulled) ordered = false
          lastPulled = v
          pulled++
          await sleep1()
        }
      })()

      gc!()
      const base = process.memoryUsage().heapUsed
      let peak = 0
      for (let sent = 0; sent < TOTAL; ) {
        const end = Math.min(sent + CHUNK, TOTAL)
        while (sent < end) subject.next(sent++)
        await nextTurn()
        gc!()
        peak = Math.max(peak, process.memoryUsage().heapUsed - base)
      }
      subject.complete()
      await slow
      await nextTurn()

      expect(ordered).toBe(true)
      expect(pushed + pulled + lagged).toBe(2 * TOTAL) // every value reached or was skipped by each subscriber
      expect(pulled).toBeLessThan(TOTAL / 100) // the slow subscriber really was slow
      expect(lastPulled).toBe(TOTAL - 1)
      expect(peak).toBeLessThan(BOUND)
      console.log(`memory: peak heap growth ${(peak / 1024 / 1024).toFixed(1)} MB; push subscriber ${pushed}, pull subscriber ${pulled}, lagged ${lagged}`)
    },
    60_000,
  )
})
