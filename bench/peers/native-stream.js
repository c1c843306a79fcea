/** The native `ReadableStream` of Node (see streams.js for the adapter). */
import { streamPeer } from "./streams.js"

export default streamPeer(globalThis.ReadableStream, "native ReadableStream")
