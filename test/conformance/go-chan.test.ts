// Ported from Go's channel tests (golang/go): test/chan/sieve1.go,
// test/chan/fifo.go, test/chan/nonblock.go, test/chan/goroutines.go,
// test/chan/perm.go, test/chan/zerosize.go, test/chan/sendstmt.go, and the
// select-free parts of test/closedchan.go.
//
// Translation rules:
// - A goroutine is an async function started without awaiting it. Go programs
//   end by exiting with goroutines still blocked; here every test tears its
//   tasks down (cancelling receivers) and checks they all ended cleanly.
// - `make(chan T)` is `rendezvous<T>()`, `make(chan T, n)` is `bounded<T>(n)`;
//   `ch <- v` is `await tx.send(v)`, `<-ch` is `await rx.receive()`, and
//   `select { case ...: default: }` with one case is `trySend` / `tryReceive`.
// - Where Go sleeps or spins until the other goroutine has blocked, a test
//   flushes the event loop once (`turn()`): that parks every started task.
// - Iteration counts are Go's own (goroutines.go keeps n = 10_000).
// - Not ported: select*.go, doubleselect.go, sieve2.go and powser1/2.go; they
//   are built on `select` (powser's split and getn select over channels),
//   which the select conformance tests cover.
//
// SPEC differences from Go, on purpose (SPEC §1, §3), adapted below:
// - send on a closed channel rejects with ChannelClosedError carrying the value
//   instead of panicking; closing twice is a no-op instead of a panic;
// - a send waiting when the channel closes is still delivered (Go panics it);
// - a receive on a closed channel resolves `{ done: true }` (Go's zero value
//   with ok == false), and `tryReceive` reports `closed`, not `empty`.

import { describe, expect, test } from "vitest"
import {
  bounded,
  channel,
  ChannelClosedError,
  rendezvous,
  type Receiver,
  type Sender,
} from "@panama/channel"
import { turn, rejectionOf } from "./helpers.js"

/** A channel of capacity 0 (rendezvous) or more (bounded). */
function make<T>(capacity: number): [Sender<T>, Receiver<T>] {
  return capacity === 0 ? rendezvous<T>() : bounded<T>(capacity)
}

/**
 * Starts tasks and checks they all end, normally or by a ChannelClosedError
 * (their channel went away). Each outcome is caught when the task starts, so a
 * task started late, during teardown, is never an unhandled rejection.
 */
function taskGroup(): { go(task: Promise<unknown>): void; endedCleanly(): Promise<void> } {
  const outcomes: Array<Promise<unknown>> = []
  return {
    go(task) {
      outcomes.push(task.then(() => undefined, (error: unknown) => error ?? new Error("rejected")))
    },
    async endedCleanly() {
      // Tasks may start more tasks while they end: the length is read each round.
      for (let i = 0; i < outcomes.length; i++) {
        const error = await outcomes[i]
        if (error !== undefined && !(error instanceof ChannelClosedError)) throw error
      }
    },
  }
}

describe("go test/chan/sieve1.go: the prime sieve as a daisy chain of filter tasks", () => {
  const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]

  test.each([0, 1, 8])(
    "sieve1 with capacity %i: the chain yields the 25 primes below 100 in order, then tears down",
    async (capacity) => {
      const { go, endedCleanly } = taskGroup()
      const receivers: Array<Receiver<number>> = []
      const chan = (): [Sender<number>, Receiver<number>] => {
        const pair = make<number>(capacity)
        receivers.push(pair[1])
        return pair
      }

      // Each task owns the handles it is given and releases them when it ends
      // (Rust's drop; Go never tears down). So cancelling the primes receiver
      // unwinds the whole chain: each send to a cancelled channel rejects, and
      // the task that made it cancels its own input in turn.
      // Sends 2, 3, 4, ... until its channel goes away.
      const generate = async (ch: Sender<number>): Promise<void> => {
        try {
          for (let i = 2; ; i++) await ch.send(i)
        } finally {
          ch.close()
        }
      }
      // Copies `input` to `out`, dropping multiples of `prime`.
      const filter = async (input: Receiver<number>, out: Sender<number>, prime: number): Promise<void> => {
        try {
          for await (const i of input) if (i % prime !== 0) await out.send(i)
        } finally {
          input.cancel()
          out.close()
        }
      }
      // Each prime found starts a new filter; `ch` is a different channel each round.
      const sieve = async (primes: Sender<number>): Promise<void> => {
        let [tx, ch] = chan()
        go(generate(tx))
        try {
          for (;;) {
            const r = await ch.receive()
            if (r.done) return
            await primes.send(r.value)
            const [tx1, ch1] = chan()
            go(filter(ch, tx1, r.value))
            ch = ch1
          }
        } finally {
          ch.cancel()
          primes.close()
        }
      }

      const [primesTx, primesRx] = chan()
      go(sieve(primesTx))
      const got: number[] = []
      for (let i = 0; i < PRIMES.length; i++) {
        const r = await primesRx.receive()
        if (r.done) break
        got.push(r.value)
      }
      expect(got).toEqual(PRIMES)

      // Go exits here with the chain blocked; we cancel the primes receiver
      // and every task must end by seeing its channel go away.
      primesRx.cancel()
      await endedCleanly()
      expect(receivers.filter((rx) => rx.state === "open" || rx.state === "closing")).toEqual([])
    },
  )
})

describe("go test/chan/fifo.go", () => {
  const N = 10

  test("AsynchFifo: a buffered channel returns its values in the order they were sent", async () => {
    const [tx, rx] = bounded<number>(N)
    for (let i = 0; i < N; i++) await tx.send(i)
    const got: number[] = []
    for (let i = 0; i < N; i++) {
      const r = await rx.receive()
      if (!r.done) got.push(r.value)
    }
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  test("SynchFifo: on a rendezvous channel receivers threaded one after another get the sends in order", async () => {
    const [chTx, chRx] = rendezvous<number>()
    const order: number[] = []
    const chain = async (val: number, input: Receiver<number>, out: Sender<number>): Promise<void> => {
      await input.receive()
      const r = await chRx.receive()
      if (r.done || r.value !== val) throw new Error(`link ${val} received ${JSON.stringify(r)}`)
      order.push(val)
      await out.send(1)
    }

    const [startTx, startRx] = rendezvous<number>()
    let input = startRx
    const links: Array<Promise<void>> = []
    for (let i = 0; i < N; i++) {
      const [outTx, outRx] = rendezvous<number>()
      links.push(chain(i, input, outTx))
      input = outRx
    }
    await startTx.send(0)
    for (let i = 0; i < N; i++) await chTx.send(i)
    expect(await input.receive()).toEqual({ done: false, value: 1 })
    await Promise.all(links)
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  // The daisy chain above lets only one receiver wait at a time. Go's runtime
  // also serves its wait queues in arrival order, and SPEC §1 requires it, so
  // these variants park all N at once.
  test.each([0, 1])(
    "SynchFifo with all receivers parked at once (capacity %i): they are served in the order they started waiting",
    async (capacity) => {
      const [tx, rx] = make<number>(capacity)
      const order: Array<[link: number, value: number]> = []
      const links = Array.from({ length: N }, async (_, link) => {
        const r = await rx.receive()
        if (!r.done) order.push([link, r.value])
      })
      await turn()
      expect(rx.pendingReceives).toBe(N)
      for (let i = 0; i < N; i++) await tx.send(i)
      await Promise.all(links)
      expect(order).toEqual(Array.from({ length: N }, (_, i) => [i, i]))
    },
  )

  test.each([0, 1])(
    "SynchFifo with all senders parked at once (capacity %i): their values are taken in the order they started waiting",
    async (capacity) => {
      const [tx, rx] = make<number>(capacity)
      for (let i = 0; i < capacity; i++) await tx.send(-1) // fill the buffer first
      const sends = Array.from({ length: N }, (_, i) => tx.send(i))
      await turn()
      expect(tx.pendingSends).toBe(N)
      const got: number[] = []
      for (let i = 0; i < capacity + N; i++) {
        const r = await rx.receive()
        if (!r.done) got.push(r.value)
      }
      await Promise.all(sends)
      expect(got).toEqual([...Array.from({ length: capacity }, () => -1), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    },
  )
})

describe("go test/chan/nonblock.go: non-blocking send and receive", () => {
  // Go checks four operand sizes (int32, int64, bool, string); the JS
  // counterparts are number, bigint, boolean and string.
  const kinds = [
    { kind: "number", toReceiver: 123, toSender: 234 },
    { kind: "bigint", toReceiver: 123456n, toSender: 234567n },
    { kind: "boolean", toReceiver: true, toSender: true },
    { kind: "string", toReceiver: "hello", toSender: "hello again" },
  ] as const
  const cases = [0, 1].flatMap((buffer) =>
    kinds.map((k) => ({ buffer, name: `${buffer === 0 ? "unbuffered" : "buffer 1"} ${k.kind}`, ...k })),
  )

  test.each(cases)(
    "nonblock, $name channel: tryReceive finds nothing at first, trySend reaches a waiting receiver, tryReceive takes a sender's value",
    async ({ buffer, toReceiver, toSender }) => {
      type V = typeof toReceiver | typeof toSender
      const [tx, rx] = channel<V>({ capacity: buffer })
      const [syncTx, syncRx] = rendezvous<boolean>()

      // Nothing has been sent: a non-blocking receive must not take anything.
      expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })

      // A receiver is waiting, so a non-blocking send succeeds (Go retries with
      // sleeps until the receiver goroutine has blocked; one turn parks it).
      const receiver = (async () => {
        expect(await rx.receive()).toEqual({ done: false, value: toReceiver })
        await syncTx.send(true)
      })()
      await turn()
      expect(tx.trySend(toReceiver)).toEqual({ ok: true })
      expect(await syncRx.receive()).toEqual({ done: false, value: true })
      await receiver

      // A sender has sent (buffered) or is waiting (rendezvous): a
      // non-blocking receive takes its value.
      const sender = (async () => {
        await tx.send(toSender)
        await syncTx.send(true)
      })()
      if (buffer > 0) await syncRx.receive()
      else await turn()
      expect(rx.tryReceive()).toEqual({ ok: true, value: toSender })
      if (buffer === 0) await syncRx.receive()
      await sender
      expect([rx.size, rx.pendingSends, rx.pendingReceives]).toEqual([0, 0, 0])
    },
  )
})

describe("go test/chan/goroutines.go", () => {
  test("goroutines: a value passes along a chain of 10_000 tasks, each relaying it leftward, and every task ends", async () => {
    const n = 10_000
    // Each link takes from its right channel and hands the value to its left.
    const relay = async (left: Sender<number>, right: Receiver<number>): Promise<void> => {
      const r = await right.receive()
      if (r.done) throw new Error("the chain broke")
      await left.send(r.value)
    }
    const [leftmostTx, leftmost] = rendezvous<number>()
    let left = leftmostTx
    const links: Array<Promise<void>> = []
    for (let i = 0; i < n; i++) {
      const [rightTx, rightRx] = rendezvous<number>()
      links.push(relay(left, rightRx))
      left = rightTx
    }
    const head = left.send(1) // `left` is now the rightmost channel
    expect(await leftmost.receive()).toEqual({ done: false, value: 1 })
    await head
    await Promise.all(links) // torn down cleanly: every relay finished
  })
})

describe("go test/chan/perm.go: channel direction", () => {
  test("perm: a sender cannot receive and a receiver cannot send or close, by type and at run time", () => {
    const [tx, rx] = bounded<number>(1)

    // Type-level half: Go's compile errors are `@ts-expect-error`s here, checked
    // by `tsc --noEmit`. The function is never called.
    const compileOnly = async (): Promise<void> => {
      const cs: Sender<number> = tx // ok
      const cr: Receiver<number> = rx // ok
      // @ts-expect-error: a Receiver is not a Sender (cs = cr)
      const s2: Sender<number> = rx
      // @ts-expect-error: a Sender is not a Receiver (cr = cs)
      const r2: Receiver<number> = tx
      void [s2, r2]

      await cs.send(0) // ok
      // @ts-expect-error: send on a receive-only handle (cr <- 0)
      await cr.send(0)
      await cr.receive() // ok
      // @ts-expect-error: receive from a send-only handle (<-cs)
      await cs.receive()
      // @ts-expect-error: range over a send-only handle
      for await (const _ of cs);
      for await (const _ of cr); // ok

      cs.close() // ok
      // @ts-expect-error: close of a receive-only handle; a receiver cancels instead
      cr.close()
    }
    void compileOnly

    // Run-time half: the handles do not carry the other direction's operations.
    const loose = (h: object): Record<string, unknown> => h as Record<string, unknown>
    expect([loose(tx).receive, loose(tx).tryReceive, loose(tx).cancel]).toEqual([undefined, undefined, undefined])
    expect([loose(rx).send, loose(rx).trySend, loose(rx).close]).toEqual([undefined, undefined, undefined])
    expect(Symbol.asyncIterator in tx).toBe(false)
    expect(Symbol.asyncIterator in rx).toBe(true)
  })
})

describe("go test/chan/zerosize.go: channels of values that carry nothing", () => {
  // Go makes chan [0]byte and chan struct{}, buffered and not. In JS the
  // interesting zero-size value is `undefined`: it must stay a legal value,
  // distinct from the end of the channel.
  test.each([0, 1])("zerosize with capacity %i: undefined, [] and {} travel as values and done stays distinct", async (capacity) => {
    const [vTx, vRx] = make<undefined>(capacity)
    const [aTx, aRx] = make<[]>(capacity)
    const [oTx, oRx] = make<Record<string, never>>(capacity)

    const sends = [vTx.send(undefined), aTx.send([]), oTx.send({})]
    expect(await vRx.receive()).toEqual({ done: false, value: undefined })
    expect(await aRx.receive()).toEqual({ done: false, value: [] })
    expect(await oRx.receive()).toEqual({ done: false, value: {} })
    await Promise.all(sends)

    vTx.close()
    expect(await vRx.receive()).toEqual({ done: true, value: undefined })
  })
})

describe("go test/chan/sendstmt.go", () => {
  test("chanchan: a channel received from a channel of channels accepts a non-blocking send", async () => {
    const [ccTx, ccRx] = bounded<Sender<number>>(1)
    const [cTx, cRx] = bounded<number>(1)
    await ccTx.send(cTx)

    // Go: select { case <-cc <- 2: default: panic("nonblock") }
    const inner = ccRx.tryReceive()
    if (!inner.ok) throw new Error("cc was empty")
    expect(inner.value.trySend(2)).toEqual({ ok: true })
    expect(await cRx.receive()).toEqual({ done: false, value: 2 })
  })
})

describe("go test/closedchan.go: receive from and send to a closed channel (select-free parts)", () => {
  // Go's test1: a drained closed channel yields the zero value with ok == false,
  // every time, blocking or not; a send panics and its value is discarded.
  async function checkDrainedClosed(tx: Sender<number>, rx: Receiver<number>): Promise<void> {
    for (let i = 0; i < 3; i++) {
      expect(await rx.receive()).toEqual({ done: true, value: undefined })
      expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
    }
    expect(tx.trySend(1)).toEqual({ ok: false, reason: "closed", value: 1 })
    expect(await rx.receive()).toEqual({ done: true, value: undefined })

    const error = await rejectionOf(tx.send(2))
    expect(error).toBeInstanceOf(ChannelClosedError)
    expect((error as ChannelClosedError<number>).value).toBe(2)
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  }

  test("closedsync: a closed rendezvous channel reports done to every receive and refuses every send", async () => {
    const [tx, rx] = rendezvous<number>()
    const keep = tx.clone() // a handle to send with after the channel closed
    tx.close()
    keep.close()
    expect(rx.state).toBe("closed")
    await checkDrainedClosed(keep, rx)
  })

  test.each(["receive", "tryReceive"] as const)(
    "closedasync via %s: the last buffered value is still received after close, then the channel acts closed",
    async (how) => {
      const [tx, rx] = bounded<number>(2)
      await tx.send(1)
      tx.close()
      expect(rx.state).toBe("closing")
      if (how === "receive") expect(await rx.receive()).toEqual({ done: false, value: 1 })
      else expect(rx.tryReceive()).toEqual({ ok: true, value: 1 })
      expect(rx.state).toBe("closed")
      await checkDrainedClosed(tx, rx)
    },
  )

  test("close of a closed channel: Go panics, here it is a no-op and the first reason stays", async () => {
    const [tx, rx] = rendezvous<number>()
    const other = tx.clone()
    tx.close("first")
    other.close("second")
    tx.close()
    expect(rx.state).toBe("closed")
    expect(await rejectionOf(rx.receive())).toBe("first")
  })

  test("close with a blocked sender (closedchan's TODO): the waiting send is still delivered, then done", async () => {
    // Go panics the blocked sender; SPEC §3 keeps it waiting and delivers it.
    const [tx, rx] = rendezvous<number>()
    const waiting = tx.send(5)
    await turn()
    tx.close()
    expect(rx.state).toBe("closing")
    expect(rx.pendingSends).toBe(1)

    expect(await rx.receive()).toEqual({ done: false, value: 5 })
    await waiting
    expect(rx.state).toBe("closed")
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  test("close with a blocked receiver (closedchan's TODO): the waiting receive resolves done", async () => {
    const [tx, rx] = rendezvous<number>()
    const waiting = rx.receive()
    await turn()
    tx.close()
    expect(await waiting).toEqual({ done: true, value: undefined })
  })
})
