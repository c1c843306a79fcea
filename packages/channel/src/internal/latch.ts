/**
 * `Latch`: a promise that resolves once `open()` is called — the `closed`
 * promises of every handle. The promise is made only if someone asks for it,
 * so a channel nobody watches allocates none; asking after `open()` gets a
 * resolved one. Opening twice is harmless.
 */
export class Latch {
  #opened = false
  #promise: Promise<void> | undefined = undefined
  #resolve: (() => void) | undefined = undefined

  open(): void {
    this.#opened = true
    this.#resolve?.()
  }

  promise(): Promise<void> {
    if (this.#opened) return Promise.resolve()
    return (this.#promise ??= new Promise<void>((resolve) => (this.#resolve = resolve)))
  }
}
