/**
 * The error classes of SPEC §7: what they carry, how they name themselves, and
 * which operations reject with them (and which never do).
 */

import { describe, expect, test } from "vitest"
import { bounded, channel, ChannelClosedError, ChannelFullError, unbounded } from "../src/index.js"
import { rejection } from "./helpers.js"

describe("ChannelClosedError", () => {
  test("is an Error named ChannelClosedError with a short lowercase message", () => {
    const e = new ChannelClosedError("v")
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe("ChannelClosedError")
    expect(e.message).toBe("channel closed")
    expect(String(e)).toBe("ChannelClosedError: channel closed")
  })

  test("carries the value not accepted and the reason as cause", () => {
    const reason = new Error("shutdown")
    const e = new ChannelClosedError({ id: 1 }, reason)
    expect(e.value).toEqual({ id: 1 })
    expect(e.cause).toBe(reason)
  })

  test("has an undefined cause when no reason was given", () => {
    expect(new ChannelClosedError(1).cause).toBeUndefined()
  })

  test("has a stack", () => {
    expect(new ChannelClosedError(1).stack).toContain("ChannelClosedError")
  })

  test("is what a send on a closed channel rejects with", async () => {
    const [tx] = bounded<string>(1)
    const tx2 = tx.clone()
    tx.close("eof")
    const e = await rejection(tx2.send("late"))
    expect(e).toBeInstanceOf(ChannelClosedError)
    expect(e).toMatchObject({ name: "ChannelClosedError", value: "late", cause: "eof" })
  })

  test("is what a send on a cancelled channel rejects with, even with a falsy value", async () => {
    const [tx, rx] = unbounded<number>()
    rx.cancel(0)
    const e = (await rejection(tx.send(0))) as ChannelClosedError<number>
    expect(e).toBeInstanceOf(ChannelClosedError)
    expect([e.value, e.cause]).toEqual([0, 0])
  })
})

describe("ChannelFullError", () => {
  test("is an Error named ChannelFullError with a short lowercase message", () => {
    const e = new ChannelFullError(1)
    expect(e).toBeInstanceOf(Error)
    expect(e).not.toBeInstanceOf(ChannelClosedError)
    expect(e.name).toBe("ChannelFullError")
    expect(e.message).toBe("channel full")
  })

  test("carries the value not accepted", () => {
    expect(new ChannelFullError("x").value).toBe("x")
  })

  test("is what a send under reject on a full channel rejects with", async () => {
    const [tx] = channel<string>({ capacity: 1, overflow: "reject" })
    tx.trySend("a")
    const e = await rejection(tx.send("b"))
    expect(e).toBeInstanceOf(ChannelFullError)
    expect(e).toMatchObject({ name: "ChannelFullError", value: "b" })
  })
})

describe("errors are not used for expected outcomes", () => {
  test("trySend and tryReceive report full, empty and closed as results", () => {
    const [tx, rx] = channel<number>({ capacity: 1, overflow: "reject" })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "empty" })
    tx.trySend(1)
    expect(tx.trySend(2)).toEqual({ ok: false, reason: "full", value: 2 })
    rx.cancel("stop")
    expect(tx.trySend(3)).toEqual({ ok: false, reason: "closed", value: 3 })
    expect(rx.tryReceive()).toEqual({ ok: false, reason: "closed" })
  })

  test("abort rejects with the signal's reason, not a library class", async () => {
    const [, rx] = unbounded<number>()
    const reason = new Error("mine")
    const ac = new AbortController()
    const got = rejection(rx.receive({ signal: ac.signal }))
    ac.abort(reason)
    expect(await got).toBe(reason)
  })
})
