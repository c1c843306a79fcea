/** `web-streams-polyfill`'s `ReadableStream` (see streams.js for the adapter). */
import { ReadableStream } from "web-streams-polyfill"
import { streamPeer } from "./streams.js"

export default streamPeer(ReadableStream, "web-streams-polyfill ReadableStream")
