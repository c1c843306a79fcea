import { bounded } from "@panama/channel"
import { toObservable } from "@panama/rxjs"
import { map, share } from "rxjs"

const [tx, rx] = bounded<number>(16)
const doubled = toObservable(rx).pipe(map((n) => n * 2), share())
doubled.subscribe((n) => console.log("a", n))
doubled.subscribe((n) => console.log("b", n)) // a and b both see every value
await tx.send(1)
tx.close()

export {}
