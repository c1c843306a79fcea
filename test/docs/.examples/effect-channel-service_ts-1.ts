import { Context, Effect } from "effect"
import { ChannelService, send, receive } from "@panama/effect"

class Jobs extends Context.Service<Jobs, ChannelService<string>>()("app/Jobs") {}
const JobsLive = ChannelService.layer(Jobs, { capacity: 16 })

const program = Effect.gen(function* () {
  const jobs = yield* Jobs
  yield* send(jobs.sender, "build")
  return yield* receive(jobs.receiver)
}).pipe(Effect.provide(JobsLive))

export {}
