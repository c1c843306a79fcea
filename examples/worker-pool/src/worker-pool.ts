/**
 * A bounded worker pool. A producer feeds numbered jobs into a small `jobs`
 * channel; three workers take them, work, and send results into a `results`
 * channel; the main task reads results and, once it has seen enough, aborts
 * everything with one AbortSignal. Every job ends in exactly one place:
 *
 * - completed: its result reached the main task;
 * - cancelled: a worker had it in hand when the signal aborted;
 * - dropped: it was buffered in `jobs` when the last worker left
 *   (the channel's `onDrop(job, "cancel")`);
 * - never sent: `sendAll` hands back what it did not get into the channel.
 *
 * Usage: node dist/worker-pool.js [jobs=20] [workers=3] [stopAfter=8]
 */

import { bounded, type Receiver, type Sender } from "@panama/channel"

interface Result {
  readonly job: number
  readonly worker: string
  readonly value: number
}

const [total = 20, workerCount = 3, stopAfter = 8] = process.argv.slice(2).map(Number)

/** The work: a job takes a few milliseconds, and stops at once if the signal aborts. */
function work(job: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted()
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve(job * job)
    }, 2 + (job % 3))
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener("abort", onAbort, { once: true })
  })
}

async function worker(name: string, jobs: Receiver<number>, results: Sender<Result>, signal: AbortSignal, cancelled: number[]) {
  // `using` releases both handles when the worker returns: the last worker out cancels `jobs` and closes `results`.
  using jobsRx = jobs
  using resultsTx = results
  for (;;) {
    let next
    try {
      next = await jobsRx.receive({ signal })
    } catch {
      return // aborted while waiting: the receive took nothing
    }
    if (next.done) return
    const job = next.value
    let value: number
    try {
      value = await work(job, signal)
    } catch {
      cancelled.push(job)
      console.log(`${name} cancelled job ${job}`)
      return
    }
    await resultsTx.send({ job, worker: name, value })
  }
}

function list(jobs: readonly number[]): string {
  return jobs.length === 0 ? "none" : [...jobs].sort((a, b) => a - b).join(", ")
}

async function main(): Promise<void> {
  console.log(`worker-pool: ${total} jobs, ${workerCount} workers, jobs channel capacity 4, stop after ${stopAfter} results`)
  const controller = new AbortController()
  const dropped: number[] = []
  const cancelled: number[] = []
  const [jobsTx, jobsRx] = bounded<number>(4, { onDrop: (job) => dropped.push(job) })
  const [resultsTx, resultsRx] = bounded<Result>(2)

  const workers = Array.from({ length: workerCount }, (_, i) =>
    // Each worker gets its own clone of both handles; the originals are released below.
    worker(`w${i + 1}`, jobsRx.clone(), resultsTx.clone(), controller.signal, cancelled),
  )
  jobsRx.cancel()
  resultsTx.close()

  const ids = Array.from({ length: total }, (_, i) => i + 1)
  const producing = jobsTx.sendAll(ids, { signal: controller.signal }).then((unsent) => {
    jobsTx.close()
    return unsent
  })

  const completed: number[] = []
  for await (const r of resultsRx) {
    completed.push(r.job)
    console.log(`${r.worker} done job ${r.job} → ${r.value}`)
    if (completed.length === stopAfter) {
      console.log(`stop: ${stopAfter} results are enough, aborting`)
      controller.abort(new Error("enough results"))
    }
  }
  const unsent = await producing
  await Promise.all(workers)

  console.log(`completed: ${list(completed)} (${completed.length})`)
  console.log(`cancelled in a worker's hands: ${list(cancelled)} (${cancelled.length})`)
  console.log(`dropped from the jobs buffer: ${list(dropped)} (${dropped.length})`)
  console.log(`never sent (handed back by sendAll): ${list(unsent)} (${unsent.length})`)
  const all = [...completed, ...cancelled, ...dropped, ...unsent]
  const once = new Set(all).size === all.length && all.length === total && ids.every((id) => all.includes(id))
  console.log(`accounted for: ${all.length} of ${total} jobs, ${once ? "each exactly once" : "NOT each exactly once"}`)
  console.log(`jobs channel: ${jobsTx.state}; results channel: ${resultsRx.state}`)
  if (!once) process.exitCode = 1
}

await main()
