/**
 * Property and fairness tests of `select` (SPEC §5, issue 3). The property
 * tests run random programs over three channels of random capacity (0, 1,
 * 2–3, Infinity) and overflow policy, where selects with random case sets (recv / send, the same channel more
 * than once, disabled cases, biased or not, with abort signals) run
 * concurrently with plain producers and consumers, aborts, closes and
 * cancels. The driver runs each command synchronously and (usually) flushes
 * the microtask queue after it, so interleavings come from fast-check and
 * replay exactly from a seed.
 *
 * What every run checks:
 * - Exactly one case: a select settles once; when it resolves with index i,
 *   case i is enabled and of the right kind; at most one of its send values is
 *   ever accepted — the one of the winning case, and none when it rejected;
 *   a recv result is a value some send accepted.
 * - Ownership: every value whose send resolved (plain send, trySend ok, a
 *   select's winning send case) is delivered exactly once or passed to onDrop
 *   exactly once, never both; every value not accepted is delivered nowhere
 *   and dropped nowhere.
 * - Nothing left behind: after every flush, each channel's `pendingSends` /
 *   `pendingReceives` equal the plain operations still waiting plus the cases
 *   of the selects still waiting; after teardown (abort everything, cancel
 *   every channel) every operation settled and every count is zero.
 *
 * The fairness tests (at the end) check the uniform choice among ready cases
 * with a chi-square bound at p ≈ 1e-6, and `biased` choosing the first.
 *
 * Reproduce a failure: rerun with the printed seed and path,
 * FC_SEED=<seed> FC_PATH=<path> npx vitest run property/select.property.test.ts
 */

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  channel,
  ChannelClosedError,
  ChannelFullError,
  recv,
  select,
  send,
  trySelect,
  type Overflow,
  type Receiver,
  type Sender,
} from "@panama/channel"

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const CHANNELS = 3

// ------------------------------------------------------------------ programs

interface ChanConfig {
  readonly capacity: number
  readonly overflow: Overflow
}

type CaseSpec = { readonly kind: "recv" | "send"; readonly ch: number } | null
type Sig = "none" | "own" | "aborted"

type Cmd =
  | { readonly k: "select"; readonly cases: readonly CaseSpec[]; readonly biased: boolean; readonly sig: Sig }
  | { readonly k: "trySelect"; readonly cases: readonly CaseSpec[]; readonly biased: boolean }
  | { readonly k: "send"; readonly ch: number; readonly sig: Sig }
  | { readonly k: "trySend"; readonly ch: number }
  | { readonly k: "receive"; readonly ch: number; readonly sig: Sig }
  | { readonly k: "tryReceive"; readonly ch: number }
  | { readonly k: "abort"; readonly pick: number }
  | { readonly k: "close"; readonly ch: number; readonly reason: boolean }
  | { readonly k: "cancel"; readonly ch: number; readonly reason: boolean }
type Step = { readonly cmd: Cmd; readonly flush: boolean }

const chanConfig: fc.Arbitrary<ChanConfig> = fc
  .record({
    capacity: fc.constantFrom(0, 1, 2, 3, Infinity),
    overflow: fc.constantFrom<Overflow>("suspend", "suspend", "drop-newest", "drop-oldest", "reject"),
  })
  .map((c) =>
    // Drop policies need room to drop from (SPEC §1: RangeError at capacity 0).
    c.capacity === 0 && (c.overflow === "drop-newest" || c.overflow === "drop-oldest")
      ? { capacity: 0, overflow: "suspend" as const }
      : c,
  )

const ch = fc.nat({ max: CHANNELS - 1 })
const sig = fc.constantFrom<Sig>("none", "own", "own", "aborted")
const caseSpec: fc.Arbitrary<CaseSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom<"recv" | "send">("recv", "send"), ch }) },
  { weight: 1, arbitrary: fc.constant(null) },
)
const cases = fc.array(caseSpec, { minLength: 1, maxLength: 5 })

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 14, arbitrary: fc.record({ k: fc.constant("select" as const), cases, biased: fc.boolean(), sig }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant("trySelect" as const), cases, biased: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("send" as const), ch, sig }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("trySend" as const), ch }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("receive" as const), ch, sig }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("tryReceive" as const), ch }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant("abort" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("close" as const), ch, reason: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("cancel" as const), ch, reason: fc.boolean() }) },
)
const step: fc.Arbitrary<Step> = fc.record({ cmd, flush: fc.boolean() })

// ------------------------------------------------------------------ the driver

interface Chan {
  readonly tx: Sender<number>
  readonly rx: Receiver<number>
  readonly rxKeep: Receiver<number> // held for teardown, so a plain rx.cancel() only releases rx
}

type Status = "pending" | "fulfilled" | "rejected"

/** A plain send / receive or a select still being tracked. */
interface Op {
  status: Status
  readonly kind: "send" | "receive" | "select"
  readonly ch: number // for plain operations
  readonly cases: readonly CaseSpec[] // for selects
  readonly values: readonly (number | undefined)[] // for selects: the value of each send case
  readonly ac: AbortController | undefined
}

class World {
  readonly chans: Chan[]
  readonly ops: Op[] = []
  readonly accepted = new Set<number>()
  readonly refused = new Set<number>() // values handed back or never accepted
  readonly delivered = new Map<number, number>()
  readonly dropped = new Map<number, number>()
  readonly failures: string[] = []
  next = 1

  constructor(configs: readonly ChanConfig[]) {
    this.chans = configs.map((c) => {
      const [tx, rx] = channel<number>({
        capacity: c.capacity,
        overflow: c.overflow,
        onDrop: (v) => this.dropped.set(v, (this.dropped.get(v) ?? 0) + 1),
      })
      return { tx, rx, rxKeep: rx.clone() }
    })
  }

  fail(message: string): void {
    this.failures.push(message)
  }

  deliver(v: unknown): void {
    if (typeof v !== "number") return this.fail(`delivered a non-value ${String(v)}`)
    this.delivered.set(v, (this.delivered.get(v) ?? 0) + 1)
  }

  /** Accounts for a rejection that hands a value back. */
  handedBack(error: unknown, values: readonly (number | undefined)[]): void {
    if (error instanceof ChannelClosedError || error instanceof ChannelFullError) {
      const v = (error as ChannelClosedError<number>).value
      if (!values.includes(v)) this.fail(`rejection carried ${String(v)}, not one of ${values.join(",")}`)
    }
  }

  signal(s: Sig): AbortController | undefined {
    if (s === "none") return undefined
    const ac = new AbortController()
    if (s === "aborted") ac.abort(new Error("pre-aborted"))
    return ac
  }

  track(op: Op, p: Promise<unknown>, onValue: (v: unknown) => void, onError: (e: unknown) => void): void {
    this.ops.push(op)
    p.then(
      (v) => {
        if (op.status !== "pending") this.fail("settled twice")
        op.status = "fulfilled"
        onValue(v)
      },
      (e: unknown) => {
        if (op.status !== "pending") this.fail("settled twice")
        op.status = "rejected"
        onError(e)
      },
    )
  }

  portsOf(specs: readonly CaseSpec[]): { built: (ReturnType<typeof recv<number>> | ReturnType<typeof send<number>> | null)[]; values: (number | undefined)[] } {
    const values: (number | undefined)[] = []
    const built = specs.map((c) => {
      if (c === null) {
        values.push(undefined)
        return null
      }
      const chan = this.chans[c.ch]!
      if (c.kind === "recv") {
        values.push(undefined)
        return recv(chan.rx)
      }
      const v = this.next++
      values.push(v)
      return send(chan.tx, v)
    })
    return { built, values }
  }

  /** Checks a select's outcome: one enabled case of the right kind, one send value accepted at most. */
  selectResult(specs: readonly CaseSpec[], values: readonly (number | undefined)[], r: { index: number; value: unknown }): void {
    const spec = specs[r.index]
    if (spec == null) return this.fail(`select resolved with disabled or unknown case ${r.index}`)
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v === undefined) continue
      if (i === r.index) this.accepted.add(v)
      else this.refused.add(v)
    }
    if (spec.kind === "send") {
      if (r.value !== undefined) this.fail("send case resolved with a value")
    } else {
      const res = r.value as { done: boolean; value: unknown }
      if (!res.done) this.deliver(res.value)
    }
  }

  run(c: Cmd): void {
    switch (c.k) {
      case "select": {
        const { built, values } = this.portsOf(c.cases)
        // With no enabled case and no signal select rejects with TypeError: give it one.
        const enabled = c.cases.some((x) => x !== null)
        const ac = this.signal(c.sig) ?? (enabled ? undefined : this.signal("own"))
        const op: Op = { status: "pending", kind: "select", ch: -1, cases: c.cases, values, ac }
        this.track(
          op,
          select(built, { biased: c.biased, signal: ac?.signal }),
          (r) => this.selectResult(c.cases, values, r as { index: number; value: unknown }),
          (e) => {
            for (const v of values) if (v !== undefined) this.refused.add(v)
            this.handedBack(e, values)
          },
        )
        return
      }
      case "trySelect": {
        const { built, values } = this.portsOf(c.cases)
        let r: { index: number; value: unknown } | undefined
        try {
          r = trySelect(built, { biased: c.biased })
        } catch (e) {
          for (const v of values) if (v !== undefined) this.refused.add(v)
          this.handedBack(e, values)
          return
        }
        if (r !== undefined) this.selectResult(c.cases, values, r)
        else {
          for (const v of values) if (v !== undefined) this.refused.add(v)
        }
        return
      }
      case "send": {
        const v = this.next++
        const ac = this.signal(c.sig)
        const op: Op = { status: "pending", kind: "send", ch: c.ch, cases: [], values: [v], ac }
        this.track(
          op,
          this.chans[c.ch]!.tx.send(v, { signal: ac?.signal }),
          () => this.accepted.add(v),
          (e) => {
            this.refused.add(v)
            this.handedBack(e, [v])
          },
        )
        return
      }
      case "trySend": {
        const v = this.next++
        const r = this.chans[c.ch]!.tx.trySend(v)
        if (r.ok) this.accepted.add(v)
        else {
          this.refused.add(v)
          if (r.value !== v) this.fail("trySend handed back another value")
        }
        return
      }
      case "receive": {
        const ac = this.signal(c.sig)
        const op: Op = { status: "pending", kind: "receive", ch: c.ch, cases: [], values: [], ac }
        this.track(
          op,
          this.chans[c.ch]!.rx.receive({ signal: ac?.signal }),
          (r) => {
            const res = r as { done: boolean; value: unknown }
            if (!res.done) this.deliver(res.value)
          },
          () => {},
        )
        return
      }
      case "tryReceive": {
        const r = this.chans[c.ch]!.rx.tryReceive()
        if (r.ok) this.deliver(r.value)
        return
      }
      case "abort": {
        const live = this.ops.filter((o) => o.status === "pending" && o.ac !== undefined)
        if (live.length > 0) live[c.pick % live.length]!.ac!.abort(new Error("abort"))
        return
      }
      case "close":
        this.chans[c.ch]!.tx.close(c.reason ? "closed" : undefined)
        return
      case "cancel":
        this.chans[c.ch]!.rx.cancel(c.reason ? "cancelled" : undefined)
        return
    }
  }

  /** After a flush: waiting counts equal the plain operations and select cases still pending. */
  checkPending(where: string): void {
    for (let i = 0; i < this.chans.length; i++) {
      let sends = 0
      let receives = 0
      for (const o of this.ops) {
        if (o.status !== "pending") continue
        if (o.kind === "send" && o.ch === i) sends++
        else if (o.kind === "receive" && o.ch === i) receives++
        else if (o.kind === "select") {
          for (const c of o.cases) {
            if (c === null || c.ch !== i) continue
            if (c.kind === "send") sends++
            else receives++
          }
        }
      }
      const rx = this.chans[i]!.rxKeep
      if (rx.pendingSends !== sends || rx.pendingReceives !== receives) {
        this.fail(
          `${where}: channel ${i} has ${rx.pendingSends} waiting sends / ${rx.pendingReceives} receives, expected ${sends} / ${receives}`,
        )
      }
    }
  }

  async teardown(): Promise<void> {
    for (const o of this.ops) if (o.status === "pending") o.ac?.abort(new Error("teardown"))
    for (const c of this.chans) {
      c.rx.cancel()
      c.rxKeep.cancel()
    }
    await flush()
    for (const o of this.ops) if (o.status === "pending") this.fail(`a ${o.kind} never settled`)
    this.checkPending("after teardown")
    for (let v = 1; v < this.next; v++) {
      const d = this.delivered.get(v) ?? 0
      const x = this.dropped.get(v) ?? 0
      if (this.accepted.has(v) && this.refused.has(v)) this.fail(`value ${v} both accepted and refused`)
      if (this.accepted.has(v)) {
        if (d + x !== 1) this.fail(`accepted value ${v} delivered ${d}x and dropped ${x}x`)
      } else if (d + x !== 0) this.fail(`value ${v} not accepted but delivered ${d}x and dropped ${x}x`)
    }
    for (const v of this.delivered.keys()) if (v < 1 || v >= this.next) this.fail(`unknown value ${v}`)
  }
}

async function runProgram(configs: readonly ChanConfig[], steps: readonly Step[]): Promise<void> {
  const world = new World(configs)
  for (let i = 0; i < steps.length; i++) {
    world.run(steps[i]!.cmd)
    if (steps[i]!.flush) {
      await flush()
      world.checkPending(`after step ${i}`)
    }
  }
  await flush()
  world.checkPending("at the end")
  await world.teardown()
  if (world.failures.length > 0) throw new Error(world.failures.join("\n"))
}

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const path = process.env.FC_PATH

describe("select: exactly one case, ownership, nothing left behind", () => {
  it("holds over random case sets with concurrent producers, consumers, aborts and closes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(chanConfig, { minLength: CHANNELS, maxLength: CHANNELS }),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        runProgram,
      ),
      { numRuns: 600, seed, path, endOnFailure: true },
    )
  }, 30_000)

  it("holds when every channel is a rendezvous channel (selects pair with each other, never with themselves)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(Array.from({ length: CHANNELS }, () => ({ capacity: 0, overflow: "suspend" as const }))),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        runProgram,
      ),
      { numRuns: 300, seed, path, endOnFailure: true },
    )
  }, 30_000)
})

// ------------------------------------------------------------------ fairness

/**
 * Pearson's chi-square statistic of `counts` against a uniform distribution.
 * Bounds used below are the upper 1e-6 quantiles (3 degrees of freedom:
 * 30.7; 1 degree: 24.0), so a correct uniform choice fails about once in a
 * million runs, while a choice biased by even 5% toward one of four cases
 * over 20,000 trials gives a statistic around 40 or more.
 */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0)
  const expected = total / counts.length
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0)
}

describe("select: fairness", () => {
  const TRIALS = 20_000

  it("chooses uniformly among four ready cases of mixed kinds, with disabled and unready cases in between", async () => {
    const [atx, a] = unboundedPair()
    const [btx] = unboundedPair()
    const [, idle] = unboundedPair()
    const [ctx, c] = unboundedPair()
    const [dtx, d] = unboundedPair()
    const counts = [0, 0, 0, 0]
    const slot = new Map([
      [0, 0],
      [2, 1],
      [4, 2],
      [5, 3],
    ])
    for (let i = 0; i < TRIALS; i++) {
      atx.trySend(i)
      ctx.trySend(i)
      const r = await select([recv(a), null, send(btx, i), recv(idle), recv(c), send(dtx, i)])
      const k = slot.get(r.index)
      if (k === undefined) throw new Error(`chose case ${r.index}, which was not ready`)
      counts[k]!++
      a.tryReceiveMany()
      c.tryReceiveMany()
      d.tryReceiveMany()
    }
    expect(counts.reduce((x, y) => x + y, 0)).toBe(TRIALS)
    expect(chiSquare(counts)).toBeLessThan(30.7)
  })

  it("trySelect chooses uniformly between two ready cases among unready ones", () => {
    const [atx, a] = unboundedPair()
    const [btx, b] = unboundedPair()
    const [, idle] = unboundedPair()
    const counts = [0, 0]
    for (let i = 0; i < TRIALS; i++) {
      atx.trySend(i)
      btx.trySend(i)
      const r = trySelect([recv(idle), recv(a), recv(idle), recv(b)])
      if (r?.index === 1) counts[0]!++
      else if (r?.index === 3) counts[1]!++
      else throw new Error(`chose ${String(r?.index)}`)
      a.tryReceiveMany()
      b.tryReceiveMany()
    }
    expect(chiSquare(counts)).toBeLessThan(24)
  })

  it("with biased, always chooses the first ready case", async () => {
    const [atx, a] = unboundedPair()
    const [btx, b] = unboundedPair()
    const [, idle] = unboundedPair()
    for (let i = 0; i < 1_000; i++) {
      atx.trySend(i)
      btx.trySend(i)
      expect((await select([recv(idle), recv(a), recv(b)], { biased: true })).index).toBe(1)
    }
    expect(a.size).toBe(0)
    expect(b.size).toBe(1_000)
  })
})

function unboundedPair(): [Sender<number>, Receiver<number>] {
  return channel<number>({ capacity: Infinity })
}
