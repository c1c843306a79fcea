/**
 * An intrusive doubly linked list of waiters: O(1) push, shift and removal of
 * any member, so an aborted waiter leaves at once and no tombstone stays
 * behind. A waiter is in at most one list at a time; `list` says which (null
 * when in none), which also makes removal idempotent.
 */

export interface Link {
  prev: Link | null
  next: Link | null
  list: WaitList<Link> | null
}

export class WaitList<W extends Link> {
  head: W | null = null
  tail: W | null = null
  length = 0

  push(w: W): void {
    w.list = this as unknown as WaitList<Link>
    w.prev = this.tail
    w.next = null
    if (this.tail === null) this.head = w
    else this.tail.next = w
    this.tail = w
    this.length++
  }

  /** Removes and returns the oldest waiter, or null when empty. */
  shift(): W | null {
    const w = this.head
    if (w !== null) this.remove(w)
    return w
  }

  /** Removes `w` if it is in this list; returns whether it was. */
  remove(w: W): boolean {
    if (w.list !== (this as unknown as WaitList<Link>)) return false
    const { prev, next } = w
    if (prev === null) this.head = next as W | null
    else prev.next = next
    if (next === null) this.tail = prev as W | null
    else next.prev = prev
    w.prev = w.next = null
    w.list = null
    this.length--
    return true
  }
}
