import { bounded, recv, select } from "@panama/channel"

const [jobsTx, jobs] = bounded<string>(16)          // at most 16 waiting jobs
const [doneTx, done] = bounded<string>(16)

async function worker(id: number) {
  using rx = jobs.clone()                           // released when the worker returns
  for await (const job of rx) await doneTx.send(`${job} by worker ${id}`)
}

const workers = [1, 2, 3].map(worker)
jobs.cancel()                                       // the clones keep consuming
for (const url of ["/a", "/b", "/c", "/d"]) await jobsTx.send(url)  // waits when 16 are queued
jobsTx.close()                                      // graceful: workers drain, then stop

for (let i = 0; i < 4; i++) {
  const r = await select([recv(done)], { timeout: 5000 })
  if (!r.value.done) console.log(r.value.value)
}
await Promise.all(workers)

export {}
