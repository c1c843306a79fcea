/**
 * The two buffers a channel can hold its values in. Both are FIFO queues with
 * O(1) `push` and `shift` (never `Array#shift`, which is O(n) once V8 gives up
 * on its left-trimming trick for large arrays).
 *
 * - `Ring`: a power-of-two circular array that doubles when full, up to what
 *   the channel's capacity needs. Used for bounded, count-based channels: the
 *   array is reused forever, so a steady-state channel allocates nothing.
 * - `Chunked`: a linked list of fixed-size arrays. Used for unbounded and
 *   weighted channels: it never copies on growth and gives memory back as it
 *   drains (one spare chunk is kept to avoid churn at a chunk boundary).
 *
 * Invariant for both: slots outside [head, head + length) hold `undefined`,
 * so a value that left the queue is never retained by it.
 */

export interface Queue<T> {
  readonly length: number
  push(value: T): void
  /** Precondition: `length > 0`. */
  shift(): T
  /** Precondition: `length > 0`. */
  peek(): T
}

export class Ring<T> implements Queue<T> {
  #slots: (T | undefined)[]
  #mask: number // slots.length - 1; slots.length is a power of two
  #head = 0 // index of the oldest value
  length = 0

  constructor(initial: number) {
    let n = 4
    while (n < initial) n *= 2
    this.#slots = new Array<T | undefined>(n).fill(undefined)
    this.#mask = n - 1
  }

  push(value: T): void {
    if (this.length > this.#mask) this.#grow()
    this.#slots[(this.#head + this.length) & this.#mask] = value
    this.length++
  }

  shift(): T {
    const slots = this.#slots
    const head = this.#head
    const value = slots[head] as T
    slots[head] = undefined
    this.#head = (head + 1) & this.#mask
    this.length--
    return value
  }

  peek(): T {
    return this.#slots[this.#head] as T
  }

  // Doubles the array, unrolling the ring so the oldest value lands at 0.
  #grow(): void {
    const old = this.#slots
    const n = old.length
    const slots = new Array<T | undefined>(n * 2).fill(undefined)
    for (let i = 0; i < n; i++) slots[i] = old[(this.#head + i) & this.#mask]
    this.#slots = slots
    this.#mask = n * 2 - 1
    this.#head = 0
  }
}

/** Values per chunk: large enough to amortise the link, small enough to free memory while draining. */
const CHUNK = 2048

interface Chunk<T> {
  readonly items: (T | undefined)[] // CHUNK slots (the first chunk grows to it), reused, never truncated
  next: Chunk<T> | null
}

export class Chunked<T> implements Queue<T> {
  #head: Chunk<T> // chunk holding the oldest value
  #tail: Chunk<T> // chunk receiving pushes
  #index = 0 // index of the oldest value in #head.items
  #end = 0 // index of the next push in #tail.items
  #spare: Chunk<T> | null = null // one drained chunk kept for reuse
  length = 0

  constructor() {
    this.#head = this.#tail = { items: [], next: null }
  }

  push(value: T): void {
    if (this.#end === CHUNK) {
      // Later chunks are allocated at full size: growing one by appends would
      // leave V8's slack (about a third) behind, 11.6 instead of 8 bytes a value.
      const chunk = this.#spare ?? { items: new Array<T | undefined>(CHUNK), next: null }
      this.#spare = null
      this.#tail.next = chunk
      this.#tail = chunk
      this.#end = 0
    }
    this.#tail.items[this.#end++] = value
    this.length++
  }

  shift(): T {
    const head = this.#head
    const value = head.items[this.#index] as T
    head.items[this.#index] = undefined
    this.length--
    if (++this.#index === CHUNK) {
      // Case: the head chunk is drained. Move on and keep it as the spare.
      this.#index = 0
      if (head.next === null) {
        this.#end = 0
      } else {
        this.#head = head.next
        head.next = null
        this.#spare = head
      }
    } else if (this.length === 0) {
      // Case: empty mid-chunk (a consumer keeping up). Rewind and reuse the slots
      // in place: truncating the array would free and regrow it every time.
      this.#index = 0
      this.#end = 0
    }
    return value
  }

  peek(): T {
    return this.#head.items[this.#index] as T
  }
}
