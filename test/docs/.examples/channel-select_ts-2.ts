import { bounded, recv, select, send } from "@panama/channel"

const [jobsTx, jobs] = bounded<number>(4)
const [results] = bounded<string>(4)
jobsTx.trySend(7)
const r = await select([recv(jobs), send(results, "idle")], { biased: true })
switch (r.index) {
  case 0: if (!r.value.done) console.log("job", r.value.value); break
  case 1: console.log("reported idle"); break
}

export {}
