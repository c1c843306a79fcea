/**
 * `select`: wait on several channel operations and complete exactly one.
 * Case builders `recv` / `send`, and the non-waiting `trySelect` (Go's
 * `default`). The machinery is in internal/select-core.ts.
 */

import type { Receiver, ReceiveResult, Sender } from "./channel.js"
import type { BroadcastReceiver, BroadcastResult } from "./broadcast.js"
import type { OneshotReceiver } from "./oneshot.js"
import type { WatchReceiver } from "./watch.js"
import { ChannelClosedError } from "./errors.js"
import { EMPTY, OPEN, SHUT, type Chan, type Receiving, type Sending } from "./internal/core.js"
import { CORE, ReceiverHandle, SenderHandle } from "./internal/handles.js"
import { CaseWaiter, SELECT, Selection, type Port, type SelectSource } from "./internal/select-core.js"
import { checkWaitOptions, timeoutError, type Timer, type WaitOptions } from "./internal/wait.js"

const DONE: ReceiveResult<never> = Object.freeze({ done: true, value: undefined })

/** A receive case, made by `recv(source)`. `R` is what the case completes with. */
export class RecvCase<R> {
  /** @internal A channel receiver, or a sibling receiver that offers a port. */
  readonly source: ReceiverHandle<unknown> | SelectSource<R>
  /** @internal */
  constructor(source: ReceiverHandle<unknown> | SelectSource<R>) {
    this.source = source
  }
  get kind(): "recv" {
    return "recv"
  }
}

/** A send case, made by `send(tx, value)`. */
export class SendCase<T> {
  /** @internal The sender handle (typed loosely so `SendCase<T>` stays covariant in `T`). */
  readonly tx: object
  /** @internal */
  readonly value: T
  /** @internal */
  constructor(tx: object, value: T) {
    this.tx = tx
    this.value = value
  }
  get kind(): "send" {
    return "send"
  }
}

/** Any case; `null` / `undefined` entries are disabled cases. */
export type SelectCase = RecvCase<unknown> | SendCase<unknown>

type CaseResult<C, I> =
  C extends RecvCase<infer R>
    ? { readonly index: I; readonly value: R }
    : C extends SendCase<unknown>
      ? { readonly index: I; readonly value: undefined }
      : never

/**
 * The result of `select(cases)`: a union keyed by `index`, so `switch
 * (r.index)` narrows `r.value` to that case's result (`ReceiveResult<T>` for a
 * `recv` case, `undefined` for a `send` case).
 */
export type SelectResult<C extends readonly (SelectCase | null | undefined)[]> = number extends C["length"]
  ? { readonly index: number; readonly value: unknown }
  : { [K in keyof C]: K extends `${infer I extends number}` ? CaseResult<C[K], I> : never }[number]

/** Options of `select`. */
export interface SelectOptions extends WaitOptions {
  /**
   * Choose the first ready case in order instead of one at random.
   * @defaultValue false
   */
  readonly biased?: boolean
}

/**
 * A case that receives from `source`: a channel `Receiver` (completes with
 * `{ done, value }`), or a broadcast, watch or oneshot receiver.
 *
 * @example
 * ```ts
 * import { bounded, recv, select } from "@panama/channel"
 *
 * const [, jobs] = bounded<string>(8)
 * const [, quit] = bounded<void>(1)
 * const r = await select([recv(jobs), recv(quit)], { timeout: 10 }).catch(() => undefined)
 * if (r?.index === 0 && !r.value.done) console.log("job", r.value.value)
 * ```
 */
export function recv<T>(source: Receiver<T>): RecvCase<ReceiveResult<T>>
export function recv<T>(source: BroadcastReceiver<T>): RecvCase<BroadcastResult<T>>
export function recv<T>(source: WatchReceiver<T>): RecvCase<ReceiveResult<T>>
export function recv<T>(source: OneshotReceiver<T>): RecvCase<ReceiveResult<T>>
export function recv(source: unknown): RecvCase<unknown> {
  // Case: a channel receiver (a sender handle also has CORE, so check the class).
  if (source instanceof ReceiverHandle) return new RecvCase(source as ReceiverHandle<unknown>)
  if (source !== null && typeof source === "object" && SELECT in source) {
    return new RecvCase(source as SelectSource<unknown>)
  }
  throw new TypeError("recv() needs a receiver")
}

/**
 * A case that sends `value` on `tx`. It is ready when the value would be
 * accepted without waiting; on a closed channel choosing it rejects the
 * select with `ChannelClosedError` carrying the value.
 *
 * @example
 * ```ts
 * import { bounded, send, select } from "@panama/channel"
 *
 * const [fast] = bounded<number>(1)
 * const [slow] = bounded<number>(1)
 * const r = await select([send(fast, 1), send(slow, 1)])
 * console.log("sent on", r.index)
 * ```
 */
export function send<T>(tx: Sender<T>, value: T): SendCase<T> {
  if (!(tx instanceof SenderHandle)) throw new TypeError("send() needs a sender")
  return new SendCase(tx, value)
}

/**
 * Waits until one of the cases can complete, completes exactly that one, and
 * resolves with its `index` and result. If several are ready, one is chosen
 * uniformly at random (or the first, with `biased: true`).
 *
 * Close semantics: a `recv` case on a done channel completes with
 * `{ done: true }`, or rejects the select with the close reason; a `send` case
 * on a closed channel rejects the select with `ChannelClosedError`.
 *
 * Cancellation: on abort or timeout no case has taken effect. With no enabled
 * case, select waits for its signal or timeout (a `TypeError` if it has neither).
 *
 * @example
 * ```ts
 * import { bounded, recv, select, send } from "@panama/channel"
 *
 * const [jobsTx, jobs] = bounded<number>(4)
 * const [results] = bounded<string>(4)
 * jobsTx.trySend(7)
 * const r = await select([recv(jobs), send(results, "idle")], { biased: true })
 * switch (r.index) {
 *   case 0: if (!r.value.done) console.log("job", r.value.value); break
 *   case 1: console.log("reported idle"); break
 * }
 * ```
 */
export function select<const C extends readonly (SelectCase | null | undefined)[]>(
  cases: C,
  options?: SelectOptions,
): Promise<SelectResult<C>> {
  let plan: Plan
  let quick: number
  try {
    if (options !== undefined) {
      checkWaitOptions(options)
      if (options.biased !== undefined && typeof options.biased !== "boolean") {
        throw new TypeError("options.biased must be a boolean")
      }
      if (options.signal !== undefined && options.signal.aborted) return Promise.reject(options.signal.reason)
    }
    // Fast path: plain channel cases, one ready: complete it without building a plan.
    quick = quickPick(cases, options?.biased === true)
    if (quick >= 0) return Promise.resolve({ index: quick, value: completeCase(cases[quick]!) } as SelectResult<C>)
    plan = planOf(cases)
  } catch (error) {
    return Promise.reject(error)
  }
  const signal = options?.signal
  const chosen = quick === NONE_READY ? -1 : pick(plan, options?.biased === true)
  if (chosen >= 0) {
    try {
      return Promise.resolve({ index: chosen, value: complete(plan, chosen) } as SelectResult<C>)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  const timeout = options?.timeout
  if (!plan.enabled && signal === undefined && (timeout === undefined || timeout === Infinity)) {
    return Promise.reject(new TypeError("select() with no enabled case needs a signal or a timeout"))
  }
  // Case: `size()` (user code, run by the polling pass) aborted the signal: nothing was taken.
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason)
  // No case is ready: park one waiter per enabled case; the first to complete wins.
  const selection = new Selection()
  const promise = new Promise<SelectResult<C>>((resolve, reject) => {
    selection.resolve = resolve as (r: { index: number; value: unknown }) => void
    selection.reject = reject
  })
  const n = plan.cases.length
  for (let i = 0; i < n; i++) {
    const w = park(plan, i, selection)
    if (w !== null) selection.waiters.push(w)
  }
  if (signal !== undefined) {
    selection.signal = signal
    signal.addEventListener("abort", selection)
  }
  if (timeout !== undefined && timeout !== Infinity) {
    const deadline = timeout > 0x7fffffff ? Date.now() + timeout : 0
    selection.timer = setTimeout(fireTimeout, Math.min(timeout, 0x7fffffff), selection, deadline) as unknown as Timer
  }
  return promise
}

// Rejects a waiting select at its deadline. Case: a deadline beyond setTimeout's
// largest delay (2^31 - 1 ms) is re-armed in steps, not cut short.
function fireTimeout(s: Selection, deadline: number): void {
  const rest = deadline === 0 ? 0 : deadline - Date.now()
  if (rest > 0) s.timer = setTimeout(fireTimeout, Math.min(rest, 0x7fffffff), s, deadline) as unknown as Timer
  else s.fail(timeoutError())
}

/**
 * Completes a ready case at once and returns its result, or returns
 * `undefined` when no case is ready (Go's `default`). Throws where `select`
 * would reject for the chosen case.
 *
 * @example
 * ```ts
 * import { bounded, recv, trySelect } from "@panama/channel"
 *
 * const [, rx] = bounded<number>(1)
 * const r = trySelect([recv(rx)])
 * if (r === undefined) console.log("nothing ready")
 * ```
 */
export function trySelect<const C extends readonly (SelectCase | null | undefined)[]>(
  cases: C,
  options?: Pick<SelectOptions, "biased">,
): SelectResult<C> | undefined {
  const quick = quickPick(cases, options?.biased === true)
  if (quick >= 0) return { index: quick, value: completeCase(cases[quick]!) } as SelectResult<C>
  if (quick === NONE_READY) return undefined
  const plan = planOf(cases)
  const chosen = pick(plan, options?.biased === true)
  if (chosen < 0) return undefined
  return { index: chosen, value: complete(plan, chosen) } as SelectResult<C>
}

const NONE_READY = -1
const NEEDS_PLAN = -2

/**
 * The polling pass without a plan, for the common case: every enabled case is
 * a channel case and no send case's channel weighs values (so readiness costs
 * no user code and no allocation). Returns the index to complete, NONE_READY,
 * or NEEDS_PLAN (a sibling or weighted case, a bad entry, or more than 31 cases).
 */
function quickPick(cases: readonly (SelectCase | null | undefined)[], biased: boolean): number {
  if (!Array.isArray(cases)) return NEEDS_PLAN
  const n = cases.length
  if (n > 31) return NEEDS_PLAN
  let mask = 0
  let ready = 0
  let first = -1
  for (let i = 0; i < n; i++) {
    const c: unknown = cases[i]
    if (c == null) continue
    let isReady: boolean
    if (c instanceof RecvCase) {
      const source = c.source
      if (!(source instanceof ReceiverHandle)) return NEEDS_PLAN
      isReady = recvReady((source as ReceiverHandle<unknown>)[CORE])
    } else if (c instanceof SendCase) {
      const chan = (c.tx as SenderHandle<unknown>)[CORE]
      if (chan !== null && chan.sizeOf !== undefined) return NEEDS_PLAN
      isReady = sendReady(chan, 1)
    } else return NEEDS_PLAN
    if (!isReady) continue
    // Case: biased still scans every entry, so a bad one after the first ready case rejects (as the plan does).
    if (ready++ === 0) first = i
    mask |= 1 << i
  }
  if (ready === 0) return NONE_READY
  if (biased) return first
  // Uniform among the ready cases: the k-th set bit.
  let k = ready === 1 ? 0 : Math.floor(Math.random() * ready)
  for (let i = 0; ; i++) if ((mask >>> i) & 1 && k-- === 0) return i
}

// Completes a channel case chosen by quickPick. Throws to reject the select.
function completeCase(c: SelectCase): unknown {
  if (c instanceof SendCase) return completeSend((c.tx as SenderHandle<unknown>)[CORE], c.value, 1)
  return completeRecv(((c as RecvCase<unknown>).source as ReceiverHandle<unknown>)[CORE])
}

// Channel cases, the same in both passes. A released handle (null) behaves as
// a closed channel: ready, and choosing it completes done / rejects.

function recvReady(chan: Chan<unknown> | null): boolean {
  return chan === null || chan.canTake()
}

function sendReady(chan: Chan<unknown> | null, weight: number): boolean {
  return chan === null || chan.state !== OPEN || chan.canOffer(weight)
}

function completeRecv(chan: Chan<unknown> | null): unknown {
  if (chan === null) return DONE
  const value = chan.take()
  if (value !== EMPTY) return { done: false, value }
  if (chan.hasReason) throw chan.reason
  return DONE
}

function completeSend(chan: Chan<unknown> | null, value: unknown, weight: number): undefined {
  if (chan === null) throw new ChannelClosedError(value)
  if (chan.offer(value, weight) === SHUT) throw chan.closedError(value)
  return undefined
}

/**
 * What one select call works from, built in one pass over the cases: for a
 * channel case its channel (null for a released handle) and, for a send, the
 * value's weight; for a sibling case its port. Channel cases need no port
 * object unless the select has to wait.
 */
interface Plan {
  readonly cases: readonly (SelectCase | null | undefined)[]
  readonly chans: (Chan<unknown> | null)[] // per case; null for disabled, sibling or released
  readonly weights: number[] | undefined // per send case, when any channel weighs values
  readonly ports: (Port<unknown> | undefined)[] | undefined // per sibling case
  readonly enabled: boolean
}

function planOf(cases: readonly (SelectCase | null | undefined)[]): Plan {
  if (!Array.isArray(cases)) throw new TypeError("cases must be an array")
  const n = cases.length
  const chans = new Array<Chan<unknown> | null>(n)
  let weights: number[] | undefined
  let ports: (Port<unknown> | undefined)[] | undefined
  let enabled = false
  for (let i = 0; i < n; i++) {
    const c: unknown = cases[i]
    chans[i] = null
    if (c == null) continue
    enabled = true
    if (c instanceof SendCase) {
      const chan = (c.tx as SenderHandle<unknown>)[CORE]
      chans[i] = chan
      if (chan !== null && chan.sizeOf !== undefined) (weights ??= new Array<number>(n).fill(1))[i] = chan.weigh(c.value)
    } else if (c instanceof RecvCase) {
      const source = c.source
      if (source instanceof ReceiverHandle) chans[i] = (source as ReceiverHandle<unknown>)[CORE]
      else (ports ??= new Array<Port<unknown> | undefined>(n))[i] = (source as SelectSource<unknown>)[SELECT]()
    } else throw new TypeError(`case ${i} is not a recv() or send() case`)
  }
  return { cases, chans, weights, ports, enabled }
}

// Whether case i would complete now (or reject: a closed channel, a done receiver).
function isReady(plan: Plan, i: number): boolean {
  const c = plan.cases[i]
  if (c == null) return false
  if (c instanceof SendCase) return sendReady(plan.chans[i]!, weightOf(plan, i))
  const port = plan.ports?.[i]
  if (port !== undefined) return port.ready()
  return recvReady(plan.chans[i]!)
}

// Completes case i now. Precondition: isReady. Throws to reject the select.
function complete(plan: Plan, i: number): unknown {
  const c = plan.cases[i]!
  if (c instanceof SendCase) return completeSend(plan.chans[i]!, c.value, weightOf(plan, i))
  const port = plan.ports?.[i]
  if (port !== undefined) return port.complete()
  return completeRecv(plan.chans[i]!)
}

function weightOf(plan: Plan, i: number): number {
  return plan.weights === undefined ? 1 : plan.weights[i]!
}

// Parks a waiter for case i, or returns null for a disabled case.
function park(plan: Plan, i: number, selection: Selection): CaseWaiter | null {
  const c = plan.cases[i]
  if (c == null) return null
  const chan = plan.chans[i]!
  if (c instanceof SendCase) {
    const w = new SelSend<unknown>(selection, i, chan, c.value, weightOf(plan, i))
    chan.parkSender(w)
    return w
  }
  const port = plan.ports?.[i]
  if (port !== undefined) return port.park(selection, i)
  const w = new SelRecv<unknown>(selection, i, chan)
  chan.parkReceiver(w)
  return w
}

// The index of the case to complete now, or -1 when none is ready: the first
// ready one when biased, else one of the ready ones uniformly at random.
function pick(plan: Plan, biased: boolean): number {
  const n = plan.cases.length
  let ready = 0
  let first = -1
  let mask = 0 // ready cases among the first 31
  for (let i = 0; i < n; i++) {
    if (!isReady(plan, i)) continue
    if (biased) return i
    if (ready++ === 0) first = i
    if (i < 31) mask |= 1 << i
  }
  if (ready <= 1) return first
  let k = Math.floor(Math.random() * ready)
  if (n <= 31) {
    for (let i = first; ; i++) if ((mask >>> i) & 1 && k-- === 0) return i
  }
  for (let i = first; ; i++) if (isReady(plan, i) && k-- === 0) return i
}

// ------------------------------------------------------------------ channel cases

class SelRecv<T> extends CaseWaiter implements Receiving<T> {
  constructor(
    selection: Selection,
    index: number,
    readonly chan: Chan<T>,
  ) {
    super(selection, index)
  }
  deliver(value: T): void {
    this.selection.win(this.index, { done: false, value })
  }
  end(chan: Chan<T>): void {
    if (chan.hasReason) this.selection.fail(chan.reason)
    else this.selection.win(this.index, DONE)
  }
  leave(): void {
    this.chan.recvq.remove(this)
  }
}

class SelSend<T> extends CaseWaiter implements Sending<T> {
  constructor(
    selection: Selection,
    index: number,
    readonly chan: Chan<T>,
    readonly value: T,
    readonly weight: number,
  ) {
    super(selection, index)
  }
  withdrawn = false // left `sendq` through `leave`, not admitted or refused

  admit(): void {
    this.selection.win(this.index, undefined)
  }
  refuse(chan: Chan<T>): void {
    this.selection.fail(chan.closedError(this.value))
  }
  leave(): void {
    this.withdrawn = this.chan.sendq.remove(this)
  }
  override left(): void {
    // A withdrawn sender may have been the one blocking lighter senders behind it.
    if (this.withdrawn) this.chan.senderLeft()
  }
}
