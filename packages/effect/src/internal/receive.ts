/**
 * Interruption-safe receiving for Effect fibers.
 *
 * The core hands a value to a parked `receive` synchronously, but the promise
 * it returns resolves a microtask later. A fiber interrupted inside that gap
 * would drop a value the channel already gave away. So every adapter receive on
 * a handle goes through one `Slot`:
 *
 * - `stash`: values delivered to a receive whose fiber was interrupted before
 *   it resumed. They are older than anything still in the channel, so every
 *   adapter receive on the handle takes from the stash first.
 * - `parked`: the adapter receives now waiting on the channel. When a value is
 *   stashed, the oldest parked one is woken (its wait is aborted with `RETRY`)
 *   and retries, so a stashed value never waits while a receiver does.
 *
 * Invariant: after an interrupted receive's fiber has exited, its value (if the
 * channel gave it one) is in the stash or already handed to another receive.
 */

import { Cause, Effect } from "effect"
import type { Receiver } from "@panama/channel"

/** Abort reason that tells a parked receive to retry instead of failing. */
const RETRY: unique symbol = Symbol("panama.effect.retry")

interface Slot<A> {
  readonly stash: A[] // delivered to interrupted receives, owed to the next one (FIFO)
  readonly parked: Set<AbortController> // waits of adapter receives, oldest first
}

const slots = new WeakMap<Receiver<unknown>, Slot<unknown>>()

function slotOf<A>(rx: Receiver<A>): Slot<A> {
  let slot = slots.get(rx) as Slot<A> | undefined
  if (slot === undefined) {
    slot = { stash: [], parked: new Set() }
    slots.set(rx, slot)
  }
  return slot
}

/** Stashes values an interrupted receive was given and wakes the oldest parked receive. */
function stash<A>(slot: Slot<A>, values: readonly A[]): void {
  for (const v of values) slot.stash.push(v)
  wakeOldest(slot)
}

function wakeOldest<A>(slot: Slot<A>): void {
  const first = slot.parked.values().next()
  if (!first.done) {
    slot.parked.delete(first.value)
    first.value.abort(RETRY)
  }
}

/** Values held for the next receive on this handle (see the file header). Used by `cancel` and tests. */
export function stashed<A>(rx: Receiver<A>): number {
  return (slots.get(rx) as Slot<A> | undefined)?.stash.length ?? 0
}

/** Empties the stash (on release of the handle); returns what it held. */
export function drainStash<A>(rx: Receiver<A>): A[] {
  const slot = slots.get(rx) as Slot<A> | undefined
  if (slot === undefined) return []
  return slot.stash.splice(0, slot.stash.length)
}

/** The end of a channel as an Effect failure: `Cause.Done` without a reason, the reason otherwise. */
function endOf<E>(error: { ok: false; reason: "empty" | "closed"; error?: unknown }): Effect.Effect<never, E | Cause.Done> {
  return "error" in error ? Effect.fail(error.error as E) : Effect.fail(Cause.Done())
}

/**
 * Takes up to `max` values, waiting for at least one. Fails with `Cause.Done`
 * at the end, with the reason when the channel was closed or cancelled with one.
 */
export function takeBatch<A, E>(rx: Receiver<A>, max: number): Effect.Effect<A[], E | Cause.Done> {
  return Effect.suspend(() => {
    const slot = slotOf(rx)
    // Case: values owed from an interrupted receive come before the channel's.
    if (slot.stash.length > 0) {
      const batch = slot.stash.splice(0, Math.min(max, slot.stash.length))
      if (batch.length < max) for (const v of rx.tryReceiveMany(max - batch.length)) batch.push(v)
      return Effect.succeed(batch)
    }
    const now = rx.tryReceiveMany(max)
    if (now.length > 0) return Effect.succeed(now)
    const r = rx.tryReceive()
    if (r.ok) return Effect.succeed([r.value]) // a waiting sender's value (rendezvous)
    if (r.reason === "closed") return endOf<E>(r)
    return park<A, E>(rx, slot, max)
  })
}

function park<A, E>(rx: Receiver<A>, slot: Slot<A>, max: number): Effect.Effect<A[], E | Cause.Done> {
  return Effect.callback<A[], E | Cause.Done>((resume) => {
    const controller = new AbortController()
    let interrupted = false
    slot.parked.add(controller)
    const settled = rx.receiveMany(max, { signal: controller.signal }).then(
      (batch) => {
        slot.parked.delete(controller)
        if (interrupted) {
          // Case: delivered in the gap before an interruption: keep it for the next receive.
          if (batch.length > 0) stash(slot, batch)
          return
        }
        // Case: woken for a stashed value, but a value was delivered first: pass the wake on.
        if (controller.signal.aborted && slot.stash.length > 0) wakeOldest(slot)
        resume(batch.length === 0 ? Effect.fail(Cause.Done()) : Effect.succeed(batch))
      },
      (error: unknown) => {
        slot.parked.delete(controller)
        if (interrupted) return
        if (error === RETRY) resume(takeBatch<A, E>(rx, max))
        else resume(Effect.fail(error as E))
      },
    )
    // On interruption: withdraw the wait (the core removes it synchronously), then
    // let the fiber exit only once the outcome is known, so a value is never in flight.
    return Effect.suspend(() => {
      interrupted = true
      slot.parked.delete(controller)
      controller.abort()
      return Effect.promise(() => settled)
    })
  })
}

/** One value; see `takeBatch`. */
export function takeOne<A, E>(rx: Receiver<A>): Effect.Effect<A, E | Cause.Done> {
  return Effect.suspend(() => {
    const slot = slotOf(rx)
    if (slot.stash.length > 0) return Effect.succeed(slot.stash.shift() as A)
    const r = rx.tryReceive()
    if (r.ok) return Effect.succeed(r.value)
    if (r.reason === "closed") return endOf<E>(r)
    return Effect.map(park<A, E>(rx, slot, 1), (batch) => batch[0] as A)
  })
}

/** One value now, or `undefined` when none is available. Fails at the end as `takeOne` does. */
export function pollOne<A, E>(rx: Receiver<A>): Effect.Effect<{ value: A } | undefined, E | Cause.Done> {
  return Effect.suspend(() => {
    const slot = slotOf(rx)
    if (slot.stash.length > 0) return Effect.succeed({ value: slot.stash.shift() as A })
    const r = rx.tryReceive()
    if (r.ok) return Effect.succeed({ value: r.value })
    if (r.reason === "closed") return endOf<E>(r)
    return Effect.succeed(undefined)
  })
}
