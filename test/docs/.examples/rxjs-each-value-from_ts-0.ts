import { eachValueFrom } from "@panama/rxjs"
import { interval } from "rxjs"

for await (const n of eachValueFrom(interval(5), { capacity: 16, overflow: "drop-oldest" })) {
  if (n >= 3) break // unsubscribes interval
}

export {}
