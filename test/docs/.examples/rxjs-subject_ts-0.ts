import { channelSubject } from "@panama/rxjs"
import { filter } from "rxjs"

const ticks = channelSubject<number>({ capacity: 256, overflow: "drop-oldest" })
ticks.pipe(filter((n) => n % 2 === 0)).subscribe((n) => console.log("even", n))
ticks.next(1)
ticks.next(2)
ticks.complete()
for await (const n of ticks) console.log(n) // joined after complete: ends at once

export {}
