/**
 * Ownership under random unsubscribe timing: every value an Observable emits
 * into a channel is seen by exactly one subscriber, or is still in the
 * channel, or was passed to onDrop (or, under `reject`, came back in the
 * ChannelFullError) — exactly once, never lost, never duplicated.
 */

import { channel, ChannelFullError, type Receiver } from "@panama/channel"
import fc from "fast-check"
import { Subject, type Subscription } from "rxjs"
import { describe, expect, it } from "vitest"
import { subscribeToChannel, toObservable } from "../src/index.js"
import { flush } from "./helpers.js"

type Command =
  | { t: "emit"; n: number }
  | { t: "sub" }
  | { t: "unsub"; i: number }
  | { t: "tick"; k: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ t: fc.constant("emit" as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant("sub" as const) }),
  fc.record({ t: fc.constant("unsub" as const), i: fc.nat(7) }),
  fc.record({ t: fc.constant("tick" as const), k: fc.integer({ min: 0, max: 6 }) }),
)

const setup = fc.oneof(
  fc.record({ capacity: fc.integer({ min: 0, max: 3 }), policy: fc.constant("drop-newest" as const), stage: fc.constant(0) }),
  fc.record({ capacity: fc.integer({ min: 1, max: 3 }), policy: fc.constant("drop-oldest" as const), stage: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ capacity: fc.integer({ min: 0, max: 3 }), policy: fc.constant("reject" as const), stage: fc.integer({ min: 0, max: 2 }) }),
)

async function ticks(k: number): Promise<void> {
  for (let i = 0; i < k; i++) await Promise.resolve()
}

describe("ownership property", () => {
  it("with random unsubscribe timing, every emitted value is seen, still in the channel, dropped or refused — exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(setup, fc.array(command, { maxLength: 40 }), fc.boolean(), async (opts, commands, sliding) => {
        const accounted: unknown[] = []
        const onDrop = (v: number) => accounted.push(["drop", v])
        const overflow = opts.policy === "drop-oldest" && sliding && opts.capacity > 0 ? "drop-oldest" : "suspend"
        const [tx, rx] = channel<number>({ capacity: opts.capacity, overflow, onDrop })
        const source = new Subject<number>()
        subscribeToChannel(source, tx, { overflow: opts.policy, stage: opts.stage, onDrop })
        const subs: Subscription[] = []
        const handles: Receiver<number>[] = []
        const record = (e: unknown) => {
          if (e instanceof ChannelFullError) accounted.push(["refused", e.value])
        }
        const refusedSeen = new Set<unknown>()
        let next = 0
        const emitted: number[] = []
        for (const c of commands) {
          if (c.t === "emit") {
            for (let i = 0; i < c.n; i++) {
              // A value emitted after the adapter stopped the source never reached it.
              if (source.observed) emitted.push(next)
              source.next(next++)
            }
          }
          else if (c.t === "sub") {
            const h = rx.clone()
            handles.push(h)
            subs.push(
              toObservable(h).subscribe({
                next: (v) => accounted.push(["seen", v]),
                error: (e: unknown) => {
                  if (e instanceof ChannelFullError && !refusedSeen.has(e)) {
                    refusedSeen.add(e)
                    record(e)
                  }
                },
              }),
            )
          } else if (c.t === "unsub") subs[c.i % Math.max(subs.length, 1)]?.unsubscribe()
          else await ticks(c.k)
        }
        await flush()
        for (const s of subs) s.unsubscribe()
        await flush()
        // Values the adapter still stages reach the channel as it drains.
        for (let got = rx.tryReceiveMany(); got.length > 0; await flush(), got = rx.tryReceiveMany()) {
          for (const v of got) accounted.push(["left", v])
        }
        const end = rx.tryReceive()
        if (!end.ok && end.reason === "closed" && end.error instanceof ChannelFullError && !refusedSeen.has(end.error)) {
          record(end.error)
        }
        const values = accounted.map((a) => (a as [string, number])[1]).sort((a, b) => a - b)
        expect(values).toEqual(emitted)
      }),
      { numRuns: 300 },
    )
  })
})
