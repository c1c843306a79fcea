/**
 * A channel over a WHATWG `ReadableStream` (native or polyfill): the producer
 * calls `controller.enqueue`, consumers share one reader and `await
 * reader.read()`. Bounded: `highWaterMark` = capacity, and a send waits while
 * `desiredSize <= 0` until the stream calls `pull` (a read made room, or at
 * highWaterMark 0 a reader is waiting: rendezvous). Unbounded: no `pull`,
 * `highWaterMark` Infinity, enqueue never waits.
 */
export function streamPeer(ReadableStream, label) {
  return {
    label,
    capacities: ["unbounded", "bounded", "rendezvous"],
    make(capacity) {
      const ch = { controller: undefined, reader: undefined, waiting: [], credit: false }
      const source = { start: (c) => void (ch.controller = c) }
      if (capacity !== Infinity) {
        source.pull = () => {
          // The stream wants a value: wake one waiting sender, or let the next one through.
          if (ch.waiting.length > 0) ch.waiting.shift()()
          else ch.credit = true
        }
      }
      ch.reader = new ReadableStream(source, { highWaterMark: capacity }).getReader()
      return ch
    },
    send,
    async produce(ch, from, to) {
      for (let i = from; i < to; i++) await send(ch, i)
    },
    async consume({ reader }) {
      let count = 0
      let sum = 0
      for (;;) {
        const { value } = await reader.read()
        if (value < 0) return { count, sum }
        count++
        sum += value
      }
    },
    async ping(a, b, n) {
      for (let i = 0; i < n; i++) {
        await send(a, i)
        const { value } = await b.reader.read()
        if (value !== i) throw new Error(`ping ${i} answered ${value}`)
      }
      await send(a, -1)
    },
    async pong(a, b) {
      for (;;) {
        const { value } = await a.reader.read()
        if (value < 0) return
        await send(b, value)
      }
    },
    fill({ controller }, from, to) {
      for (let i = from; i < to; i++) controller.enqueue(i)
    },
  }
}

function send(ch, v) {
  if (ch.controller.desiredSize > 0 || ch.credit) {
    ch.credit = false
    ch.controller.enqueue(v)
    return undefined
  }
  return new Promise((resolve) => ch.waiting.push(resolve)).then(() => {
    ch.credit = false
    ch.controller.enqueue(v)
  })
}
