/**
 * A tour of @panama/channel: each scene runs real channel code and prints
 * what happened, so a newcomer sees the semantics rather than reads them.
 */

import {
  bounded,
  channel,
  ChannelClosedError,
  dropping,
  recv,
  rendezvous,
  select,
  sliding,
  unbounded,
} from "@panama/channel"

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s)
const scene = (title: string): void => console.log(`\n${bold(title)}`)
const say = (s: string): void => console.log(`  ${s}`)

async function producersAndConsumers(): Promise<void> {
  scene("1. Three producers, two consumers, a bounded channel of 4")
  const [tx, rx] = bounded<string>(4)
  const producers = ["A", "B", "C"].map(async (name) => {
    const mine = tx.clone()
    for (let i = 1; i <= 4; i++) await mine.send(`${name}${i}`)
    mine.close()
  })
  tx.close() // the clones keep the channel open; the last close closes it
  const consumers = ["left", "right"].map(async (name) => {
    const mine = rx.clone()
    const got: string[] = []
    for await (const job of mine) {
      got.push(job)
      await Promise.resolve() // let the other consumer take a turn
    }
    mine.cancel()
    return `${name} got ${got.join(" ")}`
  })
  rx.cancel()
  await Promise.all(producers)
  for (const line of await Promise.all(consumers)) say(line)
  say(dim(`every value went to exactly one consumer; state is now "${tx.state}"`))
}

async function closeIsGraceful(): Promise<void> {
  scene("2. close() is graceful: what was accepted is still delivered")
  const [tx, rx] = bounded<number>(2)
  await tx.send(1)
  await tx.send(2)
  const waiting = tx.send(3) // the buffer is full: this sender waits
  tx.close()
  say(`after close: state "${rx.state}", ${rx.size} buffered, ${rx.pendingSends} sender waiting`)
  const seen: number[] = []
  for await (const v of rx) seen.push(v)
  await waiting
  say(`received ${seen.join(", ")} and then done; state "${rx.state}"`)
  await tx.send(4).catch((e: unknown) => {
    if (e instanceof ChannelClosedError) say(`a send after close is refused and the value comes back: ${String(e.value)}`)
  })
}

async function cancelIsImmediate(): Promise<void> {
  scene("3. cancel() is immediate: buffered values go to onDrop, waiting senders get theirs back")
  const [tx, rx] = channel<string>({
    capacity: 2,
    onDrop: (v, reason) => say(`onDrop(${v}, "${reason}")`),
  })
  await tx.sendAll(["x", "y"])
  const waiting = tx.send("z")
  rx.cancel("shutting down")
  await waiting.catch((e: unknown) => {
    if (e instanceof ChannelClosedError) say(`waiting send rejected with its value "${String(e.value)}", cause "${String(e.cause)}"`)
  })
  say(`state "${tx.state}"`)
}

async function overflowPolicies(): Promise<void> {
  scene("4. Overflow: drop-newest, drop-oldest, reject")
  const report = (name: string) => (v: number) => say(`${name}: dropped ${v}`)
  const [dtx, drx] = dropping<number>(2, { onDrop: report("dropping") })
  const [stx, srx] = sliding<number>(2, { onDrop: report("sliding ") })
  for (let i = 1; i <= 4; i++) {
    dtx.trySend(i)
    stx.trySend(i)
  }
  say(`dropping keeps ${drx.tryReceiveMany().join(", ")}; sliding keeps ${srx.tryReceiveMany().join(", ")}`)
  const [rtx] = channel<number>({ capacity: 1, overflow: "reject" })
  rtx.trySend(1)
  const r = rtx.trySend(2)
  if (!r.ok) say(`reject: trySend(2) → { ok: false, reason: "${r.reason}", value: ${r.value} }`)
}

async function nothingLostToCancellation(): Promise<void> {
  scene("5. Abort and timeout: nothing is lost to cancellation")
  const [tx, rx] = rendezvous<string>()
  const controller = new AbortController()
  const first = rx.receive({ signal: controller.signal })
  controller.abort(new Error("user pressed stop"))
  await first.catch((e: Error) => say(`aborted receive rejected: ${e.message}; it took nothing`))
  await rx.receive({ timeout: 5 }).catch((e: DOMException) => say(`receive with timeout 5 ms: ${e.name}`))
  const sent = tx.send("kept")
  say(`the next receiver still gets: ${JSON.stringify(await rx.receive())}`)
  await sent
}

async function selectOverChannels(): Promise<void> {
  scene("6. select: one case wins, the others take nothing")
  const [jobsTx, jobs] = unbounded<string>()
  const [, urgent] = unbounded<string>()
  setTimeout(() => jobsTx.trySend("resize image"), 1)
  const r = await select([recv(jobs), recv(urgent)], { timeout: 1000 })
  switch (r.index) {
    case 0:
      if (!r.value.done) say(`case 0 (jobs) won with "${r.value.value}"`)
      break
    case 1:
      say("case 1 (urgent) won")
      break
  }
  say(dim(`pending receives left behind: ${jobs.pendingReceives + urgent.pendingReceives}`))
}

await producersAndConsumers()
await closeIsGraceful()
await cancelIsImmediate()
await overflowPolicies()
await nothingLostToCancellation()
await selectOverChannels()
console.log(`\n${bold("Tour complete.")} Next: npm test, then packages/channel/README.md`)
