/**
 * The machinery of `select`: a `Selection` is one waiting select; each of its
 * enabled cases parks one `CaseWaiter` in a source's wait queue (Go's sudog:
 * one waiter per queue, because one select waits on many queues at once).
 *
 * The first case a source completes wins: the source unlinks that waiter and
 * calls `win` / `fail`, and the selection at once withdraws every other case
 * (`leave`), inside the same synchronous call. So a select never completes
 * twice, a losing case never takes or leaves anything, and no tombstones stay
 * in any queue.
 *
 * Sources other than channels (oneshot, broadcast, watch receivers) take part
 * through `Port`: `ready` / `complete` for the polling pass, `park` for the
 * waiting pass.
 */

import type { Link, WaitList } from "./wait-list.js"
import type { Timer } from "./wait.js"

/** The key under which a sibling receiver hands select its port. */
export const SELECT: unique symbol = Symbol("panama.select")

/** What a source offers select. `complete` may throw: that rejects the select. */
export interface Port<R> {
  /** Whether `complete` would finish now without waiting. */
  ready(): boolean
  /** Finishes the case now. Precondition: `ready()`. */
  complete(): R
  /** Parks a waiter for this case; the source later calls `w.win` / `w.fail`. */
  park(selection: Selection, index: number): CaseWaiter
}

export interface SelectSource<R> {
  [SELECT](): Port<R>
}

/** One parked case of a selection. Subclasses know how to leave their source's queue. */
export abstract class CaseWaiter implements Link {
  prev: Link | null = null
  next: Link | null = null
  list: WaitList<Link> | null = null

  constructor(
    readonly selection: Selection,
    readonly index: number,
  ) {}

  /** Withdraws this case without effect. A no-op when it already left its queue. */
  abstract leave(): void

  /**
   * Lets the source react to the withdrawal (a sender leaving may make room for
   * the next). Called after every case of the selection left its queue.
   */
  left(): void {}
}

/** One waiting select. Settles exactly once: the first `win` or `fail`, or abort / timeout. */
export class Selection implements EventListenerObject {
  readonly waiters: CaseWaiter[] = []
  settled = false
  resolve!: (result: { index: number; value: unknown }) => void
  reject!: (error: unknown) => void
  signal: AbortSignal | undefined = undefined
  timer: Timer | undefined = undefined

  win(index: number, value: unknown): void {
    if (!this.#settle()) return
    this.resolve({ index, value })
  }

  fail(error: unknown): void {
    if (!this.#settle()) return
    this.reject(error)
  }

  handleEvent(): void {
    this.fail(this.signal!.reason)
  }

  // Withdraws every case still parked, detaches signal and timer.
  #settle(): boolean {
    if (this.settled) return false
    this.settled = true
    // Case: two passes, so no source reacts to a withdrawal while a sibling case
    // is still parked: room a withdrawn send case frees could admit that sibling.
    for (const w of this.waiters) w.leave()
    for (const w of this.waiters) w.left()
    if (this.signal !== undefined) this.signal.removeEventListener("abort", this)
    if (this.timer !== undefined) clearTimeout(this.timer)
    return true
  }
}
