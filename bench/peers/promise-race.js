/**
 * The `select` workaround people write: a `Promise.race` loop over pending
 * `rx.receive()` promises of panama channels, keeping the losers' promises for
 * the next round (see `raceLoop` in multi.js). Same channels and producers as
 * the `panama` peer's select; select scenarios only.
 */
import { bounded, channel } from "@panama/channel"
import { producePanama, raceLoop, SELECT_CAPACITY } from "./multi.js"

export default {
  label: "`Promise.race` loop over panama `receive()`",
  capacities: ["select"],
  async selectLoop(k, n, ready = false) {
    const txs = []
    const rxs = []
    for (let c = 0; c < k; c++) {
      // ready: unbounded channels the producers fill before the consumer starts.
      const [tx, rx] = ready ? channel({ capacity: Infinity }) : bounded(SELECT_CAPACITY)
      txs.push(tx)
      rxs.push(rx)
    }
    const producing = producePanama(txs, n)
    const got = await raceLoop(k, n, (c) => rxs[c].receive().then((r) => ({ c, value: r.value })))
    await producing
    return got
  },
}
