import { channel } from "@panama/channel"

const [tx, rx] = channel<string>({ capacity: 16 })
void (async () => {
  for (const job of ["a", "b", "c"]) await tx.send(job)
  tx.close()
})()
for await (const job of rx) console.log(job)

export {}
