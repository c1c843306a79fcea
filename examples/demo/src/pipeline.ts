/**
 * The demo's pipeline, every stage a real use of a panama package:
 *
 *   HTTP server ──fetch──▶ body channel (byte-bounded, @panama/streams fromFetch)
 *     ──select──▶ one small channel per worker (fan-out: the chunk goes to any worker with room)
 *     ──▶ workers (checksum every byte) ──▶ RxJS Subject → scan (running total)
 *     ──@panama/rxjs subscribeToChannel──▶ Progress channel (sliding: keeps the newest)
 *     ──@panama/effect toStream──▶ an Effect ledger, the channel provided as a Layer
 *
 * Every channel is bounded, so a slow stage slows the one before it, back to the
 * socket: memory stays flat whatever the body size. The `Stats` object is what
 * the display reads; the pipeline only writes it.
 */

import { bounded, oneshot, recv, select, send, type OneshotReceiver, type Receiver, type Sender } from "@panama/channel"
import { ChannelService, toStream } from "@panama/effect"
import { subscribeToChannel } from "@panama/rxjs"
import { byteLength, fromFetch } from "@panama/streams"
import { Context, Effect, Stream } from "effect"
import { Subject, map, scan, tap } from "rxjs"
import { startServer, sumBytes, type Served } from "./server.js"

export interface Options {
  /** Body size in bytes. */
  readonly size: number
  /** The body channel's capacity in bytes. */
  readonly capacity: number
  readonly workers: number
  /** How long the dispatcher stops reading halfway through, to show backpressure. 0: no pause. */
  readonly pauseMs: number
}

export interface WorkerStats {
  readonly name: string
  readonly rx: Receiver<Uint8Array>
  /** A slow worker sleeps after each chunk; select sends it less. */
  readonly slow: boolean
  bytes: number
  chunks: number
  byteSum: number
}

/** A progress sample: the running total the RxJS pipeline computed. */
export interface Sample {
  readonly total: number
}

export interface Stats {
  readonly options: Options
  readonly startedAt: number
  url: string
  served: Served
  expectedByteSum: number
  body?: Receiver<Uint8Array>
  fetched: { bytes: number; chunks: number; mostBuffered: number }
  workers: WorkerStats[]
  rxjs: { emitted: number; delivered: number; dropped: number; progress?: Sender<Sample> }
  effect: { samples: number; lastTotal: number; channelState: string }
  phase: "starting" | "streaming" | "paused" | "draining" | "done"
  pausedAfter: number
  /** How far the server got ahead of the dispatcher while it was paused. */
  aheadDuringPause: number
  /** RSS once a tenth of the body has passed: the warmed-up baseline memory must stay near. */
  warmRss: number
  finishedAt: number
}

class Progress extends Context.Service<Progress, ChannelService<Sample>>()("demo/Progress") {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A worker: checksums every byte it is given. Owns its receiver. */
async function work(stats: WorkerStats, progress: Subject<number>): Promise<void> {
  using rx = stats.rx
  for await (const chunk of rx) {
    stats.byteSum = sumBytes(stats.byteSum, chunk)
    stats.bytes += chunk.byteLength
    stats.chunks++
    progress.next(chunk.byteLength)
    if (stats.slow) await sleep(2)
  }
}

/**
 * The fan-out: each chunk of the body goes to whichever worker's channel has
 * room (`select` over one send case per worker, a random one when several are
 * ready). A `stop` oneshot takes part too, so Ctrl-C ends a waiting select.
 */
async function dispatch(stats: Stats, body: Receiver<Uint8Array>, outs: Sender<Uint8Array>[], stop: OneshotReceiver<void>): Promise<void> {
  const { size, pauseMs } = stats.options
  let paused = pauseMs <= 0
  const stopCase = recv(stop)
  for await (const chunk of body) {
    stats.fetched.bytes += chunk.byteLength
    stats.fetched.chunks++
    stats.fetched.mostBuffered = Math.max(stats.fetched.mostBuffered, body.size)
    const r = await select([stopCase, ...outs.map((tx) => send(tx, chunk))])
    if (r.index === 0) break
    if (stats.warmRss === 0 && stats.fetched.bytes >= size / 10) stats.warmRss = process.memoryUsage.rss()
    if (!paused && stats.fetched.bytes >= size / 2) {
      // Backpressure on show: stop reading; the body channel fills, fetch stops reading the socket, the server waits.
      paused = true
      stats.phase = "paused"
      stats.pausedAfter = stats.fetched.bytes
      await sleep(pauseMs)
      stats.aheadDuringPause = stats.served.bytes - stats.pausedAfter
      stats.phase = "streaming"
    }
  }
  for (const tx of outs) tx.close()
}

/** The Effect side: the Progress channel comes from a Layer; a slow ledger reads it as a Stream. */
function ledger(stats: Stats, totals: Subject<number>) {
  const program = Effect.gen(function* () {
    const progress = yield* Progress
    // RxJS → channel: the adapter owns the service's sender and releases it when the Subject completes.
    stats.rxjs.progress = progress.sender
    subscribeToChannel(
      totals.pipe(
        scan((total, n) => total + n, 0),
        map((total): Sample => ({ total })),
        tap(() => stats.rxjs.emitted++),
      ),
      progress.sender,
      { overflow: "drop-oldest" },
    )
    yield* toStream(progress.receiver).pipe(
      Stream.mapEffect((sample) => Effect.as(Effect.sleep("10 millis"), sample)),
      Stream.runForEach((sample) =>
        Effect.sync(() => {
          stats.rxjs.delivered++
          stats.effect.samples++
          stats.effect.lastTotal = sample.total
        }),
      ),
    )
    return progress
  })
  const layer = ChannelService.layer(Progress, { capacity: 16, overflow: "drop-oldest", onDrop: () => void stats.rxjs.dropped++ })
  return Effect.runPromise(program.pipe(Effect.provide(layer))).then((progress) => {
    stats.effect.channelState = progress.sender.state
  })
}

export function createStats(options: Options): Stats {
  return {
    options,
    startedAt: performance.now(),
    url: "",
    served: { bytes: 0, done: false },
    expectedByteSum: 0,
    fetched: { bytes: 0, chunks: 0, mostBuffered: 0 },
    workers: [],
    rxjs: { emitted: 0, delivered: 0, dropped: 0 },
    effect: { samples: 0, lastTotal: 0, channelState: "open" },
    phase: "starting",
    pausedAfter: 0,
    aheadDuringPause: 0,
    warmRss: 0,
    finishedAt: 0,
  }
}

/** Runs the whole pipeline once; resolves when every stage has finished. `interrupt` stops it early. */
export async function run(stats: Stats, interrupt: Promise<void>): Promise<void> {
  const { size, capacity, workers } = stats.options
  const server = await startServer(size)
  stats.url = server.url
  stats.served = server.served
  stats.expectedByteSum = server.byteSum

  const [stopTx, stop] = oneshot<void>()
  void interrupt.then(() => stopTx.trySend(undefined))

  const progress = new Subject<number>()
  const effectDone = ledger(stats, progress)

  const outs: Sender<Uint8Array>[] = []
  for (let i = 0; i < workers; i++) {
    const [tx, rx] = bounded<Uint8Array>(2)
    outs.push(tx)
    stats.workers.push({ name: `worker ${i + 1}`, rx, slow: i === workers - 1 && workers > 1, bytes: 0, chunks: 0, byteSum: 0 })
  }
  const working = Promise.all(stats.workers.map((w) => work(w, progress)))

  const { response, rx: body } = await fromFetch(server.url, undefined, { capacity, size: byteLength })
  if (!response.ok) throw new Error(`server answered ${response.status}`)
  stats.body = body
  stats.phase = "streaming"
  await dispatch(stats, body, outs, stop)
  body.cancel()
  stats.phase = "draining"
  await working
  progress.complete()
  await effectDone
  server.close()
  stats.phase = "done"
  stats.finishedAt = performance.now()
}
