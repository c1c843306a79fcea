/**
 * Settlements deferred by one microtask (pacing, see handles.ts), run in the
 * order they were deferred. A channel counts its deferred settlements
 * (`Chan.deferred`); while any is pending, its later settlements (a value, the
 * end, `rx.closed`) are deferred behind it, so promises still settle in the
 * order the values were handed over.
 */

export interface Deferred {
  deferredNext: Deferred | null
  /** Settles now. Runs inside a microtask; must not run user code synchronously. */
  fire(): void
}

let head: Deferred | null = null
let tail: Deferred | null = null

export function defer(d: Deferred): void {
  d.deferredNext = null
  if (tail === null) {
    head = tail = d
    queueMicrotask(fireAll)
  } else {
    tail.deferredNext = d
    tail = d
  }
}

/** Whatever counts its deferred settlements: a channel, a broadcast receiver. */
export interface Ordered {
  deferred: number
}

/** Runs `settle` one microtask later, behind `owner`'s deferred settlements (counted while pending). */
export function later(owner: Ordered, settle: () => void): void {
  owner.deferred++
  defer({
    deferredNext: null,
    fire() {
      owner.deferred--
      settle()
    },
  })
}

function fireAll(): void {
  let d = head
  head = tail = null
  while (d !== null) {
    const next = d.deferredNext
    d.deferredNext = null
    d.fire()
    d = next
  }
}
