import { Effect } from "effect"
import { ChannelService, send, receive } from "@panama/effect"

const program = Effect.scoped(
  Effect.gen(function* () {
    const jobs = yield* ChannelService.make<string>({ capacity: 4 })
    yield* send(jobs.sender, "a")
    return yield* receive(jobs.receiver) // "a"
  }),
)

export {}
