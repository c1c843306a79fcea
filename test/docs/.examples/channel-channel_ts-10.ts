import { sliding } from "@panama/channel"
const [tx, rx] = sliding<number>(8)

export {}
