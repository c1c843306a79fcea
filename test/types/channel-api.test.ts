/**
 * Type tests of the public API of @panama/channel: what a user's editor
 * infers. They fail at `tsc` time (this workspace's test runs tsc first) and
 * at run time through expectTypeOf.
 */

import {
  bounded,
  broadcast,
  channel,
  ChannelClosedError,
  oneshot,
  recv,
  select,
  send,
  watch,
  type BroadcastResult,
  type ReceiveResult,
  type Receiver,
  type Sender,
  type TryReceiveResult,
  type TrySendResult,
} from "@panama/channel"
import { describe, expectTypeOf, test } from "vitest"

describe("channel types", () => {
  test("channel() returns a sender and a receiver of the value type", () => {
    const pair = channel<number>({ capacity: 1 })
    expectTypeOf(pair).toEqualTypeOf<[Sender<number>, Receiver<number>]>()
    expectTypeOf(bounded<string>(4)).toEqualTypeOf<[Sender<string>, Receiver<string>]>()
  })

  test("receive results narrow on done, as ReadableStreamDefaultReader.read() does", () => {
    const [, rx] = channel<number>()
    expectTypeOf(rx.receive()).resolves.toEqualTypeOf<ReceiveResult<number>>()
    const r = {} as ReceiveResult<number>
    if (!r.done) expectTypeOf(r.value).toEqualTypeOf<number>()
    else expectTypeOf(r.value).toEqualTypeOf<undefined>()
  })

  test("try results carry the value back only where it was not accepted", () => {
    const [tx, rx] = channel<string>()
    expectTypeOf(tx.trySend("a")).toEqualTypeOf<TrySendResult<string>>()
    const s = tx.trySend("a")
    if (!s.ok) expectTypeOf(s.value).toEqualTypeOf<string>()
    expectTypeOf(rx.tryReceive()).toEqualTypeOf<TryReceiveResult<string>>()
    const t = rx.tryReceive()
    if (t.ok) expectTypeOf(t.value).toEqualTypeOf<string>()
    else expectTypeOf(t.reason).toEqualTypeOf<"empty" | "closed">()
  })

  test("batches, sendAll and iteration keep the value type", () => {
    const [tx, rx] = channel<Uint8Array>({ capacity: 8 })
    expectTypeOf(tx.sendAll([new Uint8Array(1)])).resolves.toEqualTypeOf<Uint8Array[]>()
    expectTypeOf(rx.receiveMany(4)).resolves.toEqualTypeOf<Uint8Array[]>()
    expectTypeOf(rx.tryReceiveMany()).toEqualTypeOf<Uint8Array[]>()
    expectTypeOf(rx).toMatchTypeOf<AsyncIterable<Uint8Array>>()
    expectTypeOf(tx).toMatchTypeOf<Disposable>()
  })

  test("options are checked: the size and onDrop callbacks see the value type", () => {
    channel<Uint8Array>({ capacity: 1024, size: (c) => c.byteLength, onDrop: (c, reason) => void [c.byteLength, reason] })
    // @ts-expect-error an unknown policy name is a type error too
    expectTypeOf(() => channel({ overflow: "drop-middle" })).toBeFunction()
  })

  test("errors carry the value that was not accepted", () => {
    expectTypeOf(new ChannelClosedError(3).value).toEqualTypeOf<number>()
  })
})

describe("select and sibling types", () => {
  test("a select result narrows its value by case index", () => {
    const [, numbers] = channel<number>()
    const [strings] = channel<string>()
    const [, bcast] = broadcast<boolean>({ capacity: 1 })
    type R = Awaited<ReturnType<typeof run>>
    const run = () => select([recv(numbers), send(strings, "x"), null, recv(bcast)])
    const r = {} as R
    if (r.index === 0) expectTypeOf(r.value).toEqualTypeOf<ReceiveResult<number>>()
    if (r.index === 1) expectTypeOf(r.value).toEqualTypeOf<undefined>()
    if (r.index === 3) expectTypeOf(r.value).toEqualTypeOf<BroadcastResult<boolean>>()
    expectTypeOf(r.index).toEqualTypeOf<0 | 1 | 3>()
  })

  test("oneshot receivers are awaitable for the value; watch receivers borrow it", () => {
    const [, answer] = oneshot<number>()
    expectTypeOf(answer).toMatchTypeOf<PromiseLike<number>>()
    const [, config] = watch({ level: "info" })
    expectTypeOf(config.borrow()).toEqualTypeOf<{ level: string }>()
  })
})
