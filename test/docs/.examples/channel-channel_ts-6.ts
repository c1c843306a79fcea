import { bounded } from "@panama/channel"
const [tx, rx] = bounded<Uint8Array>(1 << 20, { size: (chunk) => chunk.byteLength })

export {}
