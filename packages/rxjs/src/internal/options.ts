/**
 * Checks of the options every Observable-to-channel adapter takes. Nonsense
 * is refused, never adjusted (SPEC §1): `TypeError` for a wrong type or an
 * unknown policy, `RangeError` for a number out of range. Unbounded buffers
 * are refused: an Observable cannot be paused, so a buffer without a limit is
 * the silent growth this package exists to prevent.
 */

import type { DropReason } from "@panama/channel"
import type { FeedOptions, OverflowPolicy } from "./feeder.js"

const POLICIES: readonly OverflowPolicy[] = ["drop-newest", "drop-oldest", "reject"]

export interface RawFeedOptions<T> {
  readonly overflow?: OverflowPolicy
  readonly stage?: number
  readonly onDrop?: (value: T, reason: DropReason) => void
}

export function checkObject(options: unknown): void {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
}

export function checkFeedOptions<T>(options: RawFeedOptions<T>): FeedOptions<T> {
  checkObject(options)
  const { overflow, onDrop } = options
  if (overflow === undefined) {
    throw new TypeError(`overflow is required: one of ${POLICIES.map((p) => `"${p}"`).join(", ")}`)
  }
  if (!POLICIES.includes(overflow)) {
    throw new TypeError(
      `overflow must be one of ${POLICIES.map((p) => `"${p}"`).join(", ")} (an Observable cannot be suspended)`,
    )
  }
  const stage = options.stage ?? (overflow === "drop-oldest" ? 1 : 0)
  checkLimit("stage", stage, 0)
  if (stage === 0 && overflow === "drop-oldest") {
    throw new RangeError('overflow "drop-oldest" needs a stage >= 1 (something to evict)')
  }
  if (onDrop !== undefined && typeof onDrop !== "function") throw new TypeError("onDrop must be a function")
  return { overflow, stage, onDrop }
}

/** A finite integer >= `min`. */
export function checkLimit(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number`)
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a finite integer >= ${min}`)
}
