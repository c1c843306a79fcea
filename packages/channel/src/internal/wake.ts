/**
 * Waiters of the sibling types (oneshot, broadcast, watch): one list type
 * holds both a plain waiting call (`PlainWake`, with signal and timeout) and a
 * select case (`SelectWake`). The source unlinks a waiter, then calls `wake`
 * with the result or `fail` with the error; `owner` lets a source know which
 * receiver handle the waiter waits for.
 */

import { CaseWaiter, type Port, type Selection } from "./select-core.js"
import { Pending, type WaitOptions } from "./wait.js"
import { WaitList, type Link } from "./wait-list.js"

export interface Wake<R> extends Link {
  readonly owner: unknown
  wake(result: R): void
  fail(error: unknown): void
}

export class PlainWake<R> extends Pending<R> implements Wake<R> {
  constructor(readonly owner: unknown) {
    super()
  }
  wake(result: R): void {
    this.disarm()
    this.resolve(result)
  }
  fail(error: unknown): void {
    this.disarm()
    this.reject(error)
  }
}

export class SelectWake<R> extends CaseWaiter implements Wake<R> {
  constructor(
    selection: Selection,
    index: number,
    readonly owner: unknown,
    readonly queue: WaitList<Wake<R>>,
  ) {
    super(selection, index)
  }
  wake(result: R): void {
    this.selection.win(this.index, result)
  }
  fail(error: unknown): void {
    this.selection.fail(error)
  }
  leave(): void {
    this.queue.remove(this)
  }
}

/** Parks a plain waiter on `queue` and returns its promise. */
export function park<R>(queue: WaitList<Wake<R>>, owner: unknown, options: WaitOptions | undefined): Promise<R> {
  const w = new PlainWake<R>(owner)
  queue.push(w)
  return w.wait(options)
}

/**
 * A port for a sibling receiver: `poll` completes now or returns NOT_READY
 * (it may throw to reject), and waiters park on `queue`.
 */
export const NOT_READY: unique symbol = Symbol("not ready")

export function portOf<R>(
  queue: WaitList<Wake<R>>,
  owner: unknown,
  isReady: () => boolean,
  poll: () => R | typeof NOT_READY,
): Port<R> {
  return {
    ready: isReady,
    complete: () => poll() as R,
    park(selection, index) {
      const w = new SelectWake<R>(selection, index, owner, queue)
      queue.push(w)
      return w
    },
  }
}
