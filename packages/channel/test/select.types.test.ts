/**
 * The result type of `select` is a union keyed by `index`: checking
 * `r.index` narrows `r.value` to that case's result. These assertions are
 * checked by `tsc -p tsconfig.json --noEmit` (the package's typecheck); at run
 * time `expectTypeOf` does nothing, so the runtime test only makes sure the
 * cases are built as typed.
 */

import { describe, expect, expectTypeOf, test } from "vitest"
import {
  bounded,
  broadcast,
  oneshot,
  recv,
  select,
  send,
  trySelect,
  watch,
  type BroadcastResult,
  type ReceiveResult,
  type SelectResult,
} from "../src/index.js"

describe("select result types", () => {
  test("r.value narrows per case index", async () => {
    const [numTx, nums] = bounded<number>(1)
    const [strTx] = bounded<string>(1)
    const [, flags] = bounded<boolean>(1)
    numTx.trySend(1)
    const r = await select([recv(nums), send(strTx, "s"), recv(flags)], { biased: true })
    expectTypeOf(r.index).toEqualTypeOf<0 | 1 | 2>()
    switch (r.index) {
      case 0:
        expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<number>>()
        if (!r.value.done) expectTypeOf(r.value.value).toEqualTypeOf<number>()
        break
      case 1:
        expectTypeOf(r.value).toEqualTypeOf<undefined>()
        break
      case 2:
        expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<boolean>>()
        break
      default:
        expectTypeOf(r).toBeNever()
    }
  })

  test("disabled cases keep their index in the type and are never a result", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    const maybe = Math.random() < 2 ? recv(rx) : null
    const r = await select([null, maybe, undefined])
    expectTypeOf(r.index).toEqualTypeOf<1>()
    expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<number>>()
  })

  test("sibling receivers give their own result types", async () => {
    const [btx, b] = broadcast<string>({ capacity: 1 })
    const [wtx, w] = watch(0n)
    const [otx, o] = oneshot<Date>()
    btx.trySend("x")
    wtx.send(1n)
    otx.send(new Date(0))
    const r = await select([recv(b), recv(w), recv(o)])
    if (r.index === 0) expectTypeOf(r.value).toEqualTypeOf<BroadcastResult<string>>()
    if (r.index === 1) expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<bigint>>()
    if (r.index === 2) expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<Date>>()
  })

  test("trySelect returns the same union or undefined", () => {
    const [tx, rx] = bounded<number>(1)
    const r = trySelect([recv(rx), send(tx, 2)])
    expectTypeOf(r).toEqualTypeOf<
      { readonly index: 0; readonly value: ReceiveResult<number> } | { readonly index: 1; readonly value: undefined } | undefined
    >()
  })

  test("a case array of unknown length gives a number index and an unknown value", async () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(1)
    const cases = [recv(rx)] as ReturnType<typeof recv<number>>[]
    const r = await select(cases)
    expectTypeOf(r).toEqualTypeOf<SelectResult<typeof cases>>()
    expectTypeOf(r.index).toEqualTypeOf<number>()
    expectTypeOf(r.value).toEqualTypeOf<unknown>()
  })

  test("send() only takes a value of the sender's type", () => {
    const [tx] = bounded<number>(1)
    // @ts-expect-error a string is not a number
    send(tx, "no")
    // @ts-expect-error recv() does not take a sender
    expect(() => recv(tx)).toThrow(TypeError)
  })
})
