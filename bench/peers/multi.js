/**
 * Shared parts of the select and broadcast scenarios (see generic.js for the
 * interface): producers for `selectLoop`, and a receive-loop tally.
 *
 *   selectLoop(k, n)   k channels of capacity SELECT_CAPACITY, one producer
 *                      each sending its contiguous share of 0..n-1, one
 *                      consumer taking exactly n values from whichever channel
 *                      is ready; resolves the consumer's { count, sum }
 *   fanout(k, n)       one broadcast of 0..n-1 (capacity BROADCAST_CAPACITY)
 *                      to k receivers; resolves one { count, sum } per receiver
 */

/** Capacity of each channel a select reads (producers keep them supplied). */
export const SELECT_CAPACITY = 64
/** Per-receiver buffer of the broadcast scenarios. */
export const BROADCAST_CAPACITY = 64

/**
 * Starts one producer per sender, each sending its contiguous share of
 * 0..n-1 with the panama hot-loop idiom (`trySend`, `await send` only when
 * full), so the channels stay supplied and the consumer's cost dominates.
 * Resolves when every producer is done.
 */
export function producePanama(txs, n) {
  const k = txs.length
  const share = Math.floor(n / k)
  const producers = []
  for (let p = 0; p < k; p++) {
    const tx = txs[p]
    const from = p * share
    const to = p === k - 1 ? n : (p + 1) * share
    producers.push(
      (async () => {
        for (let i = from; i < to; i++) {
          if (!tx.trySend(i).ok) await tx.send(i)
        }
      })(),
    )
  }
  return Promise.all(producers)
}

/**
 * The usual workaround when a channel has no select: race one pending
 * receive per channel with `Promise.race`. Written the correct way: the
 * winner's channel gets a fresh receive, the losers' promises are kept for
 * the next round, so no received value is dropped. (The naive way,
 * `await Promise.race([a.receive(), b.receive()])` per round, loses every
 * value a losing receive takes later.) `arm(c)` starts a receive on channel c
 * and resolves `{ c, value }`. Leftover receives at the end find nothing,
 * because exactly n values are sent. Resolves { count, sum }.
 */
export async function raceLoop(k, n, arm) {
  const pending = new Array(k)
  for (let c = 0; c < k; c++) pending[c] = arm(c)
  let count = 0
  let sum = 0
  while (count < n) {
    const { c, value } = await Promise.race(pending)
    pending[c] = arm(c)
    count++
    sum += value
  }
  return { count, sum }
}
