/**
 * `fromFetch`: a `fetch` whose body arrives through a channel.
 */

import { channel, type ChannelOptions, type Receiver } from "@panama/channel"
import { pipeToChannel } from "./pipe.js"

/** Options of `fromFetch`: the body channel's options, and the `fetch` to call. */
export interface FromFetchOptions extends ChannelOptions<Uint8Array> {
  /**
   * The `fetch` function to call.
   * @defaultValue globalThis.fetch
   */
  readonly fetch?: typeof globalThis.fetch
}

/** What `fromFetch` resolves with. */
export interface FetchedChannel {
  /** The response. Its `body` is locked: it is read by the pipe that feeds `rx`. */
  readonly response: Response
  /** The body's chunks, in order. Done at the end of the body (at once for a response without one). */
  readonly rx: Receiver<Uint8Array>
}

/**
 * Calls `fetch(input, init)` and pipes the response body into a new channel
 * made with `options` (`pipeToChannel`). Resolves once the headers arrived;
 * rejects where `fetch` rejects. The status is not checked: look at
 * `response.ok`. For a capacity in bytes, give the channel a `size`, e.g.
 * `{ capacity: 1 << 20, size: byteLength }`; the body is then read from the
 * socket only as fast as the channel is drained.
 *
 * Close semantics: the end of the body closes the channel; a body that fails
 * (connection lost, `init.signal` aborted) closes it with the error, after the
 * chunks that arrived before.
 *
 * Cancellation: cancelling the channel (`rx.cancel()` on its last receiver)
 * cancels the body, which closes the connection.
 *
 * @example
 * ```ts
 * import { byteLength, fromFetch } from "@panama/streams"
 *
 * const { response, rx } = await fromFetch("https://example.com/", undefined, {
 *   capacity: 1 << 20,
 *   size: byteLength,
 * })
 * console.log(response.status)
 * let total = 0
 * for await (const chunk of rx) total += chunk.byteLength
 * console.log(total)
 * ```
 */
export async function fromFetch(
  input: RequestInfo | URL,
  init?: RequestInit,
  options: FromFetchOptions = {},
): Promise<FetchedChannel> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object")
  const { fetch: fetchFn = globalThis.fetch, ...channelOptions } = options
  if (typeof fetchFn !== "function") throw new TypeError("fetch must be a function")
  // Options are checked before the request goes out.
  const [tx, rx] = channel<Uint8Array>(channelOptions)
  let response: Response
  try {
    response = await fetchFn(input, init)
  } catch (error) {
    tx.close(error)
    throw error
  }
  const body = response.body
  if (body === null) tx.close()
  else pipeToChannel(body, tx).catch(ignore)
  return { response, rx }
}

/**
 * The byte length of a chunk: a `size` for channels whose capacity is in
 * bytes (`ByteLengthQueuingStrategy` semantics).
 *
 * @example
 * ```ts
 * import { bounded } from "@panama/channel"
 * import { byteLength } from "@panama/streams"
 *
 * const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: byteLength })
 * ```
 */
export function byteLength(chunk: ArrayBufferView): number {
  return chunk.byteLength
}

function ignore(): void {}
