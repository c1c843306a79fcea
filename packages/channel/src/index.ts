export {
  channel,
  bounded,
  unbounded,
  rendezvous,
  dropping,
  sliding,
  type ChannelOptions,
  type FactoryOptions,
  type ChannelInfo,
  type ChannelState,
  type ChannelStats,
  type DropReason,
  type Overflow,
  type ReceiveResult,
  type Receiver,
  type Sender,
  type TryReceiveResult,
  type TrySendResult,
  type WaitOptions,
} from "./channel.js"
export { ChannelClosedError, ChannelFullError } from "./errors.js"
export {
  select,
  trySelect,
  recv,
  send,
  RecvCase,
  SendCase,
  type SelectCase,
  type SelectOptions,
  type SelectResult,
} from "./select.js"
export { oneshot, type OneshotOptions, type OneshotReceiver, type OneshotSender, type OneshotState } from "./oneshot.js"
export {
  broadcast,
  type BroadcastOptions,
  type BroadcastReceiver,
  type BroadcastResult,
  type BroadcastSender,
  type BroadcastState,
} from "./broadcast.js"
export { watch, type WatchReceiver, type WatchSender } from "./watch.js"
