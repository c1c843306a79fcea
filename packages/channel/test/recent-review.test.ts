/**
 * Edges of the recent fast paths found in review: select's polling pass
 * (quickPick) and broadcast batch receives.
 */

import { describe, expect, it } from "vitest"
import { bounded, recv, select, send, trySelect, type SelectCase } from "../src/index.js"

describe("select's polling pass over plain channel cases", () => {
  it("a biased trySelect with a bad entry after a ready case throws TypeError and takes nothing", () => {
    const [tx, rx] = bounded<number>(4)
    tx.trySend(1)
    const cases = [recv(rx), 42 as unknown as SelectCase]
    expect(() => trySelect(cases, { biased: true })).toThrow(TypeError)
    expect(rx.size).toBe(1)
  })

  it("a biased select with a bad entry after a ready case rejects with TypeError and takes nothing", async () => {
    const [tx, rx] = bounded<number>(4)
    const [out] = bounded<number>(4)
    tx.trySend(1)
    const cases = [recv(rx), send(out, 2), { kind: "recv" } as unknown as SelectCase]
    await expect(select(cases, { biased: true })).rejects.toThrow(TypeError)
    expect([rx.size, out.size]).toEqual([1, 0])
  })
})
