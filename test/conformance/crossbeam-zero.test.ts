// Ported from crossbeam-channel tests/zero.rs (crossbeam-rs/crossbeam), the
// tests of the zero-capacity ("zero") flavor, translated to async tasks on our
// rendezvous channel: a send completes only when a receiver takes the value.
//
// Translation rules (as in crossbeam-array.test.ts):
// - A thread is an async function started without awaiting it; `scope` is
//   `Promise.all`. `drop(s)` / `drop(r)` is `tx.close()` / `rx.cancel()`.
// - Instead of sleeping so that the other side blocks, a test flushes the
//   event loop once (`turn()`) and asserts the operation is still pending.
//   Timeouts are real only where the timeout is the subject, a few ms long.
// - `bounded(0)` is `rendezvous()`; `is_full()` of a zero channel is always
//   true, which is `size === capacity` (0 === 0) here.
// - Iteration counts are the original ones, except stress_timeout_two_threads:
//   COUNT 100 → 20 (5x fewer) with its 50 ms pauses cut to 3 ms.
// - Not ported: fairness, fairness_duplicates and recv_in_send (`select!`,
//   covered by the select conformance tests).

import { describe, expect, test } from "vitest"
import { ChannelClosedError, rendezvous, type Receiver } from "@panama/channel"
import { turn, sleep, track, rejectionOf, isTimeout, closedValue, isRange, rng } from "./helpers.js"

describe("crossbeam zero.rs: rendezvous channels", () => {
  test("smoke: with nobody on the other side trySend reports full and tryReceive reports empty", () => {
    const [tx, rx] = rendezvous<number>()
    expect(tx.trySend(7)).toEqual({ ok: false, reason: "full", value: 7 })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
  })

  test("capacity: a rendezvous channel reports capacity 0 on both handles", () => {
    const [tx, rx] = rendezvous<void>()
    expect(tx.capacity).toBe(0)
    expect(rx.capacity).toBe(0)
  })

  test("len_empty_full: size is always 0 and the channel is always full, before and after a hand-over", async () => {
    const [tx, rx] = rendezvous<number>()
    expect([tx.size, rx.size, tx.size === tx.capacity]).toEqual([0, 0, true])
    await Promise.all([tx.send(0), rx.receive()])
    expect([tx.size, rx.size, rx.size === rx.capacity]).toEqual([0, 0, true])
  })

  test("try_recv: tryReceive takes the value of a waiting sender and completes its send, then reports closed", async () => {
    const [tx, rx] = rendezvous<number>()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })

    const sending = track(tx.send(7))
    await turn()
    expect(sending.settled).toBe(false)
    expect(tx.pendingSends).toBe(1)

    expect(rx.tryReceive()).toEqual({ ok: true, value: 7 })
    await sending.promise
    tx.close()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
  })

  test("recv: each send waits for a receiver, values arrive in order, then done once the sender is gone", async () => {
    const [tx, rx] = rendezvous<number>()
    const got: unknown[] = []
    const receiver = (async () => {
      for (let i = 0; i < 4; i++) got.push(await rx.receive())
    })()
    await turn()
    expect(rx.pendingReceives).toBe(1)

    for (const v of [7, 8, 9]) await tx.send(v)
    tx.close()
    await receiver
    expect(got).toEqual([
      { done: false, value: 7 },
      { done: false, value: 8 },
      { done: false, value: 9 },
      { done: true, value: undefined },
    ])
  })

  test("recv_timeout: a receive times out with no sender, takes a value sent in time, and ends when closed", async () => {
    const [tx, rx] = rendezvous<number>()
    expect(isTimeout(await rejectionOf(rx.receive({ timeout: 2 })))).toBe(true)
    expect(rx.pendingReceives).toBe(0)

    const waiting = track(rx.receive({ timeout: 60_000 }))
    await turn()
    expect(waiting.settled).toBe(false)
    await tx.send(7)
    expect(await waiting.promise).toEqual({ done: false, value: 7 })

    tx.close()
    expect(await rx.receive({ timeout: 60_000 })).toEqual({ done: true, value: undefined })
  })

  test("try_send: trySend succeeds only while a receiver waits, and reports closed once the receiver is gone", async () => {
    const [tx, rx] = rendezvous<number>()
    expect(tx.trySend(7)).toEqual({ ok: false, reason: "full", value: 7 })

    const waiting = rx.receive()
    await turn()
    expect(tx.trySend(8)).toEqual({ ok: true })
    expect(await waiting).toEqual({ done: false, value: 8 })

    rx.cancel()
    expect(tx.trySend(9)).toEqual({ ok: false, reason: "closed", value: 9 })
  })

  test("send: every send waits until a receiver takes its value", async () => {
    const [tx, rx] = rendezvous<number>()
    let sent = 0
    const sender = (async () => {
      for (const v of [7, 8, 9]) {
        await tx.send(v)
        sent++
      }
    })()
    await turn()
    expect(sent).toBe(0)
    expect(tx.pendingSends).toBe(1)

    expect(await rx.receive()).toEqual({ done: false, value: 7 })
    expect(await rx.receive()).toEqual({ done: false, value: 8 })
    expect(await rx.receive()).toEqual({ done: false, value: 9 })
    await sender
    expect(sent).toBe(3)
  })

  test("send_timeout: a send times out with no receiver leaving nothing behind, meets a receiver in time, and is refused once the receiver is gone", async () => {
    const [tx, rx] = rendezvous<number>()
    expect(isTimeout(await rejectionOf(tx.send(7, { timeout: 2 })))).toBe(true)
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" }) // 7 is not in the channel

    // The same with an AbortSignal instead of a timeout: aborted, nothing left behind.
    const controller = new AbortController()
    const aborted = tx.send(70, { signal: controller.signal })
    await turn()
    expect(tx.pendingSends).toBe(1)
    controller.abort("stop")
    expect(await rejectionOf(aborted)).toBe("stop")
    expect(tx.pendingSends).toBe(0)

    const waiting = rx.receive()
    await turn()
    await tx.send(8, { timeout: 60_000 })
    expect(await waiting).toEqual({ done: false, value: 8 })

    rx.cancel()
    expect(closedValue(await rejectionOf(tx.send(9, { timeout: 60_000 })))).toBe(9)
  })

  test("len: size stays 0 through every hand-over", async () => {
    const COUNT = 25_000
    const [tx, rx] = rendezvous<number>()
    expect([tx.size, rx.size]).toEqual([0, 0])
    await Promise.all([
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          const r = await rx.receive()
          if (r.done || r.value !== i || rx.size !== 0) throw new Error(`at ${i}: ${JSON.stringify(r)}, size ${rx.size}`)
        }
      })(),
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          await tx.send(i)
          if (tx.size !== 0) throw new Error(`size ${tx.size} after send ${i}`)
        }
      })(),
    ])
    expect([tx.size, rx.size]).toEqual([0, 0])
  })

  test("disconnect_wakes_sender: a waiting sender is refused with its value when the receiver goes away, and nothing is dropped", async () => {
    const dropped: string[] = []
    const [tx, rx] = rendezvous<string>({ onDrop: (v) => dropped.push(v) })
    const sending = track(tx.send("v"))
    await turn()
    expect(sending.settled).toBe(false)

    rx.cancel()
    expect(closedValue(await rejectionOf(sending.promise))).toBe("v")
    expect(dropped).toEqual([]) // never accepted, so handed back rather than dropped
  })

  test("disconnect_wakes_receiver: a waiting receiver sees done when the sender goes away", async () => {
    const [tx, rx] = rendezvous<void>()
    const waiting = track(rx.receive())
    await turn()
    expect(waiting.settled).toBe(false)

    tx.close()
    expect(await waiting.promise).toEqual({ done: true, value: undefined })
  })

  test("spsc: one producer and one consumer hand over every value in order", async () => {
    const COUNT = 100_000
    const [tx, rx] = rendezvous<number>()
    await Promise.all([
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          const r = await rx.receive()
          if (r.done || r.value !== i) throw new Error(`expected ${i}, got ${JSON.stringify(r)}`)
        }
        expect(await rx.receive()).toEqual({ done: true, value: undefined })
      })(),
      (async () => {
        for (let i = 0; i < COUNT; i++) await tx.send(i)
        tx.close()
      })(),
    ])
  })

  test("mpmc: four producers and four consumers hand over every value exactly once per producer", async () => {
    const COUNT = 25_000
    const TASKS = 4
    const [tx, rx] = rendezvous<number>()
    const seen = new Uint32Array(COUNT)
    await Promise.all([
      ...Array.from({ length: TASKS }, async () => {
        for (let i = 0; i < COUNT; i++) {
          const r = await rx.receive()
          if (r.done) throw new Error("ended early")
          seen[r.value]!++
        }
      }),
      ...Array.from({ length: TASKS }, async () => {
        for (let i = 0; i < COUNT; i++) await tx.send(i)
      }),
    ])
    expect(seen.every((c) => c === TASKS)).toBe(true)
    expect([tx.pendingSends, rx.pendingReceives]).toEqual([0, 0])
  })

  test("stress_oneshot: a receive and a send started together always meet", async () => {
    const COUNT = 10_000
    for (let i = 0; i < COUNT; i++) {
      const [tx, rx] = rendezvous<number>()
      const [r] = await Promise.all([rx.receive(), tx.send(0)])
      if (r.done || r.value !== 0) throw new Error(`run ${i}: ${JSON.stringify(r)}`)
    }
  })

  test("stress_iter: a client polling with trySend / tryReceive and a blocking server count to COUNT, then both end", async () => {
    const COUNT = 1_000
    const [requestTx, requestRx] = rendezvous<void>()
    const [responseTx, responseRx] = rendezvous<number>()

    // The Rust client spins on try_send; a JS task must yield to let the server run.
    const client = (async () => {
      let count = 0
      try {
        for (;;) {
          for (let r = responseRx.tryReceive(); r.ok; r = responseRx.tryReceive()) {
            count += r.value
            if (count === COUNT) return count
          }
          requestTx.trySend(undefined)
          await turn()
        }
      } finally {
        requestTx.close()
        responseRx.cancel()
      }
    })()

    let served = 0
    for await (const _ of requestRx) {
      try {
        await responseTx.send(1)
        served++
      } catch (error) {
        expect(error).toBeInstanceOf(ChannelClosedError)
        break
      }
    }
    expect(await client).toBe(COUNT)
    expect(served).toBe(COUNT) // on a rendezvous channel a response counts only once taken
  })

  test("stress_timeout_two_threads: retrying timed-out sends and receives on both sides loses and reorders nothing", async () => {
    const COUNT = 20
    const [tx, rx] = rendezvous<number>()
    await Promise.all([
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          if (i % 2 === 0) await sleep(3)
          for (;;) {
            try {
              await tx.send(i, { timeout: 1 })
              break
            } catch (error) {
              if (!isTimeout(error)) throw error
            }
          }
        }
      })(),
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          if (i % 2 === 0) await sleep(3)
          for (;;) {
            try {
              expect(await rx.receive({ timeout: 1 })).toEqual({ done: false, value: i })
              break
            } catch (error) {
              if (!isTimeout(error)) throw error
            }
          }
        }
      })(),
    ])
    expect([tx.pendingSends, rx.pendingReceives]).toEqual([0, 0])
  })

  test("drops: every handed-over value is received once and releasing both handles drops nothing", async () => {
    const RUNS = 100
    const STEPS = 10_000
    const random = rng(0x2e50)

    for (let run = 0; run < RUNS; run++) {
      const steps = random(STEPS)
      const dropped: number[] = []
      const received: number[] = []
      const [tx, rx] = rendezvous<{ id: number }>({ onDrop: (v) => dropped.push(v.id) })

      let next = 0
      await Promise.all([
        (async () => {
          for (let i = 0; i < steps; i++) {
            const r = await rx.receive()
            if (!r.done) received.push(r.value.id)
          }
        })(),
        (async () => {
          for (let i = 0; i < steps; i++) await tx.send({ id: next++ })
        })(),
      ])

      expect(isRange(received, steps)).toBe(true)
      tx.close()
      rx.cancel()
      expect(dropped).toEqual([])
      expect(tx.stats).toEqual({ sent: steps, received: steps, dropped: { overflow: 0, cancel: 0 } })
    }
  })

  test("channel_through_channel: a receiver handed through a channel is received and used in turn, a thousand deep", async () => {
    const COUNT = 1_000
    interface Nested {
      readonly next: Receiver<Nested>
    }
    const [first, start] = rendezvous<Nested>()
    await Promise.all([
      (async () => {
        let tx = first
        for (let i = 0; i < COUNT; i++) {
          const [nextTx, nextRx] = rendezvous<Nested>()
          await tx.send({ next: nextRx })
          tx = nextTx
        }
      })(),
      (async () => {
        let rx = start
        for (let i = 0; i < COUNT; i++) {
          const r = await rx.receive()
          if (r.done) throw new Error(`chain ended at ${i}`)
          rx = r.value.next
        }
        expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
      })(),
    ])
  })
})
