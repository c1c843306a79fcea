/**
 * Waiting with `{ signal, timeout }`: option checks, and `Pending`, the base of
 * every plain (non-select) waiter. A pending operation listens to its signal
 * (as an `EventListenerObject`, so no closure per wait) and holds at most one
 * timer; both are detached on every path out (`disarm`). No `AbortSignal.any`
 * (it retains memory per call on Node 20) and no `Promise.race`.
 *
 * Contract: `abort(error)` is a no-op once the waiter left its list, so an
 * operation that completed (value handed over, send admitted) can never also
 * be rejected, and one that was rejected never also completes.
 */

import type { Link, WaitList } from "./wait-list.js"

/** Options of every operation that can wait. */
export interface WaitOptions {
  /** Aborting it rejects the operation with `signal.reason`; nothing is taken or left behind. */
  readonly signal?: AbortSignal | undefined
  /** Milliseconds to wait at most; then the operation rejects with a `TimeoutError` `DOMException`. */
  readonly timeout?: number | undefined
}

/** What setTimeout returns: a number in browsers, an object in Node. */
export type Timer = ReturnType<typeof setTimeout>

/** setTimeout's largest delay; longer timeouts are re-armed in steps. */
const MAX_DELAY = 0x7fffffff

/** Throws `TypeError` / `RangeError` for options no caller could mean. */
export function checkWaitOptions(options: WaitOptions | undefined): void {
  if (options === undefined) return
  if (options === null || typeof options !== "object") {
    throw new TypeError("options must be an object")
  }
  const { signal, timeout } = options
  if (signal !== undefined && !isSignal(signal)) {
    throw new TypeError("options.signal must be an AbortSignal")
  }
  if (timeout !== undefined) {
    if (typeof timeout !== "number") throw new TypeError("options.timeout must be a number")
    if (!(timeout >= 0)) throw new RangeError("options.timeout must be >= 0")
  }
}

function isSignal(s: unknown): s is AbortSignal {
  return (
    typeof s === "object" &&
    s !== null &&
    typeof (s as AbortSignal).aborted === "boolean" &&
    typeof (s as AbortSignal).addEventListener === "function"
  )
}

export function timeoutError(): DOMException {
  return new DOMException("The operation timed out.", "TimeoutError")
}

/** A waiter that can be aborted by a signal or a timeout. Subclasses say what completion means. */
export abstract class Pending<R> implements Link, EventListenerObject {
  prev: Link | null = null
  next: Link | null = null
  list: WaitList<Link> | null = null
  resolve!: (result: R) => void
  reject!: (error: unknown) => void
  signal: AbortSignal | undefined = undefined
  timer: Timer | undefined = undefined
  deadline = 0 // only for timeouts longer than setTimeout allows

  /**
   * Makes the promise and arms signal and timer.
   * Precondition: the waiter was just pushed to its list; the signal is not aborted.
   */
  wait(options: WaitOptions | undefined): Promise<R> {
    const promise = new Promise<R>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    if (options !== undefined) this.arm(options.signal, options.timeout)
    return promise
  }

  arm(signal: AbortSignal | undefined, timeout: number | undefined): void {
    if (signal !== undefined) {
      this.signal = signal
      signal.addEventListener("abort", this)
    }
    if (timeout !== undefined && timeout !== Infinity) {
      if (timeout > MAX_DELAY) this.deadline = Date.now() + timeout
      this.timer = setTimeout(fireTimeout, Math.min(timeout, MAX_DELAY), this) as unknown as Timer
    }
  }

  disarm(): void {
    if (this.signal !== undefined) {
      this.signal.removeEventListener("abort", this)
      this.signal = undefined
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }

  handleEvent(): void {
    this.abort(this.signal!.reason)
  }

  /** Leaves the list and rejects; a no-op once the waiter left its list. */
  abort(error: unknown): void {
    const list = this.list
    if (list === null) return
    list.remove(this)
    this.disarm()
    this.left()
    this.reject(error)
  }

  /** Called after an abort removed this waiter from its list. */
  protected left(): void {}
}

function fireTimeout(w: Pending<unknown>): void {
  w.timer = undefined
  if (w.deadline !== 0) {
    const rest = w.deadline - Date.now()
    if (rest > 0) {
      w.timer = setTimeout(fireTimeout, Math.min(rest, MAX_DELAY), w) as unknown as Timer
      return
    }
  }
  w.abort(timeoutError())
}
