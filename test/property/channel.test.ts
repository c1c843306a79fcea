/**
 * Property tests of the core channel (SPEC §1–4, issue 2): random programs of
 * several producers and consumers doing send / trySend / sendAll / receive /
 * tryReceive / receiveMany / tryReceiveMany, with aborts (own and shared
 * signals, already-aborted signals), timeouts (fake timers, advanced by the
 * program), clones, closes and cancels through any handle, under every
 * overflow policy, capacities 0, 1, 2–5 and Infinity, with and without `size`.
 *
 * The driver is its own scheduler: a program is a list of commands; each runs
 * synchronously and is then (usually) followed by a full microtask flush, so
 * interleavings are decided by fast-check and replay exactly from a seed.
 * Producers and consumers are sequential actors (at most one operation each
 * in flight), as in `for (…) await tx.send(v)`.
 *
 * What every run checks:
 * - Ownership: every accepted value (send resolved, trySend ok, sendAll
 *   prefix) is delivered exactly once or passed to onDrop exactly once, never
 *   both, never neither; every value not accepted came back (error `value`,
 *   trySend result, sendAll remainder) or its send was aborted / timed out,
 *   and then it is nowhere: not delivered, not dropped.
 * - No duplicates, no unknown values; FIFO: a value accepted before another
 *   was sent is never received after it (interval order over a logical clock).
 * - After every flush: stats equal the model (sent, received, dropped by
 *   reason), `size` is the weight of what the model says is buffered,
 *   pendingSends / pendingReceives equal the operations in flight, handle
 *   counts equal live handles, the state agrees with what was requested.
 * - At the end (close and drain, or cancel): every operation settled, pending
 *   counts zero, no timer left armed, no abort listener left on any signal.
 *
 * A second, smaller pair of properties states SPEC §2 directly with
 * `fc.scheduler()` ordering the starts of receives, sends and aborts.
 *
 * Reproduce a failure: the error prints `seed` and `path`; rerun with
 * FC_SEED=<seed> FC_PATH=<path> npx vitest run property/channel.test.ts -t '<test name>'
 * (FC_RUNS=<n> runs more cases; the default keeps the file at a few seconds).
 */

import { getEventListeners } from "node:events"
import fc from "fast-check"
import { afterAll, beforeAll, describe, it, vi } from "vitest"
import {
  channel,
  ChannelClosedError,
  ChannelFullError,
  type ChannelState,
  type Overflow,
  type Receiver,
  type Sender,
} from "@panama/channel"

const realSetImmediate = setImmediate

/** Errors the channel reported through `reportError` in the current run. */
const reported: unknown[] = []
const reportError = (error: unknown): void => void reported.push(error)
/** Runs every queued microtask (setImmediate is not faked). */
const flush = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve))

// ------------------------------------------------------------------ programs

type SignalKind = "none" | "own" | "shared" | "aborted"
interface Wait {
  readonly sig: SignalKind
  readonly timeout: number | undefined
}
type Cmd =
  | ({ readonly k: "send"; readonly actor: number; readonly handle: number } & Wait)
  | { readonly k: "trySend"; readonly actor: number; readonly handle: number }
  | ({ readonly k: "sendAll"; readonly actor: number; readonly handle: number; readonly count: number } & Wait)
  | ({ readonly k: "receive"; readonly actor: number; readonly handle: number } & Wait)
  | { readonly k: "tryReceive"; readonly actor: number; readonly handle: number }
  | { readonly k: "iterate"; readonly actor: number; readonly handle: number; readonly count: number }
  | ({ readonly k: "receiveMany"; readonly actor: number; readonly handle: number; readonly max: number } & Wait)
  | { readonly k: "tryReceiveMany"; readonly actor: number; readonly handle: number; readonly max: number }
  | { readonly k: "abort"; readonly side: "p" | "c"; readonly actor: number }
  | { readonly k: "abortShared" }
  | { readonly k: "advance"; readonly ms: number }
  | { readonly k: "cloneTx"; readonly handle: number }
  | { readonly k: "cloneRx"; readonly handle: number }
  | { readonly k: "closeTx"; readonly handle: number; readonly how: "plain" | "reason" | "dispose" }
  | { readonly k: "cancelRx"; readonly handle: number; readonly how: "plain" | "reason" | "dispose" }
type Step = { readonly cmd: Cmd; readonly flush: boolean }

type EndMode = "close" | "closeReason" | "cancel" | "cancelReason" | "closeThenCancel"
interface Config {
  readonly capacity: number
  readonly overflow: Overflow
  readonly sized: boolean
  readonly throwingOnDrop: boolean // onDrop throws after recording: the channel must not care
  readonly producers: number
  readonly consumers: number
  readonly end: EndMode
}

const PRODUCERS = 3
const CONSUMERS = 3

const actorP = fc.nat({ max: PRODUCERS - 1 })
const actorC = fc.nat({ max: CONSUMERS - 1 })
const handle = fc.nat({ max: 7 })
const wait: fc.Arbitrary<Wait> = fc.record({
  sig: fc.constantFrom<SignalKind>("none", "own", "own", "shared", "aborted"),
  timeout: fc.option(fc.nat({ max: 4 }), { nil: undefined, freq: 2 }),
})
const how = fc.constantFrom<"plain" | "reason" | "dispose">("plain", "plain", "reason", "dispose")

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ k: fc.constant("send" as const), actor: actorP, handle }).chain((c) => wait.map((w) => ({ ...c, ...w }))) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("trySend" as const), actor: actorP, handle }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ k: fc.constant("sendAll" as const), actor: actorP, handle, count: fc.integer({ min: 1, max: 4 }) })
      .chain((c) => wait.map((w) => ({ ...c, ...w }))),
  },
  { weight: 10, arbitrary: fc.record({ k: fc.constant("receive" as const), actor: actorC, handle }).chain((c) => wait.map((w) => ({ ...c, ...w }))) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("tryReceive" as const), actor: actorC, handle }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant("iterate" as const), actor: actorC, handle, count: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        k: fc.constant("receiveMany" as const),
        actor: actorC,
        handle,
        max: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(Infinity)),
      })
      .chain((c) => wait.map((w) => ({ ...c, ...w }))),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("tryReceiveMany" as const),
      actor: actorC,
      handle,
      max: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(Infinity)),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.oneof(
      fc.record({ k: fc.constant("abort" as const), side: fc.constant("p" as const), actor: actorP }),
      fc.record({ k: fc.constant("abort" as const), side: fc.constant("c" as const), actor: actorC }),
    ),
  },
  { weight: 2, arbitrary: fc.constant({ k: "abortShared" as const }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("cloneTx" as const), handle }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("cloneRx" as const), handle }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("closeTx" as const), handle, how }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("cancelRx" as const), handle, how }) },
)

// Mostly a full flush after each command; sometimes the next command runs in
// the same synchronous turn (an abort right after a send, a close before the
// waiter's continuation ran).
const step: fc.Arbitrary<Step> = fc.record({ cmd, flush: fc.boolean().chain((b) => (b ? fc.constant(true) : fc.boolean())) })
const program = fc.array(step, { minLength: 1, maxLength: 40, size: "max" })

function configs(overflow: Overflow): fc.Arbitrary<Config> {
  const dropping = overflow === "drop-newest" || overflow === "drop-oldest"
  const capacity = fc.oneof(
    ...(dropping ? [] : [fc.constant(0)]),
    fc.constant(1),
    fc.integer({ min: 2, max: 5 }),
    fc.constant(Infinity),
  )
  return fc
    .record({
      capacity,
      sized: fc.boolean(),
      throwingOnDrop: fc.boolean(),
      producers: fc.integer({ min: 1, max: PRODUCERS }),
      consumers: fc.integer({ min: 1, max: CONSUMERS }),
      end: fc.constantFrom<EndMode>("close", "closeReason", "cancel", "cancelReason", "closeThenCancel"),
    })
    .map((c) => ({ ...c, overflow, sized: c.sized && c.capacity > 0 }))
}

// ------------------------------------------------------------------ the model

/** Values are `producer * 1000 + seq`; weights 0..4, so some exceed small capacities. */
const weightOf = (v: number): number => (v * 7) % 5

type Outcome = "pending" | "accepted" | "returned" | "aborted"
interface Rec {
  readonly producer: number
  readonly seq: number
  outcome: Outcome
  sendStart: number // tick the send was called
  acceptedBy: number // tick at which acceptance was observed (upper bound)
  delivered: number
  deliverStart: number // tick the receiving operation started
  deliverEnd: number // tick its result was observed
  dropped: number
  dropReason: string | undefined
  batch: readonly number[] | undefined // the values of its sendAll call, if sent by one
  batchOp: Op | undefined
}

interface Op {
  readonly name: string
  readonly sends: boolean // a send-like operation (counts in pendingSends while in flight)
  readonly start: number
  readonly startTime: number // fake Date.now() at the call
  readonly controller: AbortController | undefined
  readonly timeout: number | undefined
  readonly releasedAtCall: boolean
  readonly value: number | undefined // the value of a plain send
  settled: boolean
  gotValue: boolean // settled with a value: a send accepted, a receive given one
}

interface Slot<H> {
  readonly h: H
  released: boolean
}

const STATE_ORDER: Record<ChannelState, number> = { open: 0, closing: 1, closed: 2, cancelled: 3 }

class Run {
  readonly problems: string[] = []
  tick = 0
  readonly values = new Map<number, Rec>()
  readonly ops: Op[] = []
  readonly inFlight: (Op | undefined)[] = [] // per actor: producers 0..P-1, consumers P..P+C-1
  readonly nextSeq: number[] = new Array<number>(PRODUCERS).fill(0)
  readonly txs: Slot<Sender<number>>[]
  readonly rxs: Slot<Receiver<number>>[]
  liveTx = 1
  liveRx = 1
  closeRequested = false // an effective close (state was open or closing)
  cancelRequested = false // an effective cancel (state was open or closing)
  reason: unknown = undefined // the first reason given while the state was below closed
  hasReason = false
  readonly drops = { overflow: 0, cancel: 0 }
  readonly overflowLog: number[] = [] // values passed to onDrop(v, "overflow"), in order
  readonly thrown: Error[] = [] // errors the throwing onDrop threw
  readonly controllers: AbortController[] = []
  shared: AbortController
  lastState = 0
  parked: Op[] = [] // operations in flight at the last flush, in call order
  txClosed = false // tx.closed resolved: no value can be sent any more
  rxClosed = false // rx.closed resolved: no value will ever be received
  reasons = 0

  constructor(readonly cfg: Config) {
    const [tx, rx] = channel<number>({
      capacity: cfg.capacity,
      overflow: cfg.overflow,
      size: cfg.sized ? weightOf : undefined,
      onDrop: (v, why) => {
        this.onDrop(v, why)
        if (cfg.throwingOnDrop) {
          const error = new Error(`onDrop ${v} threw`)
          this.thrown.push(error)
          throw error
        }
      },
    })
    this.txs = [{ h: tx, released: false }]
    this.rxs = [{ h: rx, released: false }]
    tx.closed.then(
      () => {
        this.txClosed = true
        this.check(this.tx.state !== "open", () => `tx.closed resolved while open`)
      },
      () => this.check(false, () => `tx.closed rejected`),
    )
    rx.closed.then(
      () => {
        this.rxClosed = true
        this.check(STATE_ORDER[this.tx.state] >= 2, () => `rx.closed resolved while ${this.tx.state}`)
      },
      () => this.check(false, () => `rx.closed rejected`),
    )
    this.shared = this.controller()
  }

  check(ok: boolean, message: () => string): void {
    if (!ok) this.problems.push(`tick ${this.tick}: ${message()}`)
  }

  get tx(): Sender<number> {
    return this.txs[0]!.h // introspection works through any handle, released or not
  }

  controller(): AbortController {
    const c = new AbortController()
    this.controllers.push(c)
    return c
  }

  /** Values accepted and neither delivered nor dropped, as the model has observed so far. */
  buffered(): Rec[] {
    return [...this.values.values()].filter((r) => r.outcome === "accepted" && r.delivered === 0 && r.dropped === 0)
  }

  /** Buffered count as the channel's own stats tell it. */
  statsBuffered(): number {
    const s = this.tx.stats
    return s.sent - s.received - s.dropped.overflow - s.dropped.cancel
  }

  onDrop(v: number, why: string): void {
    const r = this.values.get(v)
    if (r === undefined) return this.check(false, () => `onDrop of unknown value ${v}`)
    this.outBeforeSettled(r)
    r.dropped++
    r.dropReason = why
    if (why === "overflow") {
      this.drops.overflow++
      this.overflowLog.push(v)
      this.check(
        this.cfg.overflow === "drop-newest" || this.cfg.overflow === "drop-oldest",
        () => `overflow drop of ${v} under ${this.cfg.overflow}`,
      )
    } else if (why === "cancel") {
      this.drops.cancel++
      this.check(this.tx.state === "cancelled", () => `cancel drop of ${v} while ${this.tx.state}`)
    } else this.check(false, () => `onDrop reason ${why}`)
  }

  // ---------------------------------------------------------------- sender side

  newValue(p: number): number {
    const seq = this.nextSeq[p]!++
    const v = p * 1000 + seq
    this.values.set(v, {
      producer: p,
      seq,
      outcome: "pending",
      sendStart: this.tick,
      acceptedBy: -1,
      delivered: 0,
      deliverStart: -1,
      deliverEnd: -1,
      dropped: 0,
      dropReason: undefined,
      batch: undefined,
      batchOp: undefined,
    })
    return v
  }

  /**
   * A value of a sendAll still in flight came out of the channel: it and the
   * values before it in that call were accepted (the call's result comes later).
   */
  outBeforeSettled(r: Rec): void {
    if (r.outcome !== "pending" || r.batch === undefined || r.batchOp === undefined || r.batchOp.settled) return
    for (const v of r.batch) {
      const b = this.values.get(v)!
      if (b.outcome === "pending") {
        b.outcome = "accepted"
        b.acceptedBy = Infinity // not observed yet; the call's resolution sets it
      }
      if (b === r) break
    }
  }

  accepted(v: number): void {
    const r = this.values.get(v)!
    if (r.outcome === "accepted" && r.acceptedBy === Infinity) {
      r.acceptedBy = this.tick // provisional acceptance (outBeforeSettled), now observed
      return
    }
    this.check(r.outcome === "pending", () => `value ${v} accepted after ${r.outcome}`)
    r.outcome = "accepted"
    r.acceptedBy = this.tick
  }

  notAccepted(v: number, outcome: "returned" | "aborted"): void {
    const r = this.values.get(v)!
    this.check(r.outcome === "pending", () => `value ${v} ${outcome} after ${r.outcome}`)
    r.outcome = outcome
  }

  /** Checks a rejection that is an abort or a timeout of `op`; returns false if it is neither. */
  isCancellation(op: Op, e: unknown): boolean {
    if (op.controller !== undefined && e === op.controller.signal.reason && op.controller.signal.aborted) return true
    if (e instanceof DOMException && e.name === "TimeoutError") {
      this.check(op.timeout !== undefined, () => `${op.name} timed out without a timeout`)
      this.check(
        op.timeout !== undefined && Date.now() - op.startTime >= op.timeout,
        () => `${op.name} timed out after ${Date.now() - op.startTime} ms, before its ${op.timeout} ms`,
      )
      return true
    }
    return false
  }

  /** Checks a send error that hands the value back. */
  refused(op: Op, v: number, e: unknown, reasonAtCall: { has: boolean; reason: unknown }, openAtCall: boolean): void {
    if (e instanceof ChannelClosedError) {
      // Sent on an open channel it was accepted or waited; a close leaves waiting senders waiting.
      this.check(
        op.releasedAtCall || !openAtCall || this.cancelRequested,
        () => `${op.name}: a waiting send refused without a cancel`,
      )
      this.check(e.value === v, () => `${op.name}: ChannelClosedError carries ${String(e.value)}, not ${v}`)
      this.check(
        op.releasedAtCall || this.tx.state !== "open",
        () => `${op.name}: ChannelClosedError on an open channel through a live handle`,
      )
      this.check(
        e.cause === undefined || (this.hasReason && e.cause === this.reason),
        () => `${op.name}: cause ${String(e.cause)} is not the channel's reason`,
      )
      this.check(
        !reasonAtCall.has || e.cause === reasonAtCall.reason,
        () => `${op.name}: refused after a reason was given, without it as cause`,
      )
      this.notAccepted(v, "returned")
    } else if (e instanceof ChannelFullError) {
      this.check(this.cfg.overflow === "reject", () => `${op.name}: ChannelFullError under ${this.cfg.overflow}`)
      this.check(e.value === v, () => `${op.name}: ChannelFullError carries ${String(e.value)}, not ${v}`)
      this.notAccepted(v, "returned")
    } else {
      this.check(false, () => `${op.name}: unexpected rejection ${String(e)}`)
    }
  }

  // ---------------------------------------------------------------- receiver side

  delivered(v: unknown, op: Op): void {
    const r = typeof v === "number" ? this.values.get(v) : undefined
    if (r === undefined) return this.check(false, () => `${op.name} received unknown value ${String(v)}`)
    this.outBeforeSettled(r)
    r.delivered++
    this.check(r.delivered === 1, () => `value ${v} delivered ${r.delivered} times`)
    r.deliverStart = op.start
    r.deliverEnd = this.tick
  }

  /** A receive saw the end: through a released handle, or a channel done without a reason. */
  sawDone(op: Op): void {
    this.check(
      op.releasedAtCall || (STATE_ORDER[this.tx.state] >= 2 && !this.hasReason),
      () => `${op.name} resolved done while ${this.tx.state}, reason given: ${this.hasReason}`,
    )
  }

  /** A receive rejected: abort, timeout, or the channel's reason. */
  receiveRejected(op: Op, e: unknown): void {
    if (this.isCancellation(op, e)) return
    this.check(
      this.hasReason && e === this.reason && STATE_ORDER[this.tx.state] >= 2,
      () => `${op.name} rejected with ${String(e)}, not the channel's reason`,
    )
  }

  // ---------------------------------------------------------------- operations

  begin(
    name: string,
    actor: number,
    sends: boolean,
    w: Wait | undefined,
    releasedAtCall: boolean,
    value?: number,
  ): Op | undefined {
    if (this.inFlight[actor] !== undefined) return undefined // a sequential actor: busy
    let controller: AbortController | undefined
    if (w !== undefined) {
      if (w.sig === "own") controller = this.controller()
      else if (w.sig === "shared") controller = this.shared
      else if (w.sig === "aborted") {
        controller = this.controller()
        controller.abort(`reason-${++this.reasons}`)
      }
    }
    const op: Op = {
      name: `${name}#${this.ops.length}`,
      sends,
      start: this.tick,
      startTime: Date.now(),
      controller,
      timeout: w?.timeout,
      releasedAtCall,
      value,
      settled: false,
      gotValue: false,
    }
    this.ops.push(op)
    this.inFlight[actor] = op
    return op
  }

  settle(op: Op, actor: number): void {
    op.settled = true
    this.tick++
    if (this.inFlight[actor] === op) this.inFlight[actor] = undefined
  }

  options(op: Op): { signal?: AbortSignal; timeout?: number } {
    const o: { signal?: AbortSignal; timeout?: number } = {}
    if (op.controller !== undefined) o.signal = op.controller.signal
    if (op.timeout !== undefined) o.timeout = op.timeout
    return o
  }

  /** An already-aborted signal rejects at once, before anything is taken or sent. */
  checkNothingHappened(op: Op, before: string): void {
    if (op.controller === undefined || !op.controller.signal.aborted) return
    const after = this.snapshot()
    this.check(after === before, () => `${op.name} with an aborted signal changed the channel: ${before} -> ${after}`)
  }

  snapshot(): string {
    const t = this.tx
    return JSON.stringify([t.stats, t.size, t.pendingSends, t.pendingReceives, t.state])
  }

  exec(c: Cmd): void {
    this.tick++
    const P = this.cfg.producers
    switch (c.k) {
      case "send": {
        const p = c.actor % P
        const slot = this.txs[c.handle % this.txs.length]!
        if (this.inFlight[p] !== undefined) return
        const v = this.newValue(p)
        const op = this.begin("send", p, true, c, slot.released, v)!
        const reasonAtCall = { has: this.hasReason, reason: this.reason }
        const openAtCall = this.tx.state === "open"
        const waitingBefore = this.tx.pendingSends
        const before = this.snapshot()
        const drops = this.overflowLog.length
        slot.h.send(v, this.options(op)).then(
          () => {
            this.settle(op, p)
            op.gotValue = true
            this.accepted(v)
          },
          (e: unknown) => {
            this.settle(op, p)
            if (this.isCancellation(op, e)) this.notAccepted(v, "aborted")
            else this.refused(op, v, e, reasonAtCall, openAtCall)
          },
        )
        this.checkNothingHappened(op, before)
        this.checkOverflowDrops(v, drops)
        if (openAtCall && !slot.released && op.controller?.signal.aborted !== true) this.checkQueued(op.name, waitingBefore)
        return
      }
      case "trySend": {
        const p = c.actor % P
        if (this.inFlight[p] !== undefined) return
        const slot = this.txs[c.handle % this.txs.length]!
        const stateBefore = this.tx.state
        const v = this.newValue(p)
        const drops = this.overflowLog.length
        const waitingBefore = this.tx.pendingSends
        const r = slot.h.trySend(v)
        this.check(!r.ok || waitingBefore === 0, () => `trySend of ${v} overtook ${waitingBefore} waiting senders`)
        this.checkOverflowDrops(v, drops)
        if (r.ok) {
          this.check(!slot.released && stateBefore === "open", () => `trySend ok through a released handle or while ${stateBefore}`)
          this.accepted(v)
        } else {
          this.check(r.value === v, () => `trySend handed back ${r.value}, not ${v}`)
          if (r.reason === "closed") {
            this.check(slot.released || stateBefore !== "open", () => `trySend closed on an open channel`)
          } else {
            this.check(
              !slot.released && stateBefore === "open" && (this.cfg.overflow === "suspend" || this.cfg.overflow === "reject"),
              () => `trySend full under ${this.cfg.overflow} while ${stateBefore}`,
            )
            this.check(this.tx.pendingReceives === 0, () => `trySend full with a receiver waiting`)
          }
          this.notAccepted(v, "returned")
        }
        return
      }
      case "sendAll": {
        const p = c.actor % P
        const slot = this.txs[c.handle % this.txs.length]!
        const op = this.begin("sendAll", p, true, c, slot.released)
        if (op === undefined) return
        const list: number[] = []
        for (let i = 0; i < c.count; i++) list.push(this.newValue(p))
        for (const v of list) Object.assign(this.values.get(v)!, { batch: list, batchOp: op })
        const before = this.snapshot()
        const abortedAtCall = op.controller?.signal.aborted === true
        const openAtCall = this.tx.state === "open"
        const waitingBefore = this.tx.pendingSends
        slot.h.sendAll(list, this.options(op)).then(
          (rest) => {
            this.settle(op, p)
            const k = list.length - rest.length
            const suffix = k >= 0 && rest.every((v, i) => v === list[k + i])
            this.check(suffix, () => `${op.name} returned [${rest}], not a suffix of [${list}]`)
            if (!suffix) return
            this.check(!abortedAtCall || k === 0, () => `${op.name} with an aborted signal accepted ${k} values`)
            for (let i = 0; i < list.length; i++) {
              if (i < k) this.accepted(list[i]!)
              else this.notAccepted(list[i]!, "returned")
            }
          },
          (e: unknown) => {
            this.settle(op, p)
            this.check(false, () => `${op.name} rejected with ${String(e)}`)
          },
        )
        this.checkNothingHappened(op, before)
        if (openAtCall && !slot.released && !abortedAtCall) this.checkQueued(op.name, waitingBefore)
        return
      }
      case "receive": {
        const a = PRODUCERS + (c.actor % this.cfg.consumers)
        const slot = this.rxs[c.handle % this.rxs.length]!
        const op = this.begin("receive", a, false, c, slot.released)
        if (op === undefined) return
        const before = this.snapshot()
        slot.h.receive(this.options(op)).then(
          (r) => {
            this.settle(op, a)
            op.gotValue = !r.done
            if (r.done) this.sawDone(op)
            else this.delivered(r.value, op)
          },
          (e: unknown) => {
            this.settle(op, a)
            this.receiveRejected(op, e)
          },
        )
        this.checkNothingHappened(op, before)
        return
      }
      case "receiveMany": {
        const a = PRODUCERS + (c.actor % this.cfg.consumers)
        const slot = this.rxs[c.handle % this.rxs.length]!
        const op = this.begin("receiveMany", a, false, c, slot.released)
        if (op === undefined) return
        const before = this.snapshot()
        slot.h.receiveMany(c.max, this.options(op)).then(
          (batch) => {
            this.settle(op, a)
            op.gotValue = batch.length > 0
            this.check(batch.length <= c.max, () => `${op.name} took ${batch.length} > max ${c.max}`)
            if (batch.length === 0) this.sawDone(op)
            for (const v of batch) this.delivered(v, op)
          },
          (e: unknown) => {
            this.settle(op, a)
            this.receiveRejected(op, e)
          },
        )
        this.checkNothingHappened(op, before)
        return
      }
      case "iterate": {
        // for await … break: one receive per step, no prefetch, the handle stays live.
        const a = PRODUCERS + (c.actor % this.cfg.consumers)
        const slot = this.rxs[c.handle % this.rxs.length]!
        const op = this.begin("iterate", a, false, undefined, slot.released)
        if (op === undefined) return
        const loop = async (): Promise<number> => {
          let n = 0
          for await (const v of slot.h) {
            this.tick++
            this.delivered(v, op)
            if (++n === c.count) break
          }
          return n
        }
        loop().then(
          (n) => {
            this.settle(op, a)
            // A step started after the handle was released ends the loop as done.
            if (n < c.count && !slot.released) this.sawDone(op)
          },
          (e: unknown) => {
            this.settle(op, a)
            this.receiveRejected(op, e)
          },
        )
        return
      }
      case "tryReceive": {
        const a = PRODUCERS + (c.actor % this.cfg.consumers)
        if (this.inFlight[a] !== undefined) return
        const slot = this.rxs[c.handle % this.rxs.length]!
        this.tryReceive(slot, `tryReceive@${this.tick}`)
        return
      }
      case "tryReceiveMany": {
        const a = PRODUCERS + (c.actor % this.cfg.consumers)
        if (this.inFlight[a] !== undefined) return
        const slot = this.rxs[c.handle % this.rxs.length]!
        const op = this.syncOp(`tryReceiveMany@${this.tick}`, slot.released)
        const batch = slot.h.tryReceiveMany(c.max)
        this.check(batch.length <= c.max, () => `${op.name} took ${batch.length} > max ${c.max}`)
        for (const v of batch) this.delivered(v, op)
        if (batch.length < c.max && !slot.released) this.checkDrained(op.name)
        return
      }
      case "abort": {
        const actor = c.side === "p" ? c.actor % P : PRODUCERS + (c.actor % this.cfg.consumers)
        const op = this.inFlight[actor]
        if (op?.controller !== undefined && op.controller !== this.shared && !op.controller.signal.aborted) {
          op.controller.abort(`reason-${++this.reasons}`)
        }
        return
      }
      case "abortShared": {
        this.shared.abort(`reason-${++this.reasons}`)
        this.shared = this.controller()
        return
      }
      case "advance":
        vi.advanceTimersByTime(c.ms)
        return
      case "cloneTx":
      case "cloneRx": {
        const slots: Slot<Sender<number> | Receiver<number>>[] = c.k === "cloneTx" ? this.txs : this.rxs
        const slot = slots[c.handle % slots.length]!
        let clone: Sender<number> | Receiver<number> | undefined
        try {
          clone = slot.h.clone()
        } catch (e) {
          this.check(slot.released && e instanceof TypeError, () => `${c.k} threw ${String(e)}`)
          return
        }
        this.check(!slot.released, () => `${c.k} of a released handle did not throw`)
        if (c.k === "cloneTx") {
          this.txs.push({ h: clone as Sender<number>, released: false })
          this.liveTx++
        } else {
          this.rxs.push({ h: clone as Receiver<number>, released: false })
          this.liveRx++
        }
        return
      }
      case "closeTx":
        return this.closeTx(this.txs[c.handle % this.txs.length]!, c.how)
      case "cancelRx":
        return this.cancelRx(this.rxs[c.handle % this.rxs.length]!, c.how)
    }
  }

  /**
   * The overflow drops one send made: under drop-newest only its own value;
   * under drop-oldest older values, only as many as needed for it to fit.
   */
  checkOverflowDrops(v: number, from: number): void {
    const dropped = this.overflowLog.slice(from)
    if (dropped.length === 0) return
    if (this.cfg.overflow === "drop-newest") {
      this.check(dropped.length === 1 && dropped[0] === v, () => `drop-newest send of ${v} dropped [${dropped}]`)
    } else {
      this.check(!dropped.includes(v), () => `drop-oldest send of ${v} dropped it`)
      const last = dropped[dropped.length - 1]!
      const w = this.cfg.sized ? weightOf(last) : 1
      this.check(
        this.tx.size + w > this.cfg.capacity,
        () => `drop-oldest send of ${v} evicted [${dropped}], more than needed: size ${this.tx.size}`,
      )
    }
  }

  /** Waiting senders keep their order: a new send behind them waits too, even if its value would fit. */
  checkQueued(name: string, waitingBefore: number): void {
    if (waitingBefore === 0) return
    this.check(
      this.tx.pendingSends === waitingBefore + 1,
      () => `${name} did not queue behind ${waitingBefore} waiting senders (now ${this.tx.pendingSends})`,
    )
  }

  /** A synchronous receive: started and observed at the same tick. */
  syncOp(name: string, releasedAtCall: boolean): Op {
    return {
      name,
      sends: false,
      start: this.tick,
      startTime: Date.now(),
      controller: undefined,
      timeout: undefined,
      releasedAtCall,
      value: undefined,
      settled: true,
      gotValue: true,
    }
  }

  tryReceive(slot: Slot<Receiver<number>>, name: string): boolean {
    const op = this.syncOp(name, slot.released)
    const stateBefore = this.tx.state
    const r = slot.h.tryReceive()
    if (r.ok) {
      this.check(!slot.released, () => `${name} took a value through a released handle`)
      this.delivered(r.value, op)
      return true
    }
    if (r.reason === "empty") {
      this.check(!slot.released && STATE_ORDER[stateBefore] < 2, () => `${name} empty while ${stateBefore}`)
      this.checkDrained(name)
    } else {
      this.check(slot.released || STATE_ORDER[stateBefore] >= 2, () => `${name} closed while ${stateBefore}`)
      if (!slot.released) {
        this.check(
          this.hasReason ? r.error === this.reason : r.error === undefined,
          () => `${name} closed with error ${String(r.error)}, reason ${String(this.reason)}`,
        )
      }
    }
    return false
  }

  /** Nothing can be taken now: nothing buffered, no sender waiting. */
  checkDrained(name: string): void {
    this.check(
      this.statsBuffered() === 0 && this.tx.pendingSends === 0,
      () => `${name} left ${this.statsBuffered()} buffered and ${this.tx.pendingSends} waiting senders`,
    )
  }

  closeTx(slot: Slot<Sender<number>>, how: "plain" | "reason" | "dispose"): void {
    const before = STATE_ORDER[this.tx.state]
    const wasLive = !slot.released
    const reason = how === "reason" ? `reason-${++this.reasons}` : undefined
    if (how === "dispose") slot.h[Symbol.dispose]()
    else slot.h.close(reason)
    if (wasLive) {
      slot.released = true
      this.liveTx--
    }
    const closes = reason !== undefined || (wasLive && this.liveTx === 0)
    if (closes && before < 2) {
      this.closeRequested = true
      if (reason !== undefined && !this.hasReason) {
        this.hasReason = true
        this.reason = reason
      }
    }
  }

  cancelRx(slot: Slot<Receiver<number>>, how: "plain" | "reason" | "dispose"): void {
    const before = STATE_ORDER[this.tx.state]
    const wasLive = !slot.released
    const reason = how === "reason" ? `reason-${++this.reasons}` : undefined
    if (how === "dispose") slot.h[Symbol.dispose]()
    else slot.h.cancel(reason)
    if (wasLive) {
      slot.released = true
      this.liveRx--
    }
    const cancels = reason !== undefined || (wasLive && this.liveRx === 0)
    if (cancels && before < 2) {
      this.cancelRequested = true
      if (reason !== undefined && !this.hasReason) {
        this.hasReason = true
        this.reason = reason
      }
    }
  }

  // ---------------------------------------------------------------- invariants

  /** Holds between any two commands, flushed or not. */
  checkAlways(): void {
    const t = this.tx
    // An aborted or timed-out waiter leaves at once, inside abort() or the timer.
    const now = Date.now()
    const live = this.ops.filter(
      (o) =>
        !o.settled &&
        o.controller?.signal.aborted !== true &&
        !(o.timeout !== undefined && now - o.startTime >= Math.max(o.timeout, 1)), // setTimeout(f, 0) waits 1 ms
    )
    const liveSends = live.filter((o) => o.sends).length
    this.check(t.pendingSends <= liveSends, () => `pendingSends ${t.pendingSends}, but only ${liveSends} sends can still wait`)
    this.check(
      t.pendingReceives <= live.length - liveSends,
      () => `pendingReceives ${t.pendingReceives}, but only ${live.length - liveSends} receives can still wait`,
    )
    const state = STATE_ORDER[t.state]
    this.check(state >= this.lastState, () => `state went back to ${t.state}`)
    this.lastState = state
    this.check(t.senders === this.liveTx, () => `senders ${t.senders}, live ${this.liveTx}`)
    this.check(t.receivers === this.liveRx, () => `receivers ${t.receivers}, live ${this.liveRx}`)
    const buffered = this.statsBuffered()
    this.check(buffered >= 0, () => `stats say ${buffered} buffered`)
    if (this.cfg.capacity === 0) this.check(buffered === 0, () => `rendezvous channel buffered ${buffered}`)
    this.check(
      t.size <= this.cfg.capacity || buffered === 1,
      () => `size ${t.size} over capacity ${this.cfg.capacity} with ${buffered} values`,
    )
    if (t.pendingSends > 0) this.check(this.cfg.overflow === "suspend", () => `a sender waits under ${this.cfg.overflow}`)
    if (t.pendingReceives > 0) {
      this.check(buffered === 0 && t.pendingSends === 0, () => `a receiver waits beside ${buffered} values / senders`)
    }
    switch (t.state) {
      case "open":
        this.check(!this.closeRequested && !this.cancelRequested, () => `still open after close/cancel`)
        break
      case "closing":
        this.check(this.closeRequested && !this.cancelRequested, () => `closing without close, or after cancel`)
        this.check(buffered > 0 || t.pendingSends > 0, () => `closing with nothing left`)
        break
      case "closed":
      case "cancelled":
        this.check(t.state === "closed" ? this.closeRequested : this.cancelRequested, () => `${t.state} not requested`)
        this.check(
          buffered === 0 && t.pendingSends === 0 && t.pendingReceives === 0,
          () => `${t.state} with ${buffered} buffered, ${t.pendingSends} / ${t.pendingReceives} waiting`,
        )
        break
    }
  }

  /** Holds once every microtask ran: the model has observed everything. */
  checkSettled(): void {
    const t = this.tx
    const recs = [...this.values.values()]
    const s = t.stats
    const accepted = recs.filter((r) => r.outcome === "accepted").length
    const delivered = recs.reduce((n, r) => n + r.delivered, 0)
    // Values of a sendAll in flight may sit in the buffer before the call tells
    // which were accepted: the counts are exact only up to them.
    const tentative = recs.filter((r) => r.outcome === "pending" && r.batchOp !== undefined && !r.batchOp.settled).length
    this.check(
      s.sent >= accepted && s.sent <= accepted + tentative,
      () => `stats.sent ${s.sent}, accepted ${accepted} (+${tentative} in a sendAll in flight)`,
    )
    this.check(s.received === delivered, () => `stats.received ${s.received}, delivered ${delivered}`)
    this.check(
      s.dropped.overflow === this.drops.overflow && s.dropped.cancel === this.drops.cancel,
      () => `stats.dropped ${JSON.stringify(s.dropped)}, onDrop ${JSON.stringify(this.drops)}`,
    )
    const buffered = this.buffered()
    const extra = this.statsBuffered() - buffered.length
    this.check(
      extra >= 0 && extra <= tentative,
      () => `model buffers ${buffered.length} (+${tentative} in a sendAll in flight), stats ${this.statsBuffered()}`,
    )
    const load = buffered.reduce((n, r) => n + (this.cfg.sized ? weightOf(r.producer * 1000 + r.seq) : 1), 0)
    if (tentative === 0) this.check(t.size === load, () => `size ${t.size}, model load ${load}`)
    const inFlight = this.ops.filter((o) => !o.settled)
    const sending = inFlight.filter((o) => o.sends).length
    this.check(this.txClosed === (t.state !== "open"), () => `tx.closed resolved: ${this.txClosed}, state ${t.state}`)
    this.check(this.rxClosed === STATE_ORDER[t.state] >= 2, () => `rx.closed resolved: ${this.rxClosed}, state ${t.state}`)
    // Waiting receivers, and waiting plain senders, are served first come, first
    // served: one that got its value had no older waiter still waiting.
    // (A sendAll or a for-await loop parks again at the back for each value, so they are left out.)
    for (const sends of [false, true]) {
      const line = this.parked.filter(
        (o) => o.sends === sends && (sends ? o.value !== undefined : !o.name.startsWith("iterate")),
      )
      for (let j = 0; j < line.length; j++) {
        if (!line[j]!.gotValue) continue
        for (let i = 0; i < j; i++) {
          const older = line[i]!
          this.check(older.settled, () => `${line[j]!.name} was served while the older ${older.name} still waits`)
        }
      }
    }
    this.parked = inFlight
    // Senders are admitted in order as room appears: the oldest waiting one does not fit.
    const head = inFlight.find((o) => o.sends)
    if (head !== undefined && this.cfg.capacity > 0) {
      const count = this.statsBuffered()
      if (!this.cfg.sized) {
        this.check(count >= this.cfg.capacity, () => `${head.name} waits beside ${count} buffered, capacity ${this.cfg.capacity}`)
      } else if (head.value !== undefined && tentative === 0) {
        const w = weightOf(head.value)
        this.check(
          count > 0 && t.size + w > this.cfg.capacity,
          () => `${head.name} (weight ${w}) waits though it fits: size ${t.size}, capacity ${this.cfg.capacity}`,
        )
      }
    }
    this.check(t.pendingSends === sending, () => `pendingSends ${t.pendingSends}, sends in flight ${sending}`)
    this.check(
      t.pendingReceives === inFlight.length - sending,
      () => `pendingReceives ${t.pendingReceives}, receives in flight ${inFlight.length - sending}`,
    )
    for (const r of recs) {
      if (r.outcome !== "accepted") {
        this.check(r.delivered === 0 && r.dropped === 0, () => `value ${r.producer * 1000 + r.seq} ${r.outcome} but delivered or dropped`)
      }
      if (r.delivered + r.dropped > 0) this.check(r.outcome === "accepted", () => `value ${r.producer * 1000 + r.seq} out before accepted`)
      this.check(r.delivered + r.dropped <= 1, () => `value ${r.producer * 1000 + r.seq} delivered ${r.delivered}, dropped ${r.dropped}`)
    }
  }

  /** After the end: everything settled, owned once, in order, nothing left attached. */
  checkFinal(): void {
    const t = this.tx
    for (const op of this.ops) this.check(op.settled, () => `${op.name} never settled`)
    this.check(t.pendingSends === 0 && t.pendingReceives === 0, () => `pending ${t.pendingSends} / ${t.pendingReceives} at the end`)
    const expected = this.cancelRequested ? "cancelled" : "closed"
    this.check(t.state === expected, () => `ends ${t.state}, expected ${expected}`)
    for (const [v, r] of this.values) {
      this.check(r.outcome !== "pending", () => `value ${v} never settled`)
      if (r.outcome === "accepted") {
        this.check(r.delivered + r.dropped === 1, () => `accepted value ${v} delivered ${r.delivered}, dropped ${r.dropped}`)
      }
    }
    this.check(vi.getTimerCount() === 0, () => `${vi.getTimerCount()} timers still armed`)
    // A throwing onDrop is reported (reportError), each error once, never thrown at the caller.
    this.check(
      reported.length === this.thrown.length && reported.every((e, i) => e === this.thrown[i]),
      () => `onDrop threw ${this.thrown.length} errors, ${reported.length} reported`,
    )
    for (const c of this.controllers) {
      const n = getEventListeners(c.signal, "abort").length
      this.check(n === 0, () => `${n} abort listeners left on a signal`)
    }
    // FIFO: a value accepted before another was sent is never received after it.
    const got = [...this.values.values()].filter((r) => r.delivered === 1)
    for (const a of got) {
      for (const b of got) {
        if (a.acceptedBy < b.sendStart && b.deliverEnd < a.deliverStart) {
          this.check(false, () => `${b.producer * 1000 + b.seq} was received before ${a.producer * 1000 + a.seq}, accepted earlier`)
        }
      }
    }
  }

  /** Ends the program: close (and drain through a live receiver) or cancel. */
  end(): void {
    this.tick++
    switch (this.cfg.end) {
      case "close":
        for (const slot of this.txs) if (!slot.released) this.closeTx(slot, "plain")
        break
      case "closeReason":
        this.closeTx(this.txs[this.txs.length - 1]!, "reason")
        break
      case "cancel":
        for (const slot of this.rxs) if (!slot.released) this.cancelRx(slot, "plain")
        return
      case "cancelReason":
        this.cancelRx(this.rxs[0]!, "reason")
        return
      case "closeThenCancel":
        // The first reason given wins: receivers see the close reason, not the cancel's.
        this.closeTx(this.txs[0]!, "reason")
        this.cancelRx(this.rxs[this.rxs.length - 1]!, "reason")
        return
    }
    const live = this.rxs.find((s) => !s.released)
    if (live !== undefined) while (this.tryReceive(live, `drain@${this.tick}`));
  }

  /** After the end, live handles see the end with the first reason given. */
  async probe(): Promise<void> {
    const rx = this.rxs.find((s) => !s.released)
    if (rx !== undefined) {
      this.tick++
      this.check(!this.tryReceive(rx, "probe tryReceive"), () => `a value after the end`)
      const outcome = await rx.h.receive().then(
        (r) => (r.done ? "done" : "value"),
        (e: unknown) => e,
      )
      this.check(
        this.hasReason ? outcome === this.reason : outcome === "done",
        () => `receive after the end gave ${String(outcome)}, reason ${String(this.reason)}`,
      )
    }
    const tx = this.txs.find((s) => !s.released)
    if (tx !== undefined) {
      const v = this.newValue(0)
      const e = await tx.h.send(v).then(
        () => undefined,
        (e: unknown) => e,
      )
      this.check(
        e instanceof ChannelClosedError && e.value === v && e.cause === (this.hasReason ? this.reason : undefined),
        () => `send after the end: ${String(e)}, cause ${String((e as Error | undefined)?.cause)}`,
      )
      this.notAccepted(v, "returned")
    }
  }

  throwProblems(): void {
    if (this.problems.length > 0) throw new Error(this.problems.slice(0, 8).join("\n"))
  }
}

async function runProgram(cfg: Config, steps: readonly Step[]): Promise<void> {
  reported.length = 0
  vi.clearAllTimers()
  vi.setSystemTime(0)
  const run = new Run(cfg)
  for (const s of steps) {
    run.exec(s.cmd)
    run.checkAlways()
    if (s.flush) {
      await flush()
      run.checkAlways()
      run.checkSettled()
    }
    run.throwProblems()
  }
  await flush()
  run.checkSettled()
  run.end()
  run.checkAlways()
  // A sendAll admitted during the drain offers its next value one microtask
  // later (and is refused); a second drain would find nothing new.
  await flush()
  await flush()
  run.checkAlways()
  run.checkSettled()
  await run.probe()
  run.checkFinal()
  run.throwProblems()
}

// ------------------------------------------------------------------ the properties

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const path = process.env.FC_PATH
const NUM_RUNS = Number(process.env.FC_RUNS ?? 250)

describe("every interleaving keeps the ownership rule, order and counts", () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] })
    vi.stubGlobal("reportError", reportError)
  })
  afterAll(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  for (const overflow of ["suspend", "drop-newest", "drop-oldest", "reject"] as const) {
    it(`under "${overflow}" every accepted value is delivered or dropped exactly once and every other comes back`, async () => {
      await fc.assert(
        fc.asyncProperty(configs(overflow), program, (cfg, steps) => runProgram(cfg, steps)),
        { numRuns: NUM_RUNS, seed, path, endOnFailure: path !== undefined },
      )
    })
  }
})

// ------------------------------------------------------------------ SPEC §2, stated directly

/**
 * The same rule from another angle: fast-check's own scheduler decides the
 * order in which receivers park, senders send and signals abort (every start
 * is a scheduled task), then the channel is closed and drained.
 */
describe("nothing is lost to cancellation", () => {
  const capacities = fc.constantFrom(0, 1, 3, Infinity)

  it("an aborted receive took no value: every sent value reaches a receiver that was not aborted, or stays in the channel", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        capacities,
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        async (s, capacity, values, abortable) => {
          const [tx, rx] = channel<number>({ capacity })
          const got: number[] = []
          const aborted: boolean[] = abortable.map(() => false)
          const receives = abortable.map(async (canAbort, i) => {
            const ac = new AbortController()
            await s.schedule(Promise.resolve(), `receive ${i}`)
            const r = rx.receive({ signal: ac.signal })
            if (canAbort) void s.schedule(Promise.resolve(), `abort ${i}`).then(() => ac.abort(`abort ${i}`))
            try {
              const res = await r
              if (!res.done) got.push(res.value)
            } catch (e) {
              if (e !== `abort ${i}`) throw e
              aborted[i] = true
            }
          })
          const sent = Array.from({ length: values }, (_, v) =>
            s.schedule(Promise.resolve(), `send ${v}`).then(() => ({ done: tx.send(v) })),
          )
          const sends = sent.map((p) => p.then((r) => r.done))
          await s.waitFor(Promise.all([...sent, ...receives.filter((_, i) => abortable[i])]))
          // Receivers that cannot abort may still wait: the close lets the rest flow, then ends them.
          tx.close()
          const drained = rx.tryReceiveMany()
          await s.waitFor(Promise.all([...receives, ...sends]))
          drained.push(...rx.tryReceiveMany())
          const all = [...got, ...drained].sort((a, b) => a - b)
          if (JSON.stringify(all) !== JSON.stringify(Array.from({ length: values }, (_, v) => v))) {
            throw new Error(`received ${JSON.stringify(got)}, left ${JSON.stringify(drained)}, aborted ${JSON.stringify(aborted)}`)
          }
          if (rx.pendingReceives !== 0 || tx.pendingSends !== 0 || rx.state !== "closed") {
            throw new Error(`ends ${rx.state} with ${tx.pendingSends} / ${rx.pendingReceives} waiting`)
          }
        },
      ),
      { numRuns: NUM_RUNS, seed, path, endOnFailure: path !== undefined },
    )
  })

  it("an aborted send left nothing behind: a value is received exactly when its send resolved", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        capacities,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 8 }),
        async (s, capacity, abortable, receivers) => {
          const [tx, rx] = channel<number>({ capacity })
          const accepted: number[] = []
          const got: number[] = []
          const sent = abortable.map((canAbort, v) =>
            s.schedule(Promise.resolve(), `send ${v}`).then(() => {
              const ac = new AbortController()
              const p = tx.send(v, { signal: ac.signal })
              if (canAbort) void s.schedule(Promise.resolve(), `abort ${v}`).then(() => ac.abort(`abort ${v}`))
              return {
                done: p.then(
                  () => void accepted.push(v),
                  (e: unknown) => {
                    if (e !== `abort ${v}` && !(e instanceof ChannelClosedError && e.value === v)) throw e
                  },
                ),
              }
            }),
          )
          const sends = sent.map((p) => p.then((r) => r.done))
          const takes = Array.from({ length: receivers }, async (_, i) => {
            await s.schedule(Promise.resolve(), `tryReceive ${i}`)
            const r = rx.tryReceive()
            if (r.ok) got.push(r.value)
          })
          await s.waitFor(Promise.all([...takes, ...sent, ...sends.filter((_, v) => abortable[v])]))
          // Sends that cannot abort may still wait: a cancel refuses them (not accepted).
          got.push(...rx.tryReceiveMany())
          rx.cancel()
          await s.waitFor(Promise.all(sends))
          const a = [...accepted].sort((x, y) => x - y)
          const b = [...got].sort((x, y) => x - y)
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            throw new Error(`accepted ${JSON.stringify(a)} but received ${JSON.stringify(b)}`)
          }
          if (tx.pendingSends !== 0 || rx.stats.dropped.cancel !== 0) {
            throw new Error(`${tx.pendingSends} sends still wait, ${rx.stats.dropped.cancel} dropped`)
          }
        },
      ),
      { numRuns: NUM_RUNS, seed, path, endOnFailure: path !== undefined },
    )
  })
})
