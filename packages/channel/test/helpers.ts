/** Helpers shared by the core's tests: observe promises without awaiting them. */

/** Lets pending promise reactions run (several hops), without any real time passing. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

export interface Tracked<T> {
  status: "pending" | "fulfilled" | "rejected"
  value?: T
  error?: unknown
}

/** Observes a promise's outcome without awaiting it (and marks its rejection handled). */
export function track<T>(promise: PromiseLike<T>): Tracked<T> {
  const t: Tracked<T> = { status: "pending" }
  promise.then(
    (value) => {
      t.status = "fulfilled"
      t.value = value
    },
    (error: unknown) => {
      t.status = "rejected"
      t.error = error
    },
  )
  return t
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected a rejection")
}
