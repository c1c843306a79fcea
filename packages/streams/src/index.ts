export { toReadableStream, type ToReadableStreamOptions, type ReadableStreamConstructor } from "./readable.js"
export { toWritableStream, type ToWritableStreamOptions, type WritableStreamConstructor } from "./writable.js"
export { pipeToChannel, fromReadableStream, type PipeToChannelOptions } from "./pipe.js"
export { fromFetch, byteLength, type FromFetchOptions, type FetchedChannel } from "./fetch.js"
