// Ported from crossbeam-channel tests/select.rs (crossbeam-rs/crossbeam), the
// behavioural tests of `Select`, translated (not copied) to async tasks and
// @panama/channel's `select` / `trySelect`.
//
// Translation rules:
// - A thread is an async function started without awaiting it; `scope` is
//   `Promise.all`. `drop(s)` is `tx.close()`, `drop(r)` is `rx.cancel()`.
// - crossbeam selects an operation and then performs it (`oper.recv(&r)`);
//   here the select performs it, so `oper.recv(&r)` is the case's result:
//   `Ok(v)` is `{ done: false, value: v }`, a disconnected `Err` is
//   `{ done: true }` for a recv case and ChannelClosedError for a send case.
// - `try_select` is `trySelect` (`Err` is `undefined`); `select_timeout(ms)`
//   is `select(cases, { timeout: ms })` (`Err` is a TimeoutError rejection).
// - Instead of sleeping so that the other side blocks, a test flushes the
//   event loop (`turn()`) and asserts the select is still pending. Timeouts
//   are real only where the timeout is the subject, a few ms long.
// - Iteration counts: stress_* and reuse 10,000 → 2,000, linearizable_try
//   100,000 → 10,000, fairness2 10,000 → 2,000 (5–10x fewer; a JS task
//   switch is a microtask, so the interleavings are deterministic and
//   repeating them adds little).
// - Not ported: `after` / `tick` channels (fairness1 uses four ready
//   channels instead), the `SelectedOperation` lifetime tests
//   (uncompleted_select_*, forget_select_*, issue_1096): a select here
//   completes its operation atomically, so there is no operation to forget;
//   sync_and_clone / send_and_clone are matching with a shared case array.

import { describe, expect, test } from "vitest"
import {
  bounded,
  ChannelClosedError,
  recv,
  rendezvous,
  select,
  send,
  trySelect,
  unbounded,
  type Receiver,
  type Sender,
} from "@panama/channel"
import { turn, sleep } from "./helpers.js"

describe("crossbeam select.rs", () => {
  test("smoke1: the ready channel is selected, each in turn", async () => {
    const [s1, r1] = unbounded<number>()
    const [s2, r2] = unbounded<number>()
    s1.trySend(1)
    expect(await select([recv(r1), recv(r2)])).toEqual({ index: 0, value: { done: false, value: 1 } })
    s2.trySend(2)
    expect(await select([recv(r1), recv(r2)])).toEqual({ index: 1, value: { done: false, value: 2 } })
  })

  test("smoke2: the one ready channel of five is selected", async () => {
    const pairs = Array.from({ length: 5 }, () => unbounded<number>())
    pairs[4]![0].trySend(5)
    expect(await select(pairs.map(([, r]) => recv(r)))).toEqual({ index: 4, value: { done: false, value: 5 } })
  })

  test("disconnected: a closed channel is selected with done before a later value elsewhere", async () => {
    const [s1, r1] = unbounded<number>()
    const [s2, r2] = unbounded<number>()
    const other = (async () => {
      s1.close()
      await sleep(5)
      s2.trySend(5)
    })()
    expect(await select([recv(r1), recv(r2)], { timeout: 1000 })).toEqual({ index: 0, value: { done: true, value: undefined } })
    await other
    expect(await r2.receive()).toEqual({ done: false, value: 5 })
    expect(await select([recv(r1), recv(r2)], { timeout: 1000 })).toEqual({ index: 0, value: { done: true, value: undefined } })
    const closer = (async () => {
      await turn()
      s2.close()
    })()
    expect(await select([recv(r2)], { timeout: 1000 })).toEqual({ index: 0, value: { done: true, value: undefined } })
    await closer
  })

  test("default: trySelect reports nothing ready, then the closed channel, then the value", () => {
    const [s1, r1] = unbounded<number>()
    const [s2, r2] = unbounded<number>()
    expect(trySelect([recv(r1), recv(r2)])).toBeUndefined()
    s1.close()
    expect(trySelect([recv(r1), recv(r2)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    s2.trySend(2)
    expect(trySelect([recv(r2)])).toEqual({ index: 0, value: { done: false, value: 2 } })
    expect(trySelect([recv(r2)])).toBeUndefined()
    expect(trySelect([])).toBeUndefined()
  })

  test("timeout: a select times out before the value, and a later one gets it", async () => {
    const [, r1] = unbounded<number>()
    const [s2, r2] = unbounded<number>()
    const error = await select([recv(r1), recv(r2)], { timeout: 5 }).catch((e: unknown) => e)
    expect((error as DOMException).name).toBe("TimeoutError")
    const later = (async () => {
      await sleep(5)
      s2.trySend(2)
    })()
    expect(await select([recv(r1), recv(r2)], { timeout: 1000 })).toEqual({ index: 1, value: { done: false, value: 2 } })
    await later
    expect(r1.pendingReceives + r2.pendingReceives).toBe(0)
  })

  test("timeout: an empty select times out, after which the closed channel is ready", async () => {
    const [s, r] = unbounded<number>()
    const closer = (async () => {
      await turn()
      s.close()
    })()
    const error = await select([], { timeout: 5 }).catch((e: unknown) => e)
    expect((error as DOMException).name).toBe("TimeoutError")
    await closer
    expect(trySelect([recv(r)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })

  test("default_when_disconnected: closed channels are ready for trySelect and select", async () => {
    const [s, r] = unbounded<number>()
    s.close()
    expect(trySelect([recv(r)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    expect(await select([recv(r)], { timeout: 1000 })).toEqual({ index: 0, value: { done: true, value: undefined } })
    const [s0, r0] = rendezvous<number>()
    r0.cancel()
    expect(() => trySelect([send(s0, 0)])).toThrow(ChannelClosedError)
    await expect(select([send(s0, 0)], { timeout: 1000 })).rejects.toBeInstanceOf(ChannelClosedError)
  })

  test("default_only: an empty trySelect returns at once; an empty select waits for its timeout", async () => {
    expect(trySelect([])).toBeUndefined()
    const start = performance.now()
    const error = await select([], { timeout: 20 }).catch((e: unknown) => e)
    expect((error as DOMException).name).toBe("TimeoutError")
    expect(performance.now() - start).toBeGreaterThanOrEqual(15)
  })

  test("unblocks: a waiting select is completed by a later send, and by a later receive", async () => {
    const [s1, r1] = rendezvous<number>()
    const [s2, r2] = rendezvous<number>()
    const sender = (async () => {
      await turn()
      await s2.send(2)
    })()
    expect(await select([recv(r1), recv(r2)], { timeout: 1000 })).toEqual({ index: 1, value: { done: false, value: 2 } })
    await sender
    const receiver = (async () => {
      await turn()
      expect(await r1.receive()).toEqual({ done: false, value: 1 })
    })()
    expect(await select([send(s1, 1), send(s2, 2)], { timeout: 1000 })).toEqual({ index: 0, value: undefined })
    await receiver
    expect(r2.pendingSends).toBe(0)
  })

  test("both_ready: two selects over a recv and a send each complete one side", async () => {
    const [s1, r1] = rendezvous<number>()
    const [s2, r2] = rendezvous<number>()
    const other = (async () => {
      await turn()
      await s1.send(1)
      expect(await r2.receive()).toEqual({ done: false, value: 2 })
    })()
    const got = new Set<number>()
    for (let i = 0; i < 2; i++) got.add((await select([recv(r1), send(s2, 2)])).index)
    await other
    expect([...got].sort()).toEqual([0, 1])
  })

  test("loop_try: a trySelect loop meets a waiting select on rendezvous channels", async () => {
    for (let run = 0; run < 20; run++) {
      const [s1, r1] = rendezvous<number>()
      const [s2, r2] = rendezvous<number>()
      const [sEnd, rEnd] = rendezvous<void>()
      const a = (async () => {
        for (;;) {
          if (trySelect([send(s1, 1)]) !== undefined) return
          if (trySelect([recv(rEnd)]) !== undefined) return
          await turn()
        }
      })()
      const b = (async () => {
        for (;;) {
          const r = r2.tryReceive()
          if (r.ok) {
            expect(r.value).toBe(2)
            return
          }
          if (trySelect([recv(rEnd)]) !== undefined) return
          await turn()
        }
      })()
      const c = (async () => {
        await turn()
        const r = await select([recv(r1), send(s2, 2)], { timeout: 1000 }).catch(() => undefined)
        if (r?.index === 0) expect(r.value).toEqual({ done: false, value: 1 })
        sEnd.close()
      })()
      await Promise.all([a, b, c])
    }
  })

  test("cloning1: dropping a clone of a sender does not wake a select", async () => {
    const [s1, r1] = unbounded<number>()
    const [, r2] = unbounded<number>()
    const sel = select([recv(r1), recv(r2)])
    await turn()
    s1.clone().close()
    await turn()
    expect(r1.pendingReceives).toBe(1)
    s1.trySend(1)
    expect(await sel).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  test("cloning2: a value on the second channel completes the select after a clone is dropped", async () => {
    const [s1, r1] = unbounded<void>()
    const [s2, r2] = unbounded<void>()
    const sel = select([recv(r1), recv(r2)])
    await turn()
    s1.clone().close()
    s2.trySend()
    expect((await sel).index).toBe(1)
  })

  test("preflight1-3: a value or a close present before the select is seen by it", async () => {
    const [s, r] = unbounded<void>()
    s.trySend()
    expect(await select([recv(r)])).toEqual({ index: 0, value: { done: false, value: undefined } })
    const [s2, r2] = unbounded<void>()
    s2.clone().close()
    s2.trySend()
    s2.close()
    expect(await select([recv(r2)])).toEqual({ index: 0, value: { done: false, value: undefined } })
    expect(r2.tryReceive()).toEqual({ ok: false, reason: "closed" })
    expect(await select([recv(r2)])).toEqual({ index: 0, value: { done: true, value: undefined } })
  })

  test("duplicate_operations: with the same channel in four cases, every case gets chosen", async () => {
    const [s, r] = unbounded<number>()
    const hit = [false, false, false, false]
    let rounds = 0
    while (hit.some((h) => !h)) {
      if (++rounds > 10_000) throw new Error("a case was never chosen")
      // An empty unbounded channel: only the send cases are ready. Fill it first so recv cases are too.
      s.trySend(0)
      const res = await select([recv(r), recv(r), send(s, 0), send(s, 0)])
      hit[res.index] = true
      r.tryReceiveMany()
    }
  })

  test("nesting: selects inside the result handling of selects", async () => {
    const [s, r] = unbounded<number>()
    expect((await select([send(s, 0)])).index).toBe(0)
    expect(await select([recv(r)])).toEqual({ index: 0, value: { done: false, value: 0 } })
    expect((await select([send(s, 1)])).index).toBe(0)
    expect(await select([recv(r)])).toEqual({ index: 0, value: { done: false, value: 1 } })
  })

  const COUNT = 2_000

  test("stress_recv: values alternate between an unbounded and a bounded channel, each received once in order", async () => {
    const [s1, r1] = unbounded<number>()
    const [s2, r2] = bounded<number>(5)
    const [s3, r3] = bounded<void>(100)
    const producer = (async () => {
      for (let i = 0; i < COUNT; i++) {
        await s1.send(i)
        await r3.receive()
        await s2.send(i)
        await r3.receive()
      }
    })()
    for (let i = 0; i < COUNT; i++) {
      for (let k = 0; k < 2; k++) {
        const res = await select([recv(r1), recv(r2)])
        expect(res.value).toEqual({ done: false, value: i })
        await s3.send()
      }
    }
    await producer
  })

  test("stress_send: a select over two rendezvous sends feeds a receiver that reads both in turn", async () => {
    const [s1, r1] = rendezvous<number>()
    const [s2, r2] = rendezvous<number>()
    const [s3, r3] = bounded<void>(100)
    const consumer = (async () => {
      for (let i = 0; i < COUNT; i++) {
        expect(await r1.receive()).toEqual({ done: false, value: i })
        expect(await r2.receive()).toEqual({ done: false, value: i })
        await r3.receive()
      }
    })()
    for (let i = 0; i < COUNT; i++) {
      for (let k = 0; k < 2; k++) await select([send(s1, i), send(s2, i)])
      await s3.send()
    }
    await consumer
  })

  test("stress_mixed: a select over a rendezvous recv and send matches a peer that sends then receives", async () => {
    const [s1, r1] = rendezvous<number>()
    const [s2, r2] = rendezvous<number>()
    const [s3, r3] = bounded<void>(100)
    const peer = (async () => {
      for (let i = 0; i < COUNT; i++) {
        await s1.send(i)
        expect(await r2.receive()).toEqual({ done: false, value: i })
        await r3.receive()
      }
    })()
    for (let i = 0; i < COUNT; i++) {
      for (let k = 0; k < 2; k++) {
        const res = await select([recv(r1), send(s2, i)])
        if (res.index === 0) expect(res.value).toEqual({ done: false, value: i })
      }
      await s3.send()
    }
    await peer
  })

  test("stress_timeout_two_threads: select with short timeouts on both sides loses no value", async () => {
    const n = 20
    const [s, r] = bounded<number>(2)
    const a = (async () => {
      for (let i = 0; i < n; i++) {
        if (i % 2 === 0) await sleep(3)
        for (;;) {
          const res = await select([send(s, i)], { timeout: 1 }).catch(() => undefined)
          if (res !== undefined) break
        }
      }
    })()
    const b = (async () => {
      for (let i = 0; i < n; i++) {
        if (i % 2 === 0) await sleep(3)
        for (;;) {
          const res = await select([recv(r)], { timeout: 1 }).catch(() => undefined)
          if (res !== undefined) {
            expect(res.value).toEqual({ done: false, value: i })
            break
          }
        }
      }
    })()
    await Promise.all([a, b])
  })

  test("send_recv_same_channel: on a rendezvous channel they time out; on an unbounded one the send is chosen", async () => {
    const [s, r] = rendezvous<number>()
    const error = await select([send(s, 0), recv(r)], { timeout: 5 }).catch((e: unknown) => e)
    expect((error as DOMException).name).toBe("TimeoutError")
    expect(r.pendingSends + r.pendingReceives).toBe(0)
    const [su, ru] = unbounded<number>()
    expect(await select([send(su, 0), recv(ru)], { timeout: 100 })).toEqual({ index: 0, value: undefined })
  })

  const matching = async (threads: number, leftover: boolean): Promise<void> => {
    const [s, r] = rendezvous<number>()
    const tasks = Array.from({ length: threads }, async (_, i) => {
      const res = await select([recv(r), send(s, i)])
      if (res.index === 0) expect(res.value).not.toEqual({ done: false, value: i })
      return res.index
    })
    if (leftover) await s.send(-1)
    const indices = await Promise.all(tasks)
    const sends = indices.filter((x) => x === 1).length
    const recvs = indices.filter((x) => x === 0).length
    expect(recvs).toBe(sends + (leftover ? 1 : 0))
    expect(r.tryReceive()).toEqual({ ok: false, reason: "empty" })
    expect(r.pendingSends + r.pendingReceives).toBe(0)
  }

  test("matching: 44 selects of recv and send on one rendezvous channel pair up, never with themselves", async () => {
    await matching(44, false)
  })

  test("matching_with_leftover: 55 such selects and one plain send all pair up", async () => {
    await matching(55, true)
  })

  test("sync_and_clone / send_and_clone: one shared case array used by 20 selects pairs them up", async () => {
    const [s, r] = rendezvous<number>()
    const shared = [recv(r), send(s, 0)] as const
    const indices = await Promise.all(Array.from({ length: 20 }, () => select(shared).then((x) => x.index)))
    expect(indices.filter((x) => x === 0).length).toBe(10)
    expect(r.pendingSends + r.pendingReceives).toBe(0)
  })

  test("channel_through_channel: receivers travel through channels of capacity 0, 1 and 2", async () => {
    type Any = { rx: Receiver<Any> | undefined } | undefined
    for (let cap = 0; cap < 3; cap++) {
      const [s0, r0] = bounded<Any>(cap)
      const sender = (async () => {
        let s: Sender<Any> = s0
        for (let i = 0; i < 1000; i++) {
          const [ns, nr] = bounded<Any>(cap)
          await select([send(s, { rx: nr })])
          s = ns
        }
      })()
      const receiver = (async () => {
        let r: Receiver<Any> = r0
        for (let i = 0; i < 1000; i++) {
          const res = await select([recv(r)])
          if (res.value.done || res.value.value?.rx === undefined) throw new Error("no receiver came")
          r = res.value.value.rx
        }
      })()
      await Promise.all([sender, receiver])
    }
  })

  test("linearizable_try: a value sent before trySelect is always seen by it", async () => {
    for (const make of [() => bounded<number>(1), () => unbounded<number>()]) {
      const [s1, r1] = make()
      const [s2, r2] = make()
      const [startS, startR] = rendezvous<void>()
      const [endS, endR] = rendezvous<void>()
      const a = (async () => {
        for (let i = 0; i < 10_000; i++) {
          await startS.send()
          await s1.send(1)
          const res = trySelect([recv(r1), recv(r2)])
          if (res === undefined) throw new Error("trySelect missed a value sent before it")
          await endS.send()
          r2.tryReceive()
        }
      })()
      for (let i = 0; i < 10_000; i++) {
        await startR.receive()
        await s2.send(1)
        r1.tryReceive()
        await endR.receive()
      }
      await a
    }
  })

  test("fairness1: among four ready channels each is chosen at least a quarter as often as fair", async () => {
    const n = 10_000
    const chans = [bounded<void>(n), unbounded<void>(), unbounded<void>(), bounded<void>(n)]
    for (let i = 0; i < n; i++) for (const [s] of chans) s.trySend()
    const hits = [0, 0, 0, 0]
    for (let i = 0; i < n; i++) hits[(await select(chans.map(([, r]) => recv(r)))).index]!++
    for (const h of hits) expect(h).toBeGreaterThanOrEqual(n / 4 / 2)
  })

  test("fairness2: a sender selecting over unbounded, bounded(1) and rendezvous channels reaches each", async () => {
    // NOTE: with threads the sender runs ahead, fills both buffers and blocks on the rendezvous
    // send. Microtask scheduling alternates the two tasks step by step instead, so the receiver
    // yields a turn before each select to let the sender get that far (without it the sender
    // never finds the rendezvous case ready and its count stays 0, as in crossbeam under a
    // lockstep scheduler).
    const n = 2_000
    const [s1, r1] = unbounded<void>()
    const [s2, r2] = bounded<void>(1)
    const [s3, r3] = rendezvous<void>()
    const sender = (async () => {
      for (let i = 0; i < n; i++) {
        await select([s1.size === 0 ? send(s1, undefined) : null, s2.size === 0 ? send(s2, undefined) : null, send(s3, undefined)])
      }
    })()
    const hits = [0, 0, 0]
    for (let i = 0; i < n; i++) {
      await turn()
      hits[(await select([recv(r1), recv(r2), recv(r3)])).index]!++
    }
    await sender
    for (const h of hits) expect(h).toBeGreaterThanOrEqual(n / 3 / 50)
  })

  test("reuse: one case array serves many selects", async () => {
    const [s1, r1] = rendezvous<number>()
    const [s2, r2] = rendezvous<number>()
    const [s3, r3] = bounded<void>(100)
    const peer = (async () => {
      for (let i = 0; i < COUNT; i++) {
        await s1.send(i)
        expect(await r2.receive()).toEqual({ done: false, value: -1 })
        await r3.receive()
      }
    })()
    // Unlike crossbeam, the send case carries its value, so the reused case sends -1 every time.
    const cases = [recv(r1), send(s2, -1)] as const
    for (let i = 0; i < COUNT; i++) {
      for (let k = 0; k < 2; k++) {
        const res = await select(cases)
        if (res.index === 0) expect(res.value).toEqual({ done: false, value: i })
      }
      await s3.send()
    }
    await peer
  })
})
