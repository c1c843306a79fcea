import { bounded, ChannelClosedError, rendezvous, unbounded } from "@panama/channel"
import { describe, expect, it } from "vitest"
import { fromReadableStream, pipeToChannel } from "../src/index.js"
import { flush, impls, track } from "./impls.js"

describe.each(impls)("pipeToChannel ($name)", (impl) => {
  /** A source of 0, 1, 2, … that enqueues one number per pull and counts its pulls and cancels. */
  function counting(limit = Infinity) {
    const log = { pulls: 0, cancels: [] as unknown[] }
    const stream = impl.readable<number>(
      {
        pull(c) {
          if (log.pulls === limit) c.close()
          else c.enqueue(log.pulls++)
        },
        cancel(reason) {
          log.cancels.push(reason)
        },
      },
      { highWaterMark: 0 },
    )
    return { stream, log }
  }

  /** A source that never produces; it records its cancel reasons. */
  function idle() {
    const cancels: unknown[] = []
    const stream = impl.readable<number>({ cancel: (r) => void cancels.push(r) }, { highWaterMark: 0 })
    return { stream, cancels }
  }

  it("reads the next chunk only once the channel accepted the previous one", async () => {
    const { stream, log } = counting()
    const [tx, rx] = bounded<number>(1)
    void pipeToChannel(stream, tx)
    await flush()
    // 0 is buffered, 1 waits as a sender: two reads, no third.
    expect([log.pulls, rx.size, rx.pendingSends]).toEqual([2, 1, 1])
    expect(await rx.receive()).toEqual({ done: false, value: 0 })
    await flush()
    expect(log.pulls).toBe(3)
  })

  it("the source closing releases the sender: receivers get every chunk, then done", async () => {
    const { stream } = counting(3)
    const [tx, rx] = unbounded<number>()
    await pipeToChannel(stream, tx)
    expect(rx.tryReceiveMany()).toEqual([0, 1, 2])
    expect(await rx.receive()).toEqual({ done: true, value: undefined })
  })

  it("preventClose keeps the sender open for the caller", async () => {
    const { stream } = counting(1)
    const [tx, rx] = unbounded<number>()
    await pipeToChannel(stream, tx, { preventClose: true })
    expect(tx.trySend(9)).toEqual({ ok: true })
    expect(rx.tryReceiveMany()).toEqual([0, 9])
  })

  it("the source erroring closes the channel with the error, after the chunks read before", async () => {
    let n = 0
    const stream = impl.readable<number>({ pull: (c) => (n < 2 ? c.enqueue(n++) : c.error("broken")) })
    const [tx, rx] = unbounded<number>()
    await expect(pipeToChannel(stream, tx)).rejects.toBe("broken")
    expect(await rx.receive()).toEqual({ done: false, value: 0 })
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    await expect(rx.receive()).rejects.toBe("broken")
  })

  it("preventAbort leaves the channel open when the source errors", async () => {
    const stream = impl.readable<number>({ start: (c) => c.error("broken") })
    const [tx] = unbounded<number>()
    await expect(pipeToChannel(stream, tx, { preventAbort: true })).rejects.toBe("broken")
    expect(tx.state).toBe("open")
  })

  it("the channel cancelled while a read waits cancels the source at once", async () => {
    const { stream, cancels } = idle()
    const [tx, rx] = bounded<number>(1)
    const piping = track(pipeToChannel(stream, tx))
    await flush()
    rx.cancel("enough")
    await flush()
    expect(cancels).toHaveLength(1)
    expect(cancels[0]).toBeInstanceOf(ChannelClosedError)
    expect((cancels[0] as ChannelClosedError).cause).toBe("enough")
    expect(piping.status).toBe("rejected")
    expect(piping.error).toBe(cancels[0])
    expect(stream.locked).toBe(false)
  })

  it("the channel cancelled while a send waits cancels the source", async () => {
    const { stream, log } = counting()
    const [tx, rx] = rendezvous<number>()
    const piping = pipeToChannel(stream, tx)
    await flush()
    expect(rx.pendingSends).toBe(1)
    rx.cancel()
    await expect(piping).rejects.toBeInstanceOf(ChannelClosedError)
    expect(log.cancels).toHaveLength(1)
  })

  it("preventCancel leaves the source as it is and unlocked when the channel is cancelled", async () => {
    const { stream, cancels } = idle()
    const [tx, rx] = bounded<number>(1)
    const piping = pipeToChannel(stream, tx, { preventCancel: true })
    await flush()
    rx.cancel()
    await expect(piping).rejects.toBeInstanceOf(ChannelClosedError)
    expect(cancels).toEqual([])
    expect(stream.locked).toBe(false)
  })

  it("an abort withdraws the waiting send, closes the channel with the reason and cancels the source", async () => {
    const { stream, log } = counting()
    const [tx, rx] = bounded<number>(1)
    const controller = new AbortController()
    const piping = pipeToChannel(stream, tx, { signal: controller.signal })
    await flush()
    expect(rx.pendingSends).toBe(1)
    controller.abort("halt")
    await expect(piping).rejects.toBe("halt")
    expect(log.cancels).toEqual(["halt"])
    expect(rx.pendingSends).toBe(0)
    expect(await rx.receive()).toEqual({ done: false, value: 0 })
    await expect(rx.receive()).rejects.toBe("halt")
  })

  it("an abort while a read waits cancels the source at once", async () => {
    const { stream, cancels } = idle()
    const [tx, rx] = bounded<number>(1)
    const controller = new AbortController()
    const piping = pipeToChannel(stream, tx, { signal: controller.signal })
    await flush()
    controller.abort("halt")
    await expect(piping).rejects.toBe("halt")
    expect(cancels).toEqual(["halt"])
    await expect(rx.receive()).rejects.toBe("halt")
  })

  it("preventAbort and preventCancel: an abort touches neither side", async () => {
    const { stream, cancels } = idle()
    const [tx] = bounded<number>(1)
    const controller = new AbortController()
    const piping = pipeToChannel(stream, tx, { signal: controller.signal, preventAbort: true, preventCancel: true })
    await flush()
    controller.abort("halt")
    await expect(piping).rejects.toBe("halt")
    expect([cancels, tx.state, stream.locked]).toEqual([[], "open", false])
  })

  it("an already aborted signal stops before reading anything", async () => {
    const { stream, log } = counting()
    const [tx, rx] = bounded<number>(1)
    await expect(pipeToChannel(stream, tx, { signal: AbortSignal.abort("early") })).rejects.toBe("early")
    expect([log.pulls, log.cancels]).toEqual([0, ["early"]])
    await expect(rx.receive()).rejects.toBe("early")
  })

  it("a locked stream is refused with TypeError", async () => {
    const { stream } = idle()
    stream.getReader()
    const [tx] = bounded<number>(1)
    await expect(pipeToChannel(stream, tx)).rejects.toBeInstanceOf(TypeError)
    expect(() => fromReadableStream(stream)).toThrow(TypeError)
  })

  it("fromReadableStream gives a receiver fed by the stream; cancelling it cancels the source", async () => {
    const { stream, log } = counting()
    const rx = fromReadableStream(stream, { capacity: 2 })
    expect(await rx.receive()).toEqual({ done: false, value: 0 })
    expect(await rx.receive()).toEqual({ done: false, value: 1 })
    rx.cancel()
    await flush()
    expect(log.cancels).toHaveLength(1)
  })
})
