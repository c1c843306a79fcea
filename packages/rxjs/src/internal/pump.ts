/**
 * The `pump`: one subscription receiving from a receiving handle and handing
 * each value to `subscriber.next`, one at a time.
 *
 * Invariants: a value is taken from the channel only while the subscriber is
 * open, and only to be handed to it; the pending receive listens to an abort
 * signal that the teardown fires, so an unsubscribe leaves the next value in
 * the channel.
 *
 * A channel `Receiver` waits through the core's callback hook (PARK_RECEIVE):
 * the channel calls back at the hand-off and the value reaches `next` in that
 * same call, so there is no moment at which a value has left the channel but
 * not reached the subscriber; the teardown withdraws the wait synchronously.
 * Other sources (a `BroadcastReceiver`) wait through a promise, which leaves
 * one window: a receive the source fulfilled just before the unsubscribe (its
 * promise resolved, its callback not yet run). That value goes to
 * `undelivered` (the channel's `onDrop`, reason `"cancel"`), never silently away.
 */

import type { Subscriber, TeardownLogic } from "rxjs"

/** What the pump needs of a receiving handle: a channel `Receiver` or a `BroadcastReceiver`. */
export interface Source<T> {
  tryReceive():
    | { ok: true; value: T }
    | { ok: true; lagged: number }
    | { ok: false; reason: "empty" | "closed"; error?: unknown }
  receive(options: { signal: AbortSignal }): Promise<
    { done: false; value: T } | { done: true; value: undefined } | { done: false; lagged: number; value: undefined }
  >
}

export interface PumpHooks<T> {
  /** A value taken by a receive whose subscriber left before it could be handed over. */
  readonly undelivered?: ((value: T) => void) | undefined
  /** A broadcast receiver missed `n` values (its buffer overflowed). */
  readonly lagged?: ((n: number) => void) | undefined
  /** The channel is done (the subscriber was completed or errored). */
  readonly done?: (() => void) | undefined
}

/** The core's callback hook on channel receivers (see the core's internal/handles.ts). */
const PARK_RECEIVE: unique symbol = Symbol.for("panama.channel.parkReceive")

type ParkReceive<T> = (
  onValue: (value: T) => void,
  onEnd: (reason: unknown, hasReason: boolean) => void,
) => (() => boolean) | undefined

/** Values handed over synchronously before the pump yields to other subscriptions sharing the channel. */
const BURST = 64

/** Starts pumping `source` into `subscriber`; returns the teardown that stops it. */
export function pump<T>(source: Source<T>, subscriber: Subscriber<T>, hooks: PumpHooks<T>): TeardownLogic {
  const abort = new AbortController()
  const park = (source as unknown as { [PARK_RECEIVE]?: ParkReceive<T> })[PARK_RECEIVE]
  const running =
    typeof park === "function"
      ? runParked(source, park, subscriber, hooks, abort.signal)
      : run(source, subscriber, hooks, abort.signal)
  running.catch((error: unknown) => subscriber.error(error))
  return () => abort.abort()
}

// The loop for channel receivers: values reach `next` inside the channel's hand-off.
async function runParked<T>(
  source: Source<T>,
  park: ParkReceive<T>,
  subscriber: Subscriber<T>,
  hooks: PumpHooks<T>,
  signal: AbortSignal,
): Promise<void> {
  let burst = 0
  while (!subscriber.closed && !signal.aborted) {
    const ended = await new Promise<boolean>((resume) => {
      let now = true // whether the hook is still inside this call
      let instant: boolean | undefined
      let onAbort: (() => void) | undefined
      const settle = (end: boolean): void => {
        if (now) instant = end
        else {
          // Case: completed after parking: stop listening, or every wait leaves a listener on the signal.
          if (onAbort !== undefined) signal.removeEventListener("abort", onAbort)
          resume(end)
        }
      }
      const withdraw = park.call(
        source,
        (value) => {
          subscriber.next(value)
          settle(false)
        },
        (reason, hasReason) => {
          finish(subscriber, hooks, hasReason, reason)
          settle(true)
        },
      )
      now = false
      if (instant !== undefined) return resume(instant)
      // Parked: an unsubscribe withdraws the wait at once; nothing was taken.
      onAbort = (): void => {
        if (withdraw!()) resume(true)
      }
      signal.addEventListener("abort", onAbort, { once: true })
      if (signal.aborted) onAbort()
    })
    if (ended) return
    // Fairness: competing subscriptions on one channel take turns.
    if (++burst === BURST) {
      burst = 0
      await undefined
    }
  }
}

async function run<T>(source: Source<T>, subscriber: Subscriber<T>, hooks: PumpHooks<T>, signal: AbortSignal) {
  let burst = 0
  while (!subscriber.closed) {
    const r = source.tryReceive()
    if (r.ok) {
      if ("lagged" in r) hooks.lagged?.(r.lagged)
      else subscriber.next(r.value)
      // Fairness: competing subscriptions on one channel take turns.
      if (++burst === BURST) {
        burst = 0
        await undefined
      }
      continue
    }
    burst = 0
    if (r.reason === "closed") {
      finish(subscriber, hooks, "error" in r, r.error)
      return
    }
    // Empty: wait for the next value. The teardown aborts this receive.
    let result: Awaited<ReturnType<Source<T>["receive"]>>
    try {
      result = await source.receive({ signal })
    } catch (error) {
      if (!signal.aborted) finish(subscriber, hooks, true, error)
      return
    }
    if (result.done) {
      finish(subscriber, hooks, false, undefined)
      return
    }
    if ("lagged" in result) {
      hooks.lagged?.(result.lagged)
      continue
    }
    if (subscriber.closed) {
      // The receive was fulfilled just before the unsubscribe: hand the value back.
      hooks.undelivered?.(result.value)
      return
    }
    subscriber.next(result.value)
  }
}

function finish<T>(subscriber: Subscriber<T>, hooks: PumpHooks<T>, failed: boolean, error: unknown): void {
  if (subscriber.closed) return
  if (failed) subscriber.error(error)
  else subscriber.complete()
  hooks.done?.()
}
