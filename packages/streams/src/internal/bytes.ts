/**
 * Byte helpers for `type: "bytes"` streams.
 *
 * NOTE: a byte stream's `enqueue` transfers (detaches) the chunk's whole
 * `ArrayBuffer`. Node's small `Buffer`s are views into a shared 8 KiB pool, so
 * transferring one would detach every other `Buffer` in that pool
 * (https://github.com/nodejs/node/issues/39311). A view that does not span its
 * whole buffer is therefore copied; only a view that owns its buffer is
 * transferred.
 */

/** A `Uint8Array` over the same bytes as `view`. */
export function asBytes(view: ArrayBufferView): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

/** `view` itself if the stream may transfer its buffer, else a copy that owns its own. */
export function transferable(view: ArrayBufferView): ArrayBufferView<ArrayBuffer> {
  const buffer = view.buffer
  const owns =
    view.byteOffset === 0 &&
    view.byteLength === buffer.byteLength &&
    !(typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer)
  return owns ? (view as ArrayBufferView<ArrayBuffer>) : copy(view)
}

// NOTE: not `view.slice()`: `Buffer#slice` shares memory instead of copying.
function copy(view: ArrayBufferView): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(view.byteLength)
  out.set(asBytes(view))
  return out
}
