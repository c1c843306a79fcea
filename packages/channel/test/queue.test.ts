/**
 * The two buffers of src/internal/queue.ts, `Ring` and `Chunked`: FIFO order,
 * `length` and `peek`, growth while wrapped, chunk boundaries and reuse, and a
 * model check of random push/shift sequences against an array.
 */

import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { Chunked, Ring, type Queue } from "../src/internal/queue.js"

const CHUNK = 2048 // values per Chunked chunk

function drain<T>(q: Queue<T>): T[] {
  const out: T[] = []
  while (q.length > 0) out.push(q.shift())
  return out
}

const makers: [string, () => Queue<number>][] = [
  ["Ring", () => new Ring<number>(4)],
  ["Chunked", () => new Chunked<number>()],
]

describe.each(makers)("%s", (_name, make) => {
  test("shifts values in the order they were pushed", () => {
    const q = make()
    for (let i = 0; i < 10; i++) q.push(i)
    expect(drain(q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  test("length counts pushes minus shifts", () => {
    const q = make()
    expect(q.length).toBe(0)
    q.push(1)
    q.push(2)
    expect(q.length).toBe(2)
    q.shift()
    expect(q.length).toBe(1)
  })

  test("peek reads the oldest value without removing it", () => {
    const q = make()
    q.push(7)
    q.push(8)
    expect(q.peek()).toBe(7)
    expect(q.length).toBe(2)
    q.shift()
    expect(q.peek()).toBe(8)
  })

  test("holds undefined and repeated values like any other", () => {
    const q = new (make().constructor as new (n: number) => Queue<number | undefined>)(4)
    q.push(undefined)
    q.push(1)
    q.push(undefined)
    expect(drain(q)).toEqual([undefined, 1, undefined])
  })

  test("is reusable after being drained", () => {
    const q = make()
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) q.push(round * 10 + i)
      expect(drain(q)).toEqual([0, 1, 2, 3, 4].map((i) => round * 10 + i))
    }
  })

  test("agrees with an array model on any sequence of pushes and shifts", () => {
    const op = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(-1)) // -1 shifts
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = make()
        const model: number[] = []
        let next = 0
        for (const o of ops) {
          if (o === -1) {
            if (model.length > 0) expect(q.shift()).toBe(model.shift())
          } else {
            for (let k = 0; k < o % 7; k++) {
              q.push(next)
              model.push(next++)
            }
          }
          expect(q.length).toBe(model.length)
          if (model.length > 0) expect(q.peek()).toBe(model[0])
        }
        expect(drain(q)).toEqual(model)
      }),
      { numRuns: 200 },
    )
  })
})

describe("Ring", () => {
  test("keeps order when it grows while wrapped around", () => {
    const q = new Ring<number>(4)
    for (let i = 0; i < 4; i++) q.push(i)
    q.shift()
    q.shift()
    for (let i = 4; i < 7; i++) q.push(i) // wraps, then grows past 4 slots
    expect(q.length).toBe(5)
    expect(drain(q)).toEqual([2, 3, 4, 5, 6])
  })

  test("grows past its initial size as far as needed", () => {
    const q = new Ring<number>(1)
    for (let i = 0; i < 100; i++) q.push(i)
    expect(q.length).toBe(100)
    expect(drain(q)).toEqual(Array.from({ length: 100 }, (_, i) => i))
  })

  test("cycles through its slots many times in steady state", () => {
    const q = new Ring<number>(3)
    const out: number[] = []
    for (let i = 0; i < 50; i++) {
      q.push(i)
      if (q.length === 3) out.push(q.shift())
    }
    out.push(...drain(q))
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})

describe("Chunked", () => {
  test("keeps order across chunk boundaries", () => {
    const q = new Chunked<number>()
    const n = CHUNK * 2 + 5
    for (let i = 0; i < n; i++) q.push(i)
    expect(q.length).toBe(n)
    const out = drain(q)
    expect(out).toHaveLength(n)
    expect(out.every((v, i) => v === i)).toBe(true)
  })

  test("keeps order when pushes and shifts interleave across a boundary", () => {
    const q = new Chunked<number>()
    const out: number[] = []
    let next = 0
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < CHUNK - 3; i++) q.push(next++)
      for (let i = 0; i < CHUNK - 7; i++) out.push(q.shift())
    }
    out.push(...drain(q))
    expect(out).toHaveLength(next)
    expect(out.every((v, i) => v === i)).toBe(true)
  })

  test("refills correctly after draining past a boundary (spare chunk reuse)", () => {
    const q = new Chunked<number>()
    for (let i = 0; i < CHUNK + 1; i++) q.push(i)
    for (let i = 0; i < CHUNK; i++) q.shift()
    expect(q.peek()).toBe(CHUNK)
    for (let i = 0; i < CHUNK * 2; i++) q.push(CHUNK + 1 + i)
    const out = drain(q)
    expect(out).toHaveLength(CHUNK * 2 + 1)
    expect(out.every((v, i) => v === CHUNK + i)).toBe(true)
  })

  test("empties exactly at a chunk boundary and starts over", () => {
    const q = new Chunked<number>()
    for (let i = 0; i < CHUNK; i++) q.push(i)
    drain(q)
    q.push(-1)
    q.push(-2)
    expect([q.length, q.peek()]).toEqual([2, -1])
    expect(drain(q)).toEqual([-1, -2])
  })
})
