/**
 * Fan-in with `select`: several channels read by one loop.
 *
 * 1. Priorities: with `biased: true` the first ready case wins, so alerts
 *    overtake metrics and logs even when they arrive later; without it the
 *    choice among ready cases is uniformly random (fair).
 * 2. Timeouts: a select that waits too long rejects with TimeoutError and
 *    takes nothing; `trySelect` is Go's `default` case.
 * 3. Fan-in until every source is done: a finished source's case becomes
 *    `null` (Go's nil channel), so the loop keeps its indices and ends when
 *    every case is disabled.
 * 4. A send with a deadline: `select([send(out, v), recv(quit)])` either hands
 *    the value over or leaves nothing behind.
 */

import { oneshot, recv, rendezvous, select, send, trySelect, unbounded, type Receiver } from "@panama/channel"

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function priorities(): Promise<void> {
  console.log("1. priorities")
  const [alertTx, alerts] = unbounded<string>()
  const [metricTx, metrics] = unbounded<string>()
  const [logTx, logs] = unbounded<string>()
  for (const m of ["M1", "M2", "M3"]) metricTx.trySend(m)
  for (const l of ["L1", "L2", "L3"]) logTx.trySend(l)
  alertTx.trySend("A1")
  metricTx.close()
  logTx.close()

  const order: string[] = []
  let cases: [Receiver<string> | null, Receiver<string> | null, Receiver<string> | null] = [alerts, metrics, logs]
  while (cases.some((c) => c !== null)) {
    const r = await select(cases.map((c) => (c === null ? null : recv(c))), { biased: true })
    const v = r.value as { done: boolean; value?: string }
    if (v.done) {
      cases[r.index] = null
      continue
    }
    order.push(v.value!)
    // An alert that arrives while metrics are being read still goes first.
    if (v.value === "M1") alertTx.trySend("A2")
    if (v.value === "L1") alertTx.close()
  }
  console.log(`biased order: ${order.join(" ")}`)

  // Unbiased: two channels that are always ready; each is chosen about half the time.
  const [leftTx, left] = unbounded<number>()
  const [rightTx, right] = unbounded<number>()
  const rounds = 10_000
  for (let i = 0; i < rounds; i++) {
    leftTx.trySend(i)
    rightTx.trySend(i)
  }
  const wins = [0, 0]
  for (let i = 0; i < rounds; i++) wins[trySelect([recv(left), recv(right)])!.index]++
  console.log(`unbiased over ${rounds} rounds: left ${wins[0]}, right ${wins[1]}`)
  console.log(`values left: ${left.size + right.size} of ${2 * rounds}; each round took exactly one`)
}

async function timeouts(): Promise<void> {
  console.log("2. timeouts")
  const [tx, rx] = unbounded<string>()
  console.log(`trySelect on an empty channel: ${trySelect([recv(rx)])}`)
  try {
    await select([recv(rx)], { timeout: 20 })
  } catch (error) {
    console.log(`select with timeout 20 ms: ${(error as Error).name}`)
  }
  setTimeout(() => tx.trySend("late"), 30)
  const r = await select([recv(rx)], { timeout: 2_000 })
  console.log(`the next select gets: ${JSON.stringify(r.value)}`)
}

async function fanIn(): Promise<void> {
  console.log("3. fan-in until every source is done")
  const sources = [
    { name: "fast", every: 1, count: 6 },
    { name: "medium", every: 2, count: 4 },
    { name: "slow", every: 5, count: 2 },
  ]
  const receivers = sources.map(({ name, every, count }) => {
    const [tx, rx] = unbounded<string>()
    void (async () => {
      for (let i = 1; i <= count; i++) {
        await sleep(every)
        tx.trySend(`${name}-${i}`)
      }
      tx.close()
    })()
    return rx
  })
  const got = sources.map(() => [] as string[])
  const cases: (Receiver<string> | null)[] = [...receivers]
  let idle = 0
  while (cases.some((c) => c !== null)) {
    try {
      const r = await select(cases.map((c) => (c === null ? null : recv(c))), { timeout: 1_000 })
      const v = r.value as { done: boolean; value?: string }
      if (v.done) {
        console.log(`${sources[r.index]!.name} is done`)
        cases[r.index] = null
      } else got[r.index]!.push(v.value!)
    } catch {
      idle++
    }
  }
  const inOrder = got.every((values, i) => values.every((v, j) => v === `${sources[i]!.name}-${j + 1}`))
  console.log(`received: ${sources.map((s, i) => `${s.name} ${got[i]!.length}`).join(", ")}; total ${got.flat().length}`)
  console.log(`each source in its own order: ${inOrder}; idle timeouts: ${idle}`)
}

async function deadline(): Promise<void> {
  console.log("4. a send with a deadline")
  const [outTx, out] = rendezvous<string>()
  const [quitTx, quit] = oneshot<string>()
  try {
    await select([send(outTx, "report"), recv(quit)], { timeout: 20 })
  } catch (error) {
    console.log(`nobody took the report within 20 ms: ${(error as Error).name}`)
  }
  console.log(`left behind: ${out.size} buffered, ${out.pendingSends} waiting sends`)
  setTimeout(() => quitTx.send("shutdown"), 10)
  const r = await select([send(outTx, "report"), recv(quit)])
  console.log(`case ${r.index} won: ${JSON.stringify(r.value)}`)
}

await priorities()
await timeouts()
await fanIn()
await deadline()
console.log("fan-in-select complete.")
