/**
 * The internal callback hooks adapters use (Symbol.for("panama.channel.parkReceive")
 * and "parkSend"): completion is synchronous at the hand-off, and withdrawing
 * takes nothing and leaves nothing behind.
 */

import { describe, expect, test } from "vitest"
import { bounded, channel, rendezvous, type Receiver, type Sender } from "../src/index.js"

const PARK_RECEIVE = Symbol.for("panama.channel.parkReceive")
const PARK_SEND = Symbol.for("panama.channel.parkSend")

type ParkReceive<T> = (onValue: (v: T) => void, onEnd: (reason: unknown, has: boolean) => void) => (() => boolean) | undefined
type ParkSend<T> = (value: T, onAccepted: () => void, onRefused: (e: unknown) => void) => (() => boolean) | undefined

const parkReceive = <T>(rx: Receiver<T>, log: unknown[]): (() => boolean) | undefined =>
  (rx as unknown as Record<symbol, ParkReceive<T>>)[PARK_RECEIVE]!.call(
    rx,
    (v) => log.push(["value", v]),
    (reason, has) => log.push(["end", reason, has]),
  )
const parkSend = <T>(tx: Sender<T>, value: T, log: unknown[]): (() => boolean) | undefined =>
  (tx as unknown as Record<symbol, ParkSend<T>>)[PARK_SEND]!.call(
    tx,
    value,
    () => log.push(["accepted", value]),
    (e) => log.push(["refused", (e as Error).name, (e as { value?: unknown }).value]),
  )

describe("parkReceive", () => {
  test("completes at once when a value is buffered, and returns no withdraw", () => {
    const [tx, rx] = bounded<number>(2)
    tx.trySend(7)
    const log: unknown[] = []
    expect(parkReceive(rx, log)).toBeUndefined()
    expect(log).toEqual([["value", 7]])
  })

  test("a parked callback receives synchronously inside the sender's trySend", () => {
    const [tx, rx] = rendezvous<string>()
    const log: unknown[] = []
    const withdraw = parkReceive(rx, log)!
    expect(rx.pendingReceives).toBe(1)
    expect(tx.trySend("x")).toEqual({ ok: true })
    expect(log).toEqual([["value", "x"]])
    expect(withdraw()).toBe(false)
    expect(rx.pendingReceives).toBe(0)
  })

  test("withdrawing before a value arrives takes nothing: the next receiver gets it", async () => {
    const [tx, rx] = bounded<number>(1)
    const log: unknown[] = []
    const withdraw = parkReceive(rx, log)!
    expect(withdraw()).toBe(true)
    expect(rx.pendingReceives).toBe(0)
    tx.trySend(1)
    expect(log).toEqual([])
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
  })

  test("reports the end with the close reason, or without one", () => {
    const [tx, rx] = bounded<number>(1)
    const log: unknown[] = []
    parkReceive(rx, log)
    tx.close("bye")
    const [tx2, rx2] = bounded<number>(1)
    parkReceive(rx2, log)
    tx2.close()
    expect(log).toEqual([
      ["end", "bye", true],
      ["end", undefined, false],
    ])
  })
})

describe("parkSend", () => {
  test("accepts at once when there is room", () => {
    const [tx, rx] = bounded<number>(1)
    const log: unknown[] = []
    expect(parkSend(tx, 1, log)).toBeUndefined()
    expect(log).toEqual([["accepted", 1]])
    expect(rx.size).toBe(1)
  })

  test("a parked send is accepted synchronously when room appears", () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(0)
    const log: unknown[] = []
    const withdraw = parkSend(tx, 1, log)!
    expect(tx.pendingSends).toBe(1)
    expect(rx.tryReceive()).toEqual({ ok: true, value: 0 })
    expect(log).toEqual([["accepted", 1]])
    expect(withdraw()).toBe(false)
  })

  test("withdrawing leaves nothing behind and lets a later sender in", () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(0)
    const log: unknown[] = []
    const withdraw = parkSend(tx, 1, log)!
    expect(withdraw()).toBe(true)
    expect(tx.pendingSends).toBe(0)
    expect(rx.tryReceiveMany()).toEqual([0])
    expect(log).toEqual([])
  })

  test("refuses with the value on a closed channel, and with ChannelFullError under reject", () => {
    const [tx] = bounded<number>(1)
    const [rtx] = channel<number>({ capacity: 1, overflow: "reject" })
    rtx.trySend(0)
    const log: unknown[] = []
    tx.close()
    parkSend(tx, 5, log)
    parkSend(rtx, 6, log)
    expect(log).toEqual([
      ["refused", "ChannelClosedError", 5],
      ["refused", "ChannelFullError", 6],
    ])
  })

  test("a cancel refuses a parked send with its value", () => {
    const [tx, rx] = bounded<number>(1)
    tx.trySend(0)
    const log: unknown[] = []
    parkSend(tx, 1, log)
    rx.cancel()
    expect(log).toEqual([["refused", "ChannelClosedError", 1]])
  })
})

describe("hooks calling back in during a cancel", () => {
  test("a refused parkSend that receives from the cancelled channel finds it closed, and every other waiting sender is refused", async () => {
    const [tx, rx] = rendezvous<string>()
    const other = rx.clone()
    const seen: unknown[] = []
    ;(tx as unknown as Record<symbol, ParkSend<string>>)[PARK_SEND]!.call(
      tx,
      "a",
      () => seen.push("a accepted"),
      () => seen.push(other.tryReceive()), // calls back in while the cancel is under way
    )
    const b = tx.send("b").then(
      () => "b accepted",
      (e: unknown) => `b refused: ${(e as Error).name}`,
    )
    rx.cancel("stop")
    expect(seen).toEqual([{ ok: false, reason: "closed", error: "stop" }])
    expect(await b).toBe("b refused: ChannelClosedError")
    expect(rx.stats.sent).toBe(0)
  })
})
