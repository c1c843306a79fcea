/**
 * Scenarios of web-platform-tests streams/piping/ (close-propagation-forward,
 * close-propagation-backward, error-propagation-forward,
 * error-propagation-backward, flow-control, pipe-through), rewritten with our
 * adapters at one or both ends of `pipeTo` / `pipeThrough`, on both stream
 * implementations.
 */

import { bounded, ChannelClosedError, unbounded } from "@panama/channel"
import { describe, expect, it } from "vitest"
import { toReadableStream, toWritableStream } from "../src/index.js"
import { flush, impls, track } from "./impls.js"

describe.each(impls)("WPT piping scenarios with the adapters ($name)", (impl) => {
  const { ReadableStream, WritableStream } = impl

  /** A sink that records what happens to it, WPT's recordingWritableStream. */
  function recordingSink<T>(options: { highWaterMark?: number; write?: (chunk: T) => void | Promise<void> } = {}) {
    const events: unknown[] = []
    const stream = impl.writable<T>(
      {
        write(chunk) {
          events.push("write", chunk)
          return options.write?.(chunk)
        },
        close() {
          events.push("close")
        },
        abort(reason) {
          events.push("abort", reason)
        },
      },
      { highWaterMark: options.highWaterMark ?? 1 },
    )
    return { stream, events }
  }

  /** A source that records cancels; it enqueues `chunks` then stays open (or closes / errors). */
  function recordingSource<T>(chunks: T[], end?: { close?: boolean; error?: unknown }) {
    const events: unknown[] = []
    const stream = impl.readable<T>({
      start(c) {
        for (const chunk of chunks) c.enqueue(chunk)
        if (end?.close) c.close()
        if (end?.error !== undefined) c.error(end.error)
      },
      cancel(reason) {
        events.push("cancel", reason)
      },
    })
    return { stream, events }
  }

  describe("close propagation forward", () => {
    it("a channel closed after its values closes the destination after the last write", async () => {
      const [tx, rx] = unbounded<string>()
      tx.trySend("a")
      tx.trySend("b")
      tx.close()
      const sink = recordingSink<string>()
      await toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream)
      expect(sink.events).toEqual(["write", "a", "write", "b", "close"])
    })

    it("preventClose: the destination stays open after the channel closed", async () => {
      const [tx, rx] = unbounded<string>()
      tx.close()
      const sink = recordingSink<string>()
      await toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream, { preventClose: true })
      expect(sink.events).toEqual([])
      expect(sink.stream.locked).toBe(false)
    })

    it("a source that closes releases the channel's sender behind toWritableStream", async () => {
      const [tx, rx] = unbounded<string>()
      const source = recordingSource(["a"], { close: true })
      await source.stream.pipeTo(toWritableStream(tx, { WritableStream }))
      expect(rx.tryReceiveMany()).toEqual(["a"])
      expect(rx.state).toBe("closed")
    })

    it("preventClose leaves the channel open behind toWritableStream", async () => {
      const [tx, rx] = unbounded<string>()
      const source = recordingSource(["a"], { close: true })
      await source.stream.pipeTo(toWritableStream(tx, { WritableStream }), { preventClose: true })
      expect([rx.state, rx.senders]).toEqual(["open", 1])
    })
  })

  describe("close propagation backward", () => {
    it("a channel cancelled behind toWritableStream cancels the source", async () => {
      const [tx, rx] = bounded<string>(4)
      const source = recordingSource<string>([])
      const piping = track(source.stream.pipeTo(toWritableStream(tx, { WritableStream })))
      await flush()
      rx.cancel("closed for business")
      await flush()
      expect(piping.status).toBe("rejected")
      expect(piping.error).toBeInstanceOf(ChannelClosedError)
      expect(source.events).toEqual(["cancel", piping.error])
      expect((piping.error as ChannelClosedError).cause).toBe("closed for business")
    })

    it("preventCancel: the source is left alone when the channel is cancelled", async () => {
      const [tx, rx] = bounded<string>(4)
      const source = recordingSource<string>([])
      const piping = source.stream.pipeTo(toWritableStream(tx, { WritableStream }), { preventCancel: true })
      await flush()
      rx.cancel()
      await expect(piping).rejects.toBeInstanceOf(ChannelClosedError)
      expect(source.events).toEqual([])
      expect(source.stream.locked).toBe(false)
    })

    it("a destination that closes cancels toReadableStream's channel and leaves later values unsent", async () => {
      const [tx, rx] = bounded<string>(4)
      const sink = recordingSink<string>()
      await sink.stream.close()
      await expect(toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream)).rejects.toBeInstanceOf(TypeError)
      expect(rx.state).toBe("cancelled")
      await expect(tx.send("late")).rejects.toBeInstanceOf(ChannelClosedError)
    })
  })

  describe("error propagation forward", () => {
    it("a channel closed with a reason aborts the destination after the last write", async () => {
      const [tx, rx] = unbounded<string>()
      tx.trySend("a")
      tx.close("bad")
      const sink = recordingSink<string>()
      await expect(toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream)).rejects.toBe("bad")
      expect(sink.events).toEqual(["write", "a", "abort", "bad"])
    })

    it("preventAbort: the destination is not aborted", async () => {
      const [tx, rx] = unbounded<string>()
      tx.close("bad")
      const sink = recordingSink<string>()
      await expect(toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream, { preventAbort: true })).rejects.toBe(
        "bad",
      )
      expect(sink.events).toEqual([])
    })

    it("a source that errors closes the channel with the error behind toWritableStream", async () => {
      const [tx, rx] = unbounded<string>()
      const source = recordingSource(["a"], { error: "boom" })
      await expect(source.stream.pipeTo(toWritableStream(tx, { WritableStream }))).rejects.toBe("boom")
      await expect(rx.receive()).rejects.toBe("boom")
    })
  })

  describe("error propagation backward", () => {
    it("a destination whose write fails cancels toReadableStream: the channel cancels, senders are refused", async () => {
      const [tx, rx] = unbounded<string>()
      tx.trySend("a")
      tx.trySend("b")
      const sink = recordingSink<string>({
        write: () => {
          throw "refused"
        },
      })
      await expect(toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream)).rejects.toBe("refused")
      expect(sink.events).toEqual(["write", "a"])
      expect(rx.state).toBe("cancelled")
      expect(rx.stats.dropped.cancel).toBe(1)
    })

    it("preventCancel: the channel is left open and keeps the values not read", async () => {
      const [tx, rx] = unbounded<string>()
      tx.trySend("a")
      tx.trySend("b")
      const sink = recordingSink<string>({
        write: () => {
          throw "refused"
        },
      })
      const stream = toReadableStream(rx.clone(), { ReadableStream })
      await expect(stream.pipeTo(sink.stream, { preventCancel: true })).rejects.toBe("refused")
      expect(rx.state).toBe("open")
      expect(rx.tryReceiveMany()).toEqual(["b"])
    })
  })

  describe("flow control", () => {
    it("a destination that does not consume fast enough leaves the values in the channel", async () => {
      const [tx, rx] = unbounded<number>()
      for (let i = 0; i < 10; i++) tx.trySend(i)
      const release: (() => void)[] = []
      const sink = recordingSink<number>({ write: () => new Promise<void>((r) => release.push(r)) })
      const piping = toReadableStream(rx, { ReadableStream }).pipeTo(sink.stream)
      await flush()
      // One write in flight fills the destination (highWaterMark 1): pipeTo reads no more, the rest stays in the channel.
      expect(sink.events).toEqual(["write", 0])
      expect(rx.size).toBe(9)
      release.shift()!()
      await flush()
      expect(sink.events).toEqual(["write", 0, "write", 1])
      expect(rx.size).toBe(8)
      tx.close()
      while (release.length > 0 || rx.size > 0) {
        release.shift()?.()
        await flush()
      }
      await piping
      expect(sink.events.filter((e) => e !== "write")).toEqual([...Array(10).keys(), "close"])
    })

    it("a channel that is full holds the pipe: the source is read only as the channel drains", async () => {
      let pulls = 0
      const source = impl.readable<number>({ pull: (c) => c.enqueue(pulls++) }, { highWaterMark: 0 })
      const [tx, rx] = bounded<number>(2)
      void source.pipeTo(toWritableStream(tx, { WritableStream }))
      await flush()
      const before = pulls
      // Two buffered, one write in flight, at most one more queued by pipeTo and the source.
      expect(rx.size).toBe(2)
      expect(before).toBeLessThanOrEqual(5)
      await flush()
      expect(pulls).toBe(before)
      expect(await rx.receive()).toEqual({ done: false, value: 0 })
      await flush()
      expect(pulls).toBe(before + 1)
    })
  })

  describe("pipeThrough", () => {
    it("channel → TransformStream → channel carries every value and the close", async () => {
      const [inTx, inRx] = unbounded<string>()
      const [outTx, outRx] = unbounded<string>()
      for (const w of ["a", "b", "c"]) inTx.trySend(w)
      inTx.close()
      const upper = impl.transform<string, string>({ transform: (w, c) => c.enqueue(w.toUpperCase()) })
      await toReadableStream(inRx, { ReadableStream })
        .pipeThrough(upper)
        .pipeTo(toWritableStream(outTx, { WritableStream }))
      expect(outRx.tryReceiveMany()).toEqual(["A", "B", "C"])
      expect(outRx.state).toBe("closed")
    })

    it("aborting the pipe cancels the first channel's reader and closes the last channel with the reason", async () => {
      const [inTx, inRx] = unbounded<string>()
      const [outTx, outRx] = unbounded<string>()
      inTx.trySend("a")
      const controller = new AbortController()
      const identity = impl.transform<string, string>()
      const piping = toReadableStream(inRx, { ReadableStream })
        .pipeThrough(identity)
        .pipeTo(toWritableStream(outTx, { WritableStream }), { signal: controller.signal })
      await flush()
      controller.abort("stop")
      await expect(piping).rejects.toBe("stop")
      await flush()
      expect(outRx.tryReceiveMany()).toEqual(["a"])
      await expect(outRx.receive()).rejects.toBe("stop")
      expect(inRx.state).toBe("cancelled")
    })
  })
})
