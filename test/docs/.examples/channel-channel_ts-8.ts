import { rendezvous } from "@panama/channel"
const [tx, rx] = rendezvous<string>()

export {}
