import { unbounded } from "@panama/channel"
const [tx, rx] = unbounded<string>()

export {}
