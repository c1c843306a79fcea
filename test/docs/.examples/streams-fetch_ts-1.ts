import { bounded } from "@panama/channel"
import { byteLength } from "@panama/streams"

const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: byteLength })

export {}
