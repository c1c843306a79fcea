/**
 * The peer interface every adapter in this folder exports (as `default`):
 *
 *   label                  the name printed in the tables
 *   capacities             which of "unbounded" | "bounded" | "rendezvous" it can make,
 *                          plus "select" / "broadcast" when it has selectLoop / fanout
 *   only?                  scenario ids it applies to (default: every scenario its capacities allow)
 *   make(capacity)         a channel; capacity is an integer >= 0 or Infinity
 *   send(ch, v)            one send, waiting as the peer waits (Promise or undefined)
 *   produce(ch, from, to)  sends from, from+1, ..., to-1 in order with the peer's idiom
 *   consume(ch)            receives until a negative value; resolves { count, sum } of the others
 *   ping(a, b, n)          n round trips: send i on a, receive the answer on b; then -1 on a
 *   pong(a, b)             answers every value received on a on b, until a negative value
 *   fill(ch, from, to)     synchronous sends, no waiting (unbounded only: burst, heap)
 *   selectLoop(k, n)       n values from k supplied channels into one consumer that waits on
 *                          whichever is ready; resolves { count, sum } (see multi.js)
 *   fanout(k, n)           0..n-1 broadcast to k receivers; resolves one { count, sum } each
 *
 * Negative values are end markers, so no peer needs close semantics to stop.
 * `awaitEveryMessage` derives the loops from a peer's `send` / `receive`
 * (receive resolving the bare value): `await` on every message, both sides.
 */
export function awaitEveryMessage({ label, capacities, only, make, send, receive }) {
  return {
    label,
    capacities,
    only,
    make,
    send,
    async produce(ch, from, to) {
      for (let i = from; i < to; i++) await send(ch, i)
    },
    async consume(ch) {
      let count = 0
      let sum = 0
      for (;;) {
        const v = await receive(ch)
        if (v < 0) return { count, sum }
        count++
        sum += v
      }
    },
    async ping(a, b, n) {
      for (let i = 0; i < n; i++) {
        await send(a, i)
        const v = await receive(b)
        if (v !== i) throw new Error(`ping ${i} answered ${v}`)
      }
      await send(a, -1)
    },
    async pong(a, b) {
      for (;;) {
        const v = await receive(a)
        if (v < 0) return
        await send(b, v)
      }
    },
    fill(ch, from, to) {
      for (let i = from; i < to; i++) send(ch, i)
    },
  }
}
