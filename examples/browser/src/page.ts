/**
 * What runs inside the page. It imports @panama/channel and @panama/streams
 * exactly as an app would (bare specifiers, resolved by the page's import map
 * to the packages' built output), runs three scenes with the browser's own
 * streams and fetch, and publishes the outcome as `window.panamaResult`.
 */

import { bounded, unbounded } from "@panama/channel"
import { byteLength, fromFetch, toReadableStream, toWritableStream } from "@panama/streams"

export interface PageResult {
  readonly userAgent: string
  /** Scene 1: a channel of strings read as a ReadableStream through TextEncoderStream into a Response. */
  readonly text: string
  /** Scene 2: a fetch body through a byte-bounded channel. */
  readonly fetched: { bytes: number; checksum: number; chunks: number; mostBuffered: number; capacity: number; state: string }
  /** Scene 3: a ReadableStream piped into a channel through toWritableStream. */
  readonly piped: { received: number[]; state: string }
  readonly error?: string
}

/** The checksum the server computes too: a 32-bit rolling hash over every byte. */
function update(sum: number, chunk: Uint8Array): number {
  for (let i = 0; i < chunk.length; i++) sum = (Math.imul(sum, 31) + chunk[i]!) >>> 0
  return sum
}

async function channelToResponse(): Promise<string> {
  const [tx, rx] = unbounded<string>()
  for (const word of ["hello", " ", "from", " ", "a", " ", "channel"]) tx.trySend(word)
  tx.close()
  return new Response(toReadableStream(rx).pipeThrough(new TextEncoderStream())).text()
}

async function fetchIntoChannel(bytes: number, capacity: number): Promise<PageResult["fetched"]> {
  const { response, rx } = await fromFetch(`/data?bytes=${bytes}`, undefined, { capacity, size: byteLength })
  if (!response.ok) throw new Error(`status ${response.status}`)
  let received = 0
  let checksum = 0
  let chunks = 0
  let mostBuffered = 0
  for await (const chunk of rx) {
    received += chunk.byteLength
    checksum = update(checksum, chunk)
    chunks++
    mostBuffered = Math.max(mostBuffered, rx.size)
  }
  return { bytes: received, checksum, chunks, mostBuffered, capacity, state: rx.state }
}

async function streamIntoChannel(): Promise<PageResult["piped"]> {
  const [tx, rx] = bounded<number>(2)
  const source = new ReadableStream<number>({
    start(controller) {
      for (let i = 1; i <= 10; i++) controller.enqueue(i)
      controller.close()
    },
  })
  const piping = source.pipeTo(toWritableStream(tx))
  const received: number[] = []
  for await (const n of rx) received.push(n)
  await piping
  return { received, state: rx.state }
}

async function run(): Promise<PageResult> {
  const params = new URLSearchParams(location.search)
  const bytes = Number(params.get("bytes") ?? 4 << 20)
  const capacity = Number(params.get("capacity") ?? 1 << 20)
  const text = await channelToResponse()
  const fetched = await fetchIntoChannel(bytes, capacity)
  const piped = await streamIntoChannel()
  return { userAgent: navigator.userAgent, text, fetched, piped }
}

declare global {
  interface Window {
    panamaResult?: PageResult
  }
}

run().then(
  (result) => {
    window.panamaResult = result
  },
  (error: unknown) => {
    window.panamaResult = { error: String(error) } as PageResult
  },
)
