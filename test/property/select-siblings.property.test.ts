/**
 * `select` over the sibling receivers (SPEC §5, §6, issue 3): random programs
 * where selects and trySelects over random subsets of two broadcast
 * receivers, a watch receiver, a oneshot receiver and a channel (receive and
 * send cases) run concurrently with plain receives, sends, aborts and a
 * close, replayed exactly from a seed.
 *
 * What every run checks, after a teardown that aborts every wait and drains
 * every receiver:
 * - A losing or aborted case takes nothing: under `suspend` each broadcast
 *   receiver got exactly the values accepted after it subscribed, each once;
 *   under `drop-oldest` it got each at most once, and got + missed = accepted.
 * - The oneshot's value is received exactly once (by a select or a receive),
 *   and the channel's accepted values are each delivered exactly once.
 * - A select settles once, with the index of an enabled case.
 * - Watch: every value a select or changed() returned was sent, and a
 *   receiver never sees the same version twice.
 *
 * FC_SEED=<seed> npx vitest run property/select-siblings.property.test.ts
 */

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  broadcast,
  channel,
  oneshot,
  recv,
  select,
  send,
  trySelect,
  watch,
  type BroadcastReceiver,
  type SelectCase,
} from "@panama/channel"

const seed = process.env.FC_SEED === undefined ? 20261123 : Number(process.env.FC_SEED)
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// Case kinds: 0, 1 broadcast receivers; 2 watch; 3 oneshot; 4 channel receive; 5 channel send.
const CASES = 6
const op = fc.tuple(fc.integer({ min: 0, max: 11 }), fc.nat(63), fc.nat(7))
const program = fc.record({
  bcap: fc.constantFrom(1, 2, 4, Infinity),
  boverflow: fc.constantFrom("suspend" as const, "drop-oldest" as const),
  ccap: fc.constantFrom(0, 1, 3),
  ops: fc.array(op, { minLength: 10, maxLength: 80, size: "max" }),
})

describe("select over broadcast, watch, oneshot and channel cases", () => {
  it("exactly one case takes effect; losing and aborted cases take nothing", async () => {
    await fc.assert(
      fc.asyncProperty(program, async ({ bcap, boverflow, ccap, ops }) => {
        const [btx, b0] = broadcast<number>({ capacity: bcap, overflow: boverflow })
        const b1 = btx.subscribe()
        const [wtx, w] = watch(0)
        const [otx, o] = oneshot<number>()
        const [ctx, crx] = channel<number>({ capacity: ccap })
        const brx: BroadcastReceiver<number>[] = [b0, b1]
        const bAccepted: number[] = []
        const bGot = [new Map<number, number>(), new Map<number, number>()]
        const wSent = new Set<number>([0])
        const wSeen: number[] = []
        const oGot: number[] = []
        let oSent: number | undefined
        const cAccepted = new Set<number>()
        const cGot = new Map<number, number>()
        const controllers: AbortController[] = []
        const settles: Promise<unknown>[] = []
        const failures: string[] = []
        let next = 1
        let closed = false

        const bump = (m: Map<number, number>, v: number): void => void m.set(v, (m.get(v) ?? 0) + 1)
        const onRecv = (kind: number, r: { done: boolean; value?: unknown; lagged?: number }): void => {
          if (r.done || (kind < 2 && r.lagged !== undefined)) return
          const v = r.value as number
          if (kind < 2) bump(bGot[kind]!, v)
          else if (kind === 2) {
            if (!wSent.has(v)) failures.push(`watch gave ${v}, never sent`)
            wSeen.push(v)
          } else if (kind === 3) oGot.push(v)
          else bump(cGot, v)
        }
        const signal = (bits: number): AbortSignal | undefined => {
          if (bits % 2 === 0) return undefined
          const ac = new AbortController()
          controllers.push(ac)
          return ac.signal
        }
        const casesOf = (mask: number): { cases: (SelectCase | null)[]; sent: (number | undefined)[] } => {
          const cases: (SelectCase | null)[] = []
          const sent: (number | undefined)[] = []
          for (let k = 0; k < CASES; k++) {
            if (((mask >> k) & 1) === 0) {
              cases.push(null) // a disabled case keeps its index
              sent.push(undefined)
              continue
            }
            const v = next++
            sent.push(k === 5 ? v : undefined)
            cases.push(k < 2 ? recv(brx[k]!) : k === 2 ? recv(w) : k === 3 ? recv(o) : k === 4 ? recv(crx) : send(ctx, v))
          }
          return { cases, sent }
        }
        const onResult = (mask: number, sent: (number | undefined)[], res: { index: number; value: unknown }): void => {
          if (((mask >> res.index) & 1) === 0) failures.push(`select won disabled case ${res.index}`)
          if (res.index === 5) cAccepted.add(sent[5]!)
          else onRecv(res.index, res.value as { done: boolean; value?: unknown; lagged?: number })
        }
        const track = (p: Promise<unknown>): void => void settles.push(p.catch(() => undefined))

        for (const [code, a, c] of ops) {
          switch (code) {
            case 0:
            case 1:
            case 2: {
              // A waiting select over the cases picked by the bits of `a` (at least one).
              const mask = a === 0 ? 1 : a
              const { cases, sent } = casesOf(mask)
              let settled = 0
              track(
                select(cases, { biased: c % 3 === 0, signal: signal(c) }).then((res) => {
                  if (++settled > 1) failures.push("select settled twice")
                  onResult(mask, sent, res)
                }),
              )
              break
            }
            case 3: {
              const mask = a === 0 ? 1 : a
              const { cases, sent } = casesOf(mask)
              try {
                const res = trySelect(cases)
                if (res !== undefined) onResult(mask, sent, res)
              } catch {
                // a send case on the closed channel
              }
              break
            }
            case 4: {
              if (closed) break
              const v = next++
              if (c % 2 === 0) {
                if (btx.trySend(v).ok) bAccepted.push(v)
              } else track(btx.send(v, { signal: signal(c >> 1) }).then(() => void bAccepted.push(v)))
              break
            }
            case 5: {
              if (closed) break
              const v = next++
              wSent.add(v)
              wtx.send(v)
              break
            }
            case 6:
              if (oSent === undefined && !closed) {
                oSent = next++
                otx.send(oSent)
              }
              break
            case 7: {
              if (closed) break
              const v = next++
              if (ctx.trySend(v).ok) cAccepted.add(v)
              break
            }
            case 8: {
              // A plain receive on one of the receivers.
              const k = a % 5
              const sig = signal(c)
              const p: Promise<{ done: boolean; value?: unknown; lagged?: number }> =
                k < 2
                  ? brx[k]!.receive({ signal: sig })
                  : k === 2
                    ? w.changed({ signal: sig })
                    : k === 3
                      ? o.receive({ signal: sig })
                      : crx.receive({ signal: sig })
              track(p.then((r) => onRecv(k, r)))
              break
            }
            case 9:
              if (controllers.length > 0) controllers[a % controllers.length]!.abort(new Error("abort"))
              break
            case 10:
              await flush()
              break
            case 11:
              if (a === 0 && !closed) {
                closed = true
                btx.close()
                wtx.close()
                ctx.close()
              }
              break
          }
        }

        // Teardown: abort every wait, let everything settle, close, drain what is left.
        // (Closing ends the waits that have no signal: a receive sees done, a send case rejects.)
        for (const ac of controllers) ac.abort(new Error("teardown"))
        await flush()
        btx.close()
        wtx.close()
        ctx.close()
        otx.close()
        // Draining admits the sends still waiting for room (a closed channel still takes them).
        let pending = settles.length
        void Promise.all(settles.map((p) => p.finally(() => pending--)))
        for (let round = 0; round < 100 && pending > 0; round++) {
          for (let k = 0; k < 2; k++) for (const v of brx[k]!.tryReceiveMany()) bump(bGot[k]!, v)
          for (let r = crx.tryReceive(); r.ok; r = crx.tryReceive()) bump(cGot, r.value)
          await flush()
        }
        expect(pending).toBe(0)
        for (let k = 0; k < 2; k++) for (const v of brx[k]!.tryReceiveMany()) bump(bGot[k]!, v)
        for (let r = crx.tryReceive(); r.ok; r = crx.tryReceive()) bump(cGot, r.value)
        const last = o.tryReceive()
        if (last.ok) oGot.push(last.value)

        expect(failures).toEqual([])
        for (let k = 0; k < 2; k++) {
          for (const [v, n] of bGot[k]!) expect([k, v, n]).toEqual([k, v, 1])
          if (boverflow === "suspend") {
            expect([k, [...bGot[k]!.keys()].sort((x, y) => x - y)]).toEqual([k, [...bAccepted].sort((x, y) => x - y)])
          } else {
            for (const v of bGot[k]!.keys()) expect(bAccepted).toContain(v)
            expect([k, bGot[k]!.size + brx[k]!.missed]).toEqual([k, bAccepted.length])
          }
        }
        expect(oGot).toEqual(oSent === undefined ? [] : [oSent])
        for (const v of cAccepted) expect([v, cGot.get(v)]).toEqual([v, 1])
        expect([...cGot.keys()].filter((v) => !cAccepted.has(v))).toEqual([])
        expect(new Set(wSeen).size).toBe(wSeen.length) // values are unique per send: a repeat is a version seen twice
      }),
      { numRuns: 2000, seed },
    )
  })
})
