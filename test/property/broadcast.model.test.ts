/**
 * `broadcast` against a model, step by step, over random programs.
 *
 * The implementation keeps one shared log that every receiver reads at its
 * own cursor (drop-newest: one buffer per receiver). The model is what SPEC §6
 * says: each receiver has its own FIFO buffer of `capacity` values. After
 * every operation the two must agree exactly: what each try-call returned,
 * each receiver's `size` and `missed`, the sender's `state` (closing while
 * values remain), `receivers` and `pendingSends`, and which values went to `onDrop` with which reason. Waits
 * (parked receives, suspended sends) are settled by the model at the moment
 * the implementation hands a value over, and every promise's outcome is
 * checked at the end.
 *
 * Capacities include 1, small ones the log's starting ring holds, larger ones
 * that make it grow, and Infinity (with bursts that grow it past the size it
 * gives back when emptied).
 *
 * Seeded (20261123) so a run replays exactly; explore with another seed:
 * FC_SEED=<seed> npx vitest run property/broadcast.model.test.ts
 */

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { broadcast, ChannelClosedError, ChannelFullError, type BroadcastReceiver, type DropReason, type Overflow } from "@panama/channel"

const seed = process.env.FC_SEED === undefined ? 20261123 : Number(process.env.FC_SEED)
const OVERFLOWS: readonly Overflow[] = ["suspend", "reject", "drop-oldest", "drop-newest"]
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

type Got = { kind: "value"; value: number } | { kind: "lagged"; n: number } | { kind: "done" } | { kind: "error" }

interface ModelSub {
  queue: number[]
  lagged: number // not yet reported
  missed: number
  live: boolean
  waiters: ModelWait[] // parked receives, oldest first
}
interface ModelWait {
  settled: Got | "aborted" | null
}
interface ModelSend {
  value: number
  settled: "accepted" | "aborted" | "closed" | null
}

/** SPEC §6 broadcast with one FIFO buffer per receiver. */
class Model {
  readonly subs: ModelSub[] = []
  readonly sendq: ModelSend[] = []
  state: "open" | "closing" | "closed" | "cancelled" = "open"
  readonly drops: [number, DropReason][] = []
  // Per accepted value: buffers holding it, and whether some receiver got it.
  readonly holders = new Map<number, { left: number; got: boolean }>()

  constructor(
    readonly capacity: number,
    readonly overflow: Overflow,
  ) {}

  subscribe(): ModelSub {
    const sub: ModelSub = { queue: [], lagged: 0, missed: 0, live: !this.ended(), waiters: [] }
    if (sub.live) this.subs.push(sub)
    return sub
  }

  anyFull(): boolean {
    return this.subs.some((s) => s.queue.length >= this.capacity)
  }

  canSend(): boolean {
    return this.sendq.length === 0 && (!this.anyFull() || this.overflow === "drop-oldest" || this.overflow === "drop-newest")
  }

  give(value: number): void {
    this.holders.get(value)!.got = true
    this.release(value, null)
  }

  release(value: number, reason: DropReason | null): void {
    const h = this.holders.get(value)!
    if (--h.left === 0 && !h.got && reason !== null) this.drops.push([value, reason])
  }

  deliver(value: number): void {
    if (this.subs.length === 0) {
      this.drops.push([value, "cancel"])
      return
    }
    const h = { left: this.subs.length, got: false }
    this.holders.set(value, h)
    const evicted: number[] = []
    for (const s of this.subs) {
      const w = s.waiters.shift()
      if (w !== undefined) {
        w.settled = { kind: "value", value }
        this.give(value)
      } else if (s.queue.length < this.capacity) s.queue.push(value)
      else if (this.overflow === "drop-oldest") {
        s.lagged++
        s.missed++
        evicted.push(s.queue.shift()!)
        s.queue.push(value)
      } else {
        s.lagged++
        s.missed++
        evicted.push(value)
      }
    }
    for (const v of evicted) this.release(v, "overflow")
  }

  admit(): void {
    while (this.sendq.length > 0 && !this.anyFull()) {
      const s = this.sendq.shift()!
      this.deliver(s.value)
      s.settled = "accepted"
    }
    if (this.state === "closing" && this.sendq.length === 0) this.finishClose()
  }

  /** No value will be sent any more (closing with no sender waiting counts). */
  ended(): boolean {
    return this.state === "closed" || this.state === "cancelled" || (this.state === "closing" && this.sendq.length === 0)
  }

  finishClose(): void {
    for (const s of this.subs) for (const w of s.waiters.splice(0)) w.settled = { kind: "done" }
    this.closeIfDrained()
  }

  /** SPEC §3: closing while values remain, then closed. */
  closeIfDrained(): void {
    if (this.state === "closing" && this.sendq.length === 0 && this.subs.every((s) => s.queue.length === 0)) {
      this.state = "closed"
    }
  }

  trySend(value: number): "ok" | "full" | "closed" {
    if (this.state !== "open") return "closed"
    if (!this.canSend()) return "full"
    this.deliver(value)
    return "ok"
  }

  send(value: number): ModelSend | "rejected-full" | "rejected-closed" {
    if (this.state !== "open") return "rejected-closed"
    const s: ModelSend = { value, settled: null }
    if (this.canSend()) {
      this.deliver(value)
      s.settled = "accepted"
      return s
    }
    if (this.overflow === "reject") return "rejected-full"
    this.sendq.push(s)
    return s
  }

  abortSend(s: ModelSend): void {
    const i = this.sendq.indexOf(s)
    if (i < 0) return
    this.sendq.splice(i, 1)
    s.settled = "aborted"
    this.admit()
  }

  done(s: ModelSub): boolean {
    return !s.live || this.ended()
  }

  tryReceive(s: ModelSub): Got | "empty" {
    if (s.lagged > 0) {
      const n = s.lagged
      s.lagged = 0
      return { kind: "lagged", n }
    }
    if (s.queue.length > 0) {
      const value = s.queue.shift()!
      this.give(value)
      this.admit()
      this.closeIfDrained()
      return { kind: "value", value }
    }
    // Cancelled with a reason (always, here): every receiver, released or not, gets it.
    if (this.state === "cancelled") return { kind: "error" }
    return this.done(s) ? { kind: "done" } : "empty"
  }

  tryReceiveMany(s: ModelSub, max: number): number[] {
    s.lagged = 0
    const out: number[] = []
    while (out.length < max && s.queue.length > 0) {
      const value = s.queue.shift()!
      this.give(value)
      out.push(value)
      this.admit() // admitted values may land in this buffer and be taken in the same batch
    }
    this.closeIfDrained()
    return out
  }

  /** A receive: settles now (returns the result) or parks. */
  receive(s: ModelSub): ModelWait {
    const r = this.tryReceive(s)
    const w: ModelWait = { settled: null }
    if (r === "empty") s.waiters.push(w)
    else w.settled = r
    return w
  }

  abortReceive(s: ModelSub, w: ModelWait): void {
    const i = s.waiters.indexOf(w)
    if (i < 0) return
    s.waiters.splice(i, 1)
    w.settled = "aborted"
  }

  unsubscribe(s: ModelSub): void {
    if (!s.live) return
    s.live = false
    this.subs.splice(this.subs.indexOf(s), 1)
    for (const w of s.waiters.splice(0)) w.settled = { kind: "done" }
    const held = s.queue.splice(0)
    this.admit()
    this.closeIfDrained()
    for (const v of held) this.release(v, "cancel")
  }

  close(): void {
    if (this.state !== "open") return
    this.state = "closing"
    if (this.sendq.length === 0) this.finishClose()
  }

  cancel(): void {
    if (this.state === "closed" || this.state === "cancelled") return
    this.state = "cancelled"
    const held: number[] = []
    for (const s of this.subs) held.push(...s.queue.splice(0))
    for (const q of this.sendq.splice(0)) q.settled = "closed"
    for (const s of this.subs) for (const w of s.waiters.splice(0)) w.settled = { kind: "error" }
    for (const v of held) this.release(v, "cancel")
  }
}

const op = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.nat(15), fc.nat(15))
const program = fc.record({
  capacity: fc.constantFrom(1, 2, 3, 5, 15, 16, 40, Infinity),
  overflow: fc.constantFrom(...OVERFLOWS),
  ops: fc.array(op, { minLength: 10, maxLength: 150, size: "max" }),
})

describe("broadcast against a model with one buffer per receiver", () => {
  it("agrees after every step on results, sizes, missed counts, pending sends and drops", async () => {
    await fc.assert(
      fc.asyncProperty(program, async ({ capacity, overflow, ops }) => {
        const drops: [number, DropReason][] = []
        const model = new Model(capacity, overflow)
        const [tx, first] = broadcast<number>({ capacity, overflow, onDrop: (v, reason) => void drops.push([v, reason]) })
        const subs: { rx: BroadcastReceiver<number>; m: ModelSub }[] = [{ rx: first, m: model.subscribe() }]
        const receives: { got: Got | "aborted" | null; m: ModelWait; abort: AbortController; sub: number }[] = []
        const sends: { got: ModelSend["settled"]; m: ModelSend; abort: AbortController }[] = []
        let next = 1
        let step = 0
        let checked = 0 // drops compared so far

        const settleGot = (r: { done: boolean; value?: number; lagged?: number }): Got =>
          r.done ? { kind: "done" } : "lagged" in r && r.lagged !== undefined ? { kind: "lagged", n: r.lagged } : { kind: "value", value: r.value! }

        const compare = (): void => {
          const at = `step ${step}`
          expect([at, tx.receivers]).toEqual([at, model.subs.length])
          expect([at, tx.pendingSends]).toEqual([at, model.sendq.length])
          expect([at, tx.state]).toEqual([at, model.state])
          for (const [k, s] of subs.entries()) {
            expect([at, k, "size", s.rx.size]).toEqual([at, k, "size", s.m.live ? s.m.queue.length : 0])
            expect([at, k, "missed", s.rx.missed]).toEqual([at, k, "missed", s.m.missed])
          }
          // The drops of this step, in any order within the step.
          const sort = (d: [number, DropReason][]): [number, DropReason][] => d.slice(checked).sort((a, b) => a[0] - b[0])
          expect([at, sort(drops)]).toEqual([at, sort(model.drops)])
          checked = drops.length
        }

        for (const [code, a, b] of ops) {
          step++
          const s = subs[a % subs.length]!
          switch (code) {
            case 0:
            case 1:
            case 2: {
              const v = next++
              const r = tx.trySend(v)
              expect([step, r.ok ? "ok" : r.reason]).toEqual([step, model.trySend(v)])
              break
            }
            case 3:
            case 4: {
              const v = next++
              const abort = new AbortController()
              const m = model.send(v)
              const p = tx.send(v, { signal: abort.signal })
              if (m === "rejected-full" || m === "rejected-closed") {
                const e = await p.then(
                  () => "resolved",
                  (error: unknown) => error,
                )
                expect(e).toBeInstanceOf(m === "rejected-full" ? ChannelFullError : ChannelClosedError)
                break
              }
              const entry = { got: null as ModelSend["settled"], m, abort }
              p.then(
                () => void (entry.got = "accepted"),
                (error: unknown) => void (entry.got = error instanceof ChannelClosedError ? "closed" : "aborted"),
              )
              sends.push(entry)
              break
            }
            case 5:
            case 6: {
              const r = s.rx.tryReceive()
              const got: Got | "empty" = r.ok
                ? "lagged" in r
                  ? { kind: "lagged", n: r.lagged }
                  : { kind: "value", value: r.value }
                : r.reason === "empty"
                  ? "empty"
                  : r.error !== undefined
                    ? { kind: "error" }
                    : { kind: "done" }
              expect([step, got]).toEqual([step, model.tryReceive(s.m)])
              break
            }
            case 7:
            case 8: {
              const max = b % 4 === 0 ? Infinity : 1 + b
              expect([step, s.rx.tryReceiveMany(max)]).toEqual([step, model.tryReceiveMany(s.m, max)])
              break
            }
            case 9: {
              const abort = new AbortController()
              const entry = { got: null as Got | "aborted" | null, m: model.receive(s.m), abort, sub: a % subs.length }
              s.rx.receive({ signal: abort.signal }).then(
                (r) => void (entry.got = settleGot(r)),
                (error: unknown) => void (entry.got = error === abort.signal.reason ? "aborted" : { kind: "error" }),
              )
              receives.push(entry)
              break
            }
            case 10: {
              // Abort a pending receive or send (a no-op if it already settled).
              if (b % 2 === 0 && receives.length > 0) {
                const r = receives[b % receives.length]!
                r.abort.abort(new Error("abort"))
                model.abortReceive(subs[r.sub]!.m, r.m)
              } else if (sends.length > 0) {
                const q = sends[b % sends.length]!
                q.abort.abort(new Error("abort"))
                model.abortSend(q.m)
              }
              break
            }
            case 11:
              if (subs.length < 6) subs.push({ rx: tx.subscribe(), m: model.subscribe() })
              break
            case 12:
              if (b < 6) {
                s.rx.cancel()
                model.unsubscribe(s.m)
              }
              break
            case 13: {
              // A burst: enough to grow the log past the size it gives back when emptied.
              const n = b === 15 ? 1500 : 1 + b * 3
              for (let i = 0; i < n; i++) {
                const v = next++
                const r = tx.trySend(v)
                const m = model.trySend(v)
                if ((r.ok ? "ok" : r.reason) !== m) expect([step, i, r.ok ? "ok" : r.reason]).toEqual([step, i, m])
                if (m !== "ok") break
              }
              break
            }
            case 14:
              if (b === 0) {
                tx.close()
                model.close()
              }
              break
            case 15:
              if (b === 0) {
                s.rx.cancel(new Error("cancelled")) // cancels the broadcast, then unsubscribes this receiver
                model.cancel()
                model.unsubscribe(s.m)
              }
              break
          }
          compare()
          if (code === 9 || code === 10 || b === 7) {
            // Let settled promises report, then check them against the model.
            await flush()
            for (const r of receives) if (r.got !== null) expect([step, r.got]).toEqual([step, r.m.settled])
            for (const q of sends) if (q.got !== null) expect([step, q.got]).toEqual([step, q.m.settled])
          }
        }

        await flush()
        for (const r of receives) expect(r.got).toEqual(r.m.settled)
        for (const q of sends) expect(q.got).toEqual(q.m.settled)
      }),
      { numRuns: 1000, seed },
    )
  })
})
