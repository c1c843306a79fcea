// Ported from crossbeam-channel tests/list.rs (crossbeam-rs/crossbeam), the
// tests of the unbounded ("list") flavor, translated to async tasks.
//
// Translation rules (as in crossbeam-array.test.ts):
// - A thread is an async function started without awaiting it; `scope` is
//   `Promise.all`. `drop(s)` / `drop(r)` is `tx.close()` / `rx.cancel()`.
// - Instead of sleeping so that the other side blocks, a test flushes the
//   event loop once (`turn()`) and asserts the operation is still pending.
//   Timeouts are real only where the timeout is the subject, a few ms long.
// - A value Rust drops undelivered is `onDrop(value, "cancel")` here.
// - `capacity() == None` is `capacity === Infinity`.
// - Iteration counts are the original ones, except stress_timeout_two_threads:
//   COUNT 100 → 20 (5x fewer) with its 50 ms pauses cut to 3 ms.
// - Not ported: fairness, fairness_duplicates and recv_in_send (`select!`,
//   covered by the select conformance tests).

import { describe, expect, test } from "vitest"
import { ChannelClosedError, unbounded, type Receiver } from "@panama/channel"
import { turn, sleep, track, rejectionOf, isTimeout, closedValue, isRange, rng } from "./helpers.js"

describe("crossbeam list.rs: unbounded channels", () => {
  test("gh_971: after the receiver goes away a buffered value is dropped once and a clone's send is refused", async () => {
    // The original is a race in the list's block allocation (one sender
    // preempted mid-send while the receiver drops). JS has no preemption; the
    // observable contract is what remains: nothing is lost, nothing twice.
    const dropped: number[] = []
    const [s1, r] = unbounded<number>({ onDrop: (v) => dropped.push(v) })
    const s2 = s1.clone()

    await s2.send(42)
    r.cancel()
    expect(dropped).toEqual([42])
    expect(closedValue(await rejectionOf(s1.send(43)))).toBe(43)
    expect(dropped).toEqual([42])
  })

  test("smoke: trySend and send both buffer, tryReceive and receive take in order, then the channel is empty", async () => {
    const [tx, rx] = unbounded<number>()
    expect(tx.trySend(7)).toEqual({ ok: true })
    expect(rx.tryReceive()).toEqual({ ok: true, value: 7 })

    await tx.send(8)
    expect(await rx.receive()).toEqual({ done: false, value: 8 })

    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    expect(isTimeout(await rejectionOf(rx.receive({ timeout: 2 })))).toBe(true)
  })

  test("capacity: an unbounded channel reports capacity Infinity on both handles", () => {
    const [tx, rx] = unbounded<void>()
    expect(tx.capacity).toBe(Infinity)
    expect(rx.capacity).toBe(Infinity)
  })

  test("len_empty_full: size counts buffered values and the channel is never full", async () => {
    const [tx, rx] = unbounded<void>()
    const full = (): boolean => tx.size >= tx.capacity

    expect([tx.size, rx.size, full()]).toEqual([0, 0, false])
    await tx.send()
    expect([tx.size, rx.size, full()]).toEqual([1, 1, false])
    await rx.receive()
    expect([tx.size, rx.size, full()]).toEqual([0, 0, false])
  })

  test("try_recv: tryReceive reports empty, then the sent value, then closed once the sender is gone", async () => {
    const [tx, rx] = unbounded<number>()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    await tx.send(7)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 7 })
    tx.close()
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
  })

  test("recv: receive waits for each value in order and resolves done after the sender is gone", async () => {
    const [tx, rx] = unbounded<number>()
    const got: unknown[] = []
    const receiver = (async () => {
      for (let i = 0; i < 4; i++) got.push(await rx.receive())
    })()
    await turn()
    expect(got).toEqual([])
    expect(rx.pendingReceives).toBe(1)

    await tx.send(7)
    await tx.send(8)
    await tx.send(9)
    tx.close()
    await receiver
    expect(got).toEqual([
      { done: false, value: 7 },
      { done: false, value: 8 },
      { done: false, value: 9 },
      { done: true, value: undefined },
    ])
  })

  test("recv_timeout: a receive times out on an empty channel, takes a value that comes in time, and ends when closed", async () => {
    const [tx, rx] = unbounded<number>()
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

  test("try_send: trySend never reports full and reports closed with the value once the receiver is gone", () => {
    const COUNT = 1_000
    const [tx, rx] = unbounded<number>()
    let refused = 0
    for (let i = 0; i < COUNT; i++) if (!tx.trySend(i).ok) refused++
    expect(refused).toBe(0)
    expect(rx.size).toBe(COUNT)

    rx.cancel()
    expect(tx.trySend(777)).toEqual({ ok: false, reason: "closed", value: 777 })
  })

  test("send: send never waits and rejects with the value once the receiver is gone", async () => {
    const COUNT = 1_000
    const [tx, rx] = unbounded<number>()
    let waited = 0
    for (let i = 0; i < COUNT; i++) {
      const sent = track(tx.send(i))
      await Promise.resolve()
      if (!sent.settled) waited++
    }
    expect(waited).toBe(0)
    expect(tx.pendingSends).toBe(0)

    rx.cancel()
    expect(closedValue(await rejectionOf(tx.send(777)))).toBe(777)
  })

  test("send_timeout: a send with any timeout, even 0, is accepted at once; once the receiver is gone it is refused, not timed out", async () => {
    const COUNT = 1_000
    const [tx, rx] = unbounded<number>()
    for (let i = 0; i < COUNT; i++) await tx.send(i, { timeout: i })
    expect(rx.size).toBe(COUNT)

    rx.cancel()
    expect(closedValue(await rejectionOf(tx.send(777, { timeout: 0 })))).toBe(777)
  })

  test("send_after_disconnect: once the receiver is gone every kind of send hands its value back", async () => {
    const dropped: number[] = []
    const [tx, rx] = unbounded<number>({ onDrop: (v) => dropped.push(v) })
    await tx.send(1)
    await tx.send(2)
    await tx.send(3)

    rx.cancel()
    expect(dropped).toEqual([1, 2, 3])
    expect(closedValue(await rejectionOf(tx.send(4)))).toBe(4)
    expect(tx.trySend(5)).toEqual({ ok: false, reason: "closed", value: 5 })
    expect(closedValue(await rejectionOf(tx.send(6, { timeout: 0 })))).toBe(6)
  })

  test("recv_after_disconnect: values buffered before the sender left are still received, then done", async () => {
    const [tx, rx] = unbounded<number>()
    await tx.send(1)
    await tx.send(2)
    await tx.send(3)

    tx.close()
    expect(rx.state).toBe("closing")
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    expect(await rx.receive()).toEqual({ done: false, value: 2 })
    expect(await rx.receive()).toEqual({ done: false, value: 3 })
    expect(rx.state).toBe("closed")
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("len: size grows with each send and shrinks with each receive", async () => {
    const [tx, rx] = unbounded<number>()
    expect([tx.size, rx.size]).toEqual([0, 0])
    for (let i = 0; i < 50; i++) {
      await tx.send(i)
      expect(tx.size).toBe(i + 1)
    }
    for (let i = 0; i < 50; i++) {
      await rx.receive()
      expect(rx.size).toBe(50 - i - 1)
    }
    expect([tx.size, rx.size]).toEqual([0, 0])
  })

  test("disconnect_wakes_receiver: a receiver waiting on an empty channel sees done when the sender goes away", async () => {
    const [tx, rx] = unbounded<void>()
    const waiting = track(rx.receive())
    await turn()
    expect(waiting.settled).toBe(false)

    tx.close()
    expect(await waiting.promise).toEqual({ done: true, value: undefined })
  })

  test("spsc: one producer and one consumer pass every value in order", async () => {
    const COUNT = 100_000
    const [tx, rx] = unbounded<number>()
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

  test("mpmc: four producers and four consumers deliver every value exactly once per producer and leave nothing behind", async () => {
    const COUNT = 25_000
    const TASKS = 4
    const [tx, rx] = unbounded<number>()
    const seen = new Uint32Array(COUNT)
    // Each consumer holds its own receiver clone, as each producer holds a sender clone.
    const consumers = Array.from({ length: TASKS }, () => rx.clone())
    const producers = Array.from({ length: TASKS }, () => tx.clone())
    expect([tx.senders, rx.receivers]).toEqual([TASKS + 1, TASKS + 1])

    await Promise.all([
      ...consumers.map(async (c) => {
        for (let i = 0; i < COUNT; i++) {
          const r = await c.receive()
          if (r.done) throw new Error("ended early")
          seen[r.value]!++
        }
        c.cancel()
      }),
      ...producers.map(async (p) => {
        for (let i = 0; i < COUNT; i++) await p.send(i)
        p.close()
      }),
    ])

    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    expect(seen.every((c) => c === TASKS)).toBe(true)
    expect([tx.senders, rx.receivers, rx.state]).toEqual([1, 1, "open"])
  })

  test("stress_oneshot: a receive and a send started together always meet", async () => {
    const COUNT = 10_000
    for (let i = 0; i < COUNT; i++) {
      const [tx, rx] = unbounded<number>()
      const [r] = await Promise.all([rx.receive(), tx.send(0)])
      if (r.done || r.value !== 0) throw new Error(`run ${i}: ${JSON.stringify(r)}`)
    }
  })

  test("stress_iter: request/response ping-pong counts to COUNT and both sides end when one side leaves", async () => {
    const COUNT = 100_000
    const [requestTx, requestRx] = unbounded<void>()
    const [responseTx, responseRx] = unbounded<number>()

    const client = (async () => {
      let count = 0
      try {
        for (;;) {
          for (let r = responseRx.tryReceive(); r.ok; r = responseRx.tryReceive()) {
            count += r.value
            if (count === COUNT) return count
          }
          await requestTx.send()
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
    expect(served).toBeGreaterThanOrEqual(COUNT)
  })

  test("stress_timeout_two_threads: retrying timed-out receives against an unpaced sender loses and reorders nothing", async () => {
    const COUNT = 20
    const [tx, rx] = unbounded<number>()
    await Promise.all([
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          if (i % 2 === 0) await sleep(3)
          await tx.send(i)
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
    expect([rx.pendingReceives, rx.size]).toEqual([0, 0])
  })

  test("drops: every accepted value is either received or passed to onDrop once, the rest when the channel goes away", async () => {
    const RUNS = 100
    const STEPS = 10_000
    const random = rng(0x1157)

    for (let run = 0; run < RUNS; run++) {
      const steps = random(STEPS)
      const additional = random(STEPS / 10)
      const dropped: number[] = []
      const received: number[] = []
      const [tx, rx] = unbounded<{ id: number }>({ onDrop: (v) => dropped.push(v.id) })

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
      for (let i = 0; i < additional; i++) {
        if (!tx.trySend({ id: next++ }).ok) throw new Error("an unbounded channel refused a value")
      }

      expect(received.length).toBe(steps)
      expect(dropped).toEqual([])
      tx.close()
      rx.cancel()
      expect(isRange([...received, ...dropped], steps + additional)).toBe(true)
      expect(tx.stats).toEqual({ sent: steps + additional, received: steps, dropped: { overflow: 0, cancel: additional } })
    }
  })

  test("linearizable: a value just sent is always there for tryReceive, whatever the other tasks do", async () => {
    const COUNT = 25_000
    const TASKS = 4
    const [tx, rx] = unbounded<number>()
    await Promise.all(
      Array.from({ length: TASKS }, async () => {
        for (let i = 0; i < COUNT; i++) {
          await tx.send(0)
          if (!rx.tryReceive().ok) throw new Error(`tryReceive found nothing after send #${i}`)
        }
      }),
    )
    expect(rx.size).toBe(0)
  })

  test("channel_through_channel: a receiver sent through a channel is received and used in turn, a thousand deep", async () => {
    const COUNT = 1_000
    interface Nested {
      readonly next: Receiver<Nested>
    }
    const [first, start] = unbounded<Nested>()
    await Promise.all([
      (async () => {
        let tx = first
        for (let i = 0; i < COUNT; i++) {
          const [nextTx, nextRx] = unbounded<Nested>()
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
