/**
 * A hot RxJS source into a pull consumer. The source (a Subject fed in bursts,
 * like a sensor or a websocket) cannot be paused; the consumer is slower. The
 * bridge, `fromObservable` from @panama/rxjs, puts a bounded channel between
 * them and a drop policy decides what a full channel does:
 *
 * - "drop-oldest" (sliding): the consumer always sees the newest values;
 * - "drop-newest" (dropping): the consumer sees the oldest values it had room for.
 *
 * Either way nothing piles up and nothing vanishes silently: every emitted
 * value is delivered or reported to `onDrop`, so delivered + dropped = emitted.
 *
 * Usage: node dist/rxjs-bridge.js [bursts=20] [burstSize=50] [capacity=16]
 */

import { fromObservable, type OverflowPolicy } from "@panama/rxjs"
import { Subject, map, tap } from "rxjs"

const [bursts = 20, burstSize = 50, capacity = 16] = process.argv.slice(2).map(Number)

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

async function bridge(overflow: OverflowPolicy): Promise<void> {
  const readings = new Subject<number>()
  let emitted = 0
  const dropped: number[] = []
  // An RxJS pipeline upstream of the bridge: count what leaves it.
  const source = readings.pipe(
    map((n) => n * 10),
    tap(() => emitted++),
  )
  const rx = fromObservable(source, { capacity, overflow, onDrop: (v) => dropped.push(v) })

  // The hot producer: a burst per turn of the event loop, whatever the consumer does.
  void (async () => {
    let n = 0
    for (let b = 0; b < bursts; b++) {
      for (let i = 0; i < burstSize; i++) readings.next(n++)
      await tick()
    }
    readings.complete()
  })()

  // The pull consumer: one value per turn of the event loop, slower than the bursts.
  const delivered: number[] = []
  let mostBuffered = 0
  for await (const v of rx) {
    delivered.push(v)
    mostBuffered = Math.max(mostBuffered, rx.size)
    await tick()
  }

  const inOrder = delivered.every((v, i) => i === 0 || v > delivered[i - 1]!)
  const all = new Set([...delivered, ...dropped])
  console.log(`${overflow}: emitted ${emitted}, delivered ${delivered.length}, dropped ${dropped.length}`)
  console.log(`${overflow}: delivered + dropped = emitted: ${delivered.length + dropped.length === emitted && all.size === emitted}`)
  console.log(`${overflow}: first delivered ${delivered[0]}, last delivered ${delivered.at(-1)}, in order: ${inOrder}`)
  console.log(`${overflow}: most buffered at once: ${mostBuffered} (capacity ${capacity}); channel ${rx.state}`)
}

console.log(`rxjs-bridge: ${bursts} bursts of ${burstSize} values, channel capacity ${capacity}`)
await bridge("drop-oldest")
await bridge("drop-newest")
