export { toObservable, type ToObservableOptions } from "./to-observable.js"
export {
  fromObservable,
  subscribeToChannel,
  type FromObservableOptions,
  type OverflowPolicy,
  type SubscribeToChannelOptions,
} from "./from-observable.js"
export { eachValueFrom, type EachValueFromOptions } from "./each-value-from.js"
export { channelSubject, ChannelSubject, type ChannelSubjectOptions } from "./subject.js"
