import { bounded, recv, select } from "@panama/channel"

const [, jobs] = bounded<string>(8)
const [, quit] = bounded<void>(1)
const r = await select([recv(jobs), recv(quit)], { timeout: 10 }).catch(() => undefined)
if (r?.index === 0 && !r.value.done) console.log("job", r.value.value)

export {}
