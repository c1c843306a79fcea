/** Helpers shared by the conformance ports (turns of the event loop, promise watching, a seeded RNG). */

import { expect } from "vitest"
import { ChannelClosedError } from "@panama/channel"

/** One full turn of the event loop: every queued microtask has run. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Watches a promise so a test can ask whether it settled yet. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly promise: Promise<T> } {
  const state = { settled: false, promise }
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  )
  return state
}

/** The rejection reason of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected the promise to reject")
}

export function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError"
}

export function closedValue(error: unknown): unknown {
  expect(error).toBeInstanceOf(ChannelClosedError)
  return (error as ChannelClosedError).value
}

/** Whether `ids` is exactly 0, 1, ..., n - 1 (cheaper than toEqual on long arrays). */
export function isRange(ids: readonly number[], n: number): boolean {
  return ids.length === n && ids.every((id, i) => id === i)
}

/** A small seeded generator (mulberry32), so random runs are reproducible. */
export function rng(seed: number): (below: number) => number {
  let a = seed >>> 0
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below)
  }
}
