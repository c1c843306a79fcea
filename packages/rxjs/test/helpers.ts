/**
 * Test helpers: flushing microtasks (no real-time sleeps), and stepping a
 * TestScheduler frame by frame so promise-based channel work interleaves with
 * virtual time.
 */

import { expect } from "vitest"
import { TestScheduler } from "rxjs/testing"

/** Runs every queued microtask (and the promise chains they start). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
}

/**
 * Advances `s` one frame at a time up to `frames`, flushing microtasks after
 * each, then runs the final flush that checks every `toBe` expectation.
 * Call `toBe` after this resolves (assertions run at the last flush).
 */
export async function stepThrough(s: TestScheduler, frames: number): Promise<void> {
  await flush()
  for (let f = 0; f <= frames; f++) {
    s.maxFrames = f
    s.flush()
    await flush()
  }
}

/** The final flush: checks the expectations registered with `toBe`. */
export function check(s: TestScheduler): void {
  s.maxFrames = Number.POSITIVE_INFINITY
  s.flush()
}
