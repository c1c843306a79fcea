// Ported from Go's select tests (golang/go): test/chan/select.go,
// test/chan/select2.go, test/chan/select3.go, the cases of
// test/chan/select5.go that apply, test/chan/doubleselect.go and
// test/chan/sieve2.go. Translated, not copied: the programs are rewritten in
// TypeScript against @panama/channel and keep Go's checks.
//
// Translation rules:
// - A goroutine is an async function started without awaiting it; every test
//   tears its tasks down (cancelling receivers) and checks they all ended.
// - `make(chan T)` is `rendezvous<T>()`, `make(chan T, n)` is `bounded<T>(n)`.
// - `select { case ...: }` is `await select([...])`; with `default:` it is
//   `trySelect([...])`, whose `undefined` is the default branch. A nil channel
//   is a `null` case (its index is kept, as in Go).
// - Go evaluates every case's channel and value expression before choosing,
//   nil channels included; `send(tx, value)` takes its value when the case is
//   built, so the ports build every case (and evaluate every value) each time.
// - "Always blocks" is checked by flushing the event loop and asserting the
//   select is still pending (Go sleeps 0.1 s instead); "never blocks" by the
//   select having settled after that flush.
//
// SPEC differences from Go, on purpose (SPEC §5), adapted below:
// - a send case on a closed channel rejects the select with
//   ChannelClosedError instead of panicking;
// - a recv case on a closed channel completes with `{ done: true }` (Go's
//   zero value with ok == false);
// - `select {}` with no enabled case waits for a signal or timeout and rejects
//   with TypeError without one (Go blocks the goroutine forever).
//
// select2.go's heap measurement needs `global.gc`; it lives in
// test/memory/select.memory.test.ts. Here its idea is checked structurally: a
// select that lost leaves no waiter on the losing channel.

import { describe, expect, test } from "vitest"
import {
  bounded,
  ChannelClosedError,
  recv,
  rendezvous,
  select,
  send,
  trySelect,
  type Receiver,
  type Sender,
} from "@panama/channel"
import { turn } from "./helpers.js"

type Outcome = "pending" | "fulfilled" | "rejected"

/** Starts `f` and reports, after one full turn, whether it finished (and how). */
async function blocks(f: () => Promise<unknown>): Promise<Outcome> {
  let outcome: Outcome = "pending"
  f().then(
    () => (outcome = "fulfilled"),
    () => (outcome = "rejected"),
  )
  await turn()
  return outcome
}

// ------------------------------------------------------------------ select.go

describe("select.go: non-blocking sends with disabled channels", () => {
  test("each send lands once, disabled cases are skipped, and every case value is evaluated", () => {
    let counter = 0
    let shift = 0
    const getValue = (): number => {
      counter++
      return 1 << shift
    }
    // Go's Send(a, b): loop over a select with a default, disabling a channel once it was sent on.
    const sendLoop = (a: Sender<number> | null, b: Sender<number> | null): number => {
      let i = 0
      for (;;) {
        const va = getValue()
        const vb = getValue()
        const r = trySelect([a && send(a, va), b && send(b, vb)])
        if (r === undefined) break
        i++
        if (r.index === 0) a = null
        else b = null
        shift++
      }
      return i
    }
    const [a, ar] = bounded<number>(1)
    const [b, br] = bounded<number>(1)
    expect(sendLoop(a, b)).toBe(2)
    const av = ar.tryReceive()
    const bv = br.tryReceive()
    expect(av.ok && bv.ok).toBe(true)
    if (av.ok && bv.ok) expect(av.value | bv.value).toBe(3)
    expect(sendLoop(a, null)).toBe(1)
    expect(counter).toBe(10)
  })
})

// ------------------------------------------------------------------ select2.go

describe("select2.go: selects do not accumulate", () => {
  test("100,000 selects whose dummy case lost leave no waiter on the dummy channel", async () => {
    const [ctx, c] = rendezvous<number>()
    const [, dummy] = rendezvous<number>()
    const n = 100_000
    const sender = (async () => {
      for (let i = 0; i < n; i++) await ctx.send(1)
    })()
    for (let i = 0; i < n; i++) {
      const r = await select([recv(c), recv(dummy)])
      if (r.index !== 0) throw new Error("dummy")
    }
    await sender
    expect(dummy.pendingReceives).toBe(0)
    expect(c.pendingReceives + c.pendingSends).toBe(0)
  })
})

// ------------------------------------------------------------------ select3.go

describe("select3.go: blocking and non-blocking behaviour", () => {
  const closed = (): [Sender<number>, Receiver<number>] => {
    const [tx, rx] = rendezvous<number>()
    tx.close()
    return [tx, rx]
  }

  test("a disabled (nil) send or recv case is never selected: with a default the default is taken", () => {
    expect(trySelect([null])).toBeUndefined()
    expect(trySelect([undefined])).toBeUndefined()
  })

  test("sending to a buffered channel with free space never blocks", async () => {
    expect(
      await blocks(async () => {
        const [tx] = bounded<number>(1)
        await select([send(tx, 7)])
      }),
    ).toBe("fulfilled")
  })

  test("receiving from a closed channel never blocks and gives done every time", async () => {
    const [, rx] = closed()
    for (let i = 0; i < 10; i++) {
      expect(await rx.receive()).toEqual({ done: true, value: undefined })
      expect(await select([recv(rx)])).toEqual({ index: 0, value: { done: true, value: undefined } })
    }
  })

  test("sending to a closed channel fails (Go panics; here ChannelClosedError)", async () => {
    const [tx, rx] = rendezvous<number>()
    tx.clone().close("closed") // closes the channel, and tx is still a live handle
    expect(rx.state).toBe("closed")
    expect(await blocks(() => tx.send(7))).toBe("rejected")
    await expect(select([send(tx, 7)])).rejects.toBeInstanceOf(ChannelClosedError)
  })

  test("receiving from a channel that is not ready always blocks", async () => {
    const [, rx] = rendezvous<number>()
    const ac = new AbortController()
    expect(await blocks(() => rx.receive({ signal: ac.signal }))).toBe("pending")
    ac.abort()
  })

  test("an empty select always blocks (until its signal, here)", async () => {
    const ac = new AbortController()
    expect(await blocks(() => select([], { signal: ac.signal }))).toBe("pending")
    ac.abort()
    await expect(select([])).rejects.toBeInstanceOf(TypeError)
  })

  test("selects with only nil channels always block", async () => {
    const ac = new AbortController()
    expect(await blocks(() => select([null], { signal: ac.signal }))).toBe("pending")
    expect(await blocks(() => select([null, undefined], { signal: ac.signal }))).toBe("pending")
    ac.abort()
  })

  test("selects with non-ready channels always block", async () => {
    const [, rx] = rendezvous<number>()
    const ac = new AbortController()
    expect(await blocks(() => select([recv(rx)], { signal: ac.signal }))).toBe("pending")
    ac.abort()
    await turn()
    expect(rx.pendingReceives).toBe(0)
  })

  test("selects with a default never block", () => {
    expect(trySelect([])).toBeUndefined()
    expect(trySelect([null])).toBeUndefined()
    expect(trySelect([undefined])).toBeUndefined()
  })

  test("selects with ready channels do not block", () => {
    const [tx, rx] = bounded<number>(1)
    expect(trySelect([send(tx, 7)])).toEqual({ index: 0, value: undefined })
    expect(trySelect([recv(rx)])).toEqual({ index: 0, value: { done: false, value: 7 } })
  })

  test("selects with closed channels behave like the plain operations", async () => {
    const [tx, rx] = closed()
    expect(await blocks(() => select([recv(rx)]))).toBe("fulfilled")
    expect(await blocks(() => select([send(tx, 7)]))).toBe("rejected")
  })

  test("a select does not get confused if it sees itself: a send and a recv on one rendezvous channel block", async () => {
    const [tx, rx] = rendezvous<number>()
    const ac = new AbortController()
    expect(await blocks(() => select([send(tx, 1), recv(rx)], { signal: ac.signal }))).toBe("pending")
    ac.abort()
    await turn()
    expect(rx.pendingSends + rx.pendingReceives).toBe(0)
  })
})

// ------------------------------------------------------------------ select5.go

// select5.go generates every combination of a real operation on a buffered
// channel `c` with optional default cases (before or after it), dummy cases on
// an idle rendezvous channel and nil cases, and checks the right operation
// happened with the right value. The combinations that apply here (there are
// no assignment forms or evaluation-order checks in a function-call API) are
// enumerated below.
describe("select5.go: one real operation among dummy, nil and default cases", () => {
  interface Extras {
    readonly dummySend: boolean
    readonly dummyRecv: boolean
    readonly nilSend: boolean
    readonly nilRecv: boolean
    readonly realFirst: boolean
  }
  const combos: Extras[] = []
  for (let bits = 0; bits < 32; bits++) {
    combos.push({
      dummySend: (bits & 1) !== 0,
      dummyRecv: (bits & 2) !== 0,
      nilSend: (bits & 4) !== 0,
      nilRecv: (bits & 8) !== 0,
      realFirst: (bits & 16) !== 0,
    })
  }

  test("recv: the value sent on c comes back, blocking or not, whatever the other cases", async () => {
    const [ctx, c] = bounded<number>(1)
    const [dtx, dummy] = rendezvous<number>()
    let n = 1
    for (const e of combos) {
      for (const nonblocking of [false, true]) {
        ctx.trySend(n)
        const extras = [
          e.dummySend ? send(dtx, 1) : null,
          e.dummyRecv ? recv(dummy) : null,
          e.nilSend ? null : undefined,
          e.nilRecv ? null : undefined,
        ]
        const cases = e.realFirst ? [recv(c), ...extras] : [...extras, recv(c)]
        const realIndex = e.realFirst ? 0 : extras.length
        const r = nonblocking ? trySelect(cases) : await select(cases)
        expect(r?.index).toBe(realIndex)
        expect(r?.value).toEqual({ done: false, value: n })
        n++
      }
    }
    expect(dummy.pendingSends + dummy.pendingReceives).toBe(0)
  })

  test("send: the value sent through select on c is received, whatever the other cases", async () => {
    const [ctx, c] = bounded<number>(1)
    const [dtx, dummy] = rendezvous<number>()
    let n = 1
    for (const e of combos) {
      for (const nonblocking of [false, true]) {
        const extras = [
          e.dummySend ? send(dtx, 1) : null,
          e.dummyRecv ? recv(dummy) : null,
          e.nilSend ? null : undefined,
          e.nilRecv ? null : undefined,
        ]
        const cases = e.realFirst ? [send(ctx, n), ...extras] : [...extras, send(ctx, n)]
        const r = nonblocking ? trySelect(cases) : await select(cases)
        expect(r?.index).toBe(e.realFirst ? 0 : extras.length)
        expect(c.tryReceive()).toEqual({ ok: true, value: n })
        n++
      }
    }
    expect(dummy.pendingSends + dummy.pendingReceives).toBe(0)
  })

  test("nonblock: with only dummy and nil cases the default is taken and nothing changes", () => {
    const [dtx, dummy] = rendezvous<number>()
    for (const e of combos) {
      const r = trySelect([
        e.dummySend ? send(dtx, 1) : null,
        e.nilSend ? null : undefined,
        e.dummyRecv ? recv(dummy) : null,
        e.nilRecv ? null : undefined,
      ])
      expect(r).toBeUndefined()
    }
    expect(dummy.pendingSends + dummy.pendingReceives).toBe(0)
  })
})

// ------------------------------------------------------------------ doubleselect.go

describe("doubleselect.go: two cases of one select never both run", () => {
  test("values sent by a select over four channels arrive exactly once through four forwarders", async () => {
    const n = 20_000 // Go's default is 100,000; this keeps the suite fast and still interleaves every turn
    const chans = Array.from({ length: 4 }, () => rendezvous<number>())
    const [muxTx, muxRx] = rendezvous<number>()
    const sender = (async () => {
      for (let i = 0; i < n; i++) {
        await select(chans.map(([tx]) => send(tx, i)))
      }
      for (const [tx] of chans) tx.close()
    })()
    // Each forwarder owns a clone of the mux sender; the last to finish closes it.
    const forwarders = chans.map(async ([, rx], k) => {
      const out = k === 0 ? muxTx : muxTx.clone()
      for await (const v of rx) await out.send(v)
      out.close()
    })
    const seen = new Set<number>()
    for await (const v of muxRx) {
      if (seen.has(v)) throw new Error(`got duplicate value: ${v}`)
      seen.add(v)
    }
    await sender
    await Promise.all(forwarders)
    expect(seen.size).toBe(n)
  }, 30_000)
})

// ------------------------------------------------------------------ sieve2.go

describe("sieve2.go: an Eratosthenes sieve over merged channels with a select-based proxy", () => {
  test("produces the primes up to 100", async () => {
    const receivers: Receiver<number>[] = [] // every channel's receiver, cancelled at the end
    const tasks: Promise<void>[] = []
    const chan = (capacity: number): [Sender<number>, Receiver<number>] => {
      const pair = bounded<number>(capacity)
      receivers.push(pair[1])
      return pair
    }
    /** Runs a task that ends when a channel it uses is cancelled. */
    const go = (f: () => Promise<void>): void => {
      tasks.push(
        f().catch((e: unknown) => {
          if (!(e instanceof ChannelClosedError)) throw e
        }),
      )
    }
    const recvValue = async (rx: Receiver<number>): Promise<number> => {
      const r = await rx.receive()
      if (r.done) throw new ChannelClosedError(undefined)
      return r.value
    }

    // Odd numbers from 5.
    const odds = (): Receiver<number> => {
      const [tx, rx] = chan(50)
      go(async () => {
        for (let n = 5; ; n += 2) await tx.send(n)
      })
      return rx
    }
    // Odd multiples of p from p*p.
    const multiples = (p: number): Receiver<number> => {
      const [tx, rx] = chan(10)
      go(async () => {
        for (let n = p * p; ; n += 2 * p) await tx.send(n)
      })
      return rx
    }
    // A proxy that buffers without bound, so sending to `out` never blocks:
    // its send case is disabled (null) while the buffer is empty.
    const sendProxy = (out: Sender<number>): Sender<number> => {
      const [proxy, proxyRx] = chan(10)
      go(async () => {
        const buf: number[] = []
        let head = 0
        for (;;) {
          const r = await select([recv(proxyRx), head < buf.length ? send(out, buf[head]!) : null])
          if (r.index === 0) {
            if (r.value.done) return
            buf.push(r.value.value)
          } else head++
        }
      })
      return proxy
    }

    /** A min-heap of channels keyed by their next value. */
    interface Peek {
      head: number
      readonly ch: Receiver<number>
    }
    const heap: Peek[] = []
    const push = (x: Peek): void => {
      heap.push(x)
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1
        if (heap[parent]!.head <= heap[i]!.head) break
        ;[heap[parent], heap[i]] = [heap[i]!, heap[parent]!]
        i = parent
      }
    }
    const pop = (): Peek => {
      const top = heap[0]!
      const last = heap.pop()!
      if (heap.length > 0) {
        heap[0] = last
        for (let i = 0; ; ) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < heap.length && heap[l]!.head < heap[m]!.head) m = l
          if (r < heap.length && heap[r]!.head < heap[m]!.head) m = r
          if (m === i) break
          ;[heap[m], heap[i]] = [heap[i]!, heap[m]!]
          i = m
        }
      }
      return top
    }

    const sieve = (): Receiver<number> => {
      const [outTx, out] = chan(10)
      outTx.trySend(2)
      outTx.trySend(3)
      const [compositesTx, composites] = chan(50)
      const [primesTx, primes] = chan(10)
      primesTx.trySend(3)
      // Merge the multiples of each prime into `composites`, in increasing order.
      go(async () => {
        let min = 15
        for (;;) {
          const m = multiples(await recvValue(primes))
          const head = await recvValue(m)
          while (min < head) {
            await compositesTx.send(min)
            const minchan = pop()
            min = minchan.head
            minchan.head = await recvValue(minchan.ch)
            push(minchan)
          }
          while (min === head) {
            const minchan = pop()
            min = minchan.head
            minchan.head = await recvValue(minchan.ch)
            push(minchan)
          }
          await compositesTx.send(head)
          push({ head: await recvValue(m), ch: m })
        }
      })
      // Sieve the composites out of the candidates.
      go(async () => {
        const primesProxy = sendProxy(primesTx)
        const candidates = odds()
        let p = await recvValue(candidates)
        for (;;) {
          const c = await recvValue(composites)
          while (p < c) {
            await primesProxy.send(p)
            await outTx.send(p)
            p = await recvValue(candidates)
          }
          if (p === c) p = await recvValue(candidates)
        }
      })
      return out
    }

    const want = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
    const primes = sieve()
    const got: number[] = []
    for (let i = 0; i < want.length; i++) got.push(await recvValue(primes))
    expect(got).toEqual(want)
    // Tear down: cancelling every receiver ends every producer with ChannelClosedError.
    while (receivers.length > 0) {
      for (const rx of receivers.splice(0)) rx.cancel()
      await turn()
    }
    await Promise.all(tasks)
  })
})
