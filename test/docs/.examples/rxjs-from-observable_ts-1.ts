import { fromObservable } from "@panama/rxjs"
import { interval, take } from "rxjs"

const rx = fromObservable(interval(1).pipe(take(5)), { capacity: 8, overflow: "reject" })
for await (const n of rx) console.log(n) // 0 1 2 3 4

export {}
