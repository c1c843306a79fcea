export {
  send,
  trySend,
  receive,
  receiveMany,
  tryReceive,
  close,
  cancel,
  type SendError,
} from "./effects.js"
export { toStream, toSink, runIntoChannel, type ToStreamOptions } from "./stream.js"
export { toQueue, fromQueue, type ToQueueOptions, type FromQueueOptions } from "./queue.js"
export { ChannelService } from "./channel-service.js"
