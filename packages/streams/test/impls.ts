/**
 * The two stream implementations every adapter test runs against: Node's own
 * and web-streams-polyfill. Their constructors are passed to the adapters;
 * the two are never mixed within one test.
 */

import * as polyfill from "web-streams-polyfill"
import type { ReadableStreamConstructor, WritableStreamConstructor } from "../src/index.js"

export interface Impl {
  readonly name: string
  readonly ReadableStream: ReadableStreamConstructor
  readonly WritableStream: WritableStreamConstructor
  readonly TransformStream: new (...args: never[]) => unknown
  /** A plain `ReadableStream` of this implementation, typed as the global one. */
  readable<T>(source: UnderlyingDefaultSource<T>, strategy?: QueuingStrategy<T>): ReadableStream<T>
  /** A plain `WritableStream` of this implementation, typed as the global one. */
  writable<T>(sink: UnderlyingSink<T>, strategy?: QueuingStrategy<T>): WritableStream<T>
  /** A `TransformStream` of this implementation, typed as the global one. */
  transform<I, O>(transformer?: Transformer<I, O>): TransformStream<I, O>
}

function impl(name: string, R: unknown, W: unknown, T: unknown): Impl {
  const RS = R as typeof globalThis.ReadableStream
  const WS = W as typeof globalThis.WritableStream
  const TS = T as typeof globalThis.TransformStream
  return {
    name,
    ReadableStream: RS,
    WritableStream: WS,
    TransformStream: TS,
    readable: (source, strategy) => new RS(source, strategy),
    writable: (sink, strategy) => new WS(sink, strategy),
    transform: (transformer) => new TS(transformer),
  }
}

export const impls: readonly Impl[] = [
  impl("native", globalThis.ReadableStream, globalThis.WritableStream, globalThis.TransformStream),
  impl("web-streams-polyfill", polyfill.ReadableStream, polyfill.WritableStream, polyfill.TransformStream),
]

/** Lets every queued microtask (and the promise jobs they queue) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

/** Tracks a promise's state without awaiting it. */
export function track<T>(p: Promise<T>): { status: "pending" | "fulfilled" | "rejected"; value?: T; error?: unknown } {
  const t: { status: "pending" | "fulfilled" | "rejected"; value?: T; error?: unknown } = { status: "pending" }
  p.then(
    (value) => {
      t.status = "fulfilled"
      t.value = value
    },
    (error: unknown) => {
      t.status = "rejected"
      t.error = error
    },
  )
  return t
}
