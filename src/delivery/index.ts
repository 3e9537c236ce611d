// The delivery capability's public entry: what other parts of Cobro may use.
export { answerUnknownDelivery } from "./answer-unknown-delivery.ts";
export type { DeliveryClaim } from "./claim-delivery.ts";
export {
  claimDeliveries,
  claimDeliveriesReturningKeys,
  claimDelivery,
  findStalledDeliveries,
} from "./claim-delivery.ts";
export type { DeliveryHandler, DeliveryHandlers, DeliveryRow } from "./deliver.ts";
export {
  byPayloadType,
  DELIVERY_QUESTION_PAYLOAD,
  enqueueDeliveries,
  explainUnsent,
  RetryLaterError,
  runDelivery,
  startDeliveryWorker,
} from "./deliver.ts";
export { deliveryQuestionHandler } from "./delivery-question.ts";
export { describeDeliveryBacklog } from "./describe-delivery-backlog.ts";
export { dmChannelOf } from "./dm-channel.ts";
export { createMailer } from "./email/create-mailer.ts";
export type { Mailer } from "./email/mailer.ts";
export { textToHtml } from "./email/text-to-html.ts";
export { InstallationNotFoundError, OutcomeUnknownError } from "./errors.ts";
export { type DeliveryBacklog, FAILURE_DAYS, loadDeliveryBacklog } from "./load-delivery-backlog.ts";
export { readPayload } from "./payload.ts";
export type { Queue } from "./queue.ts";
export { startQueue } from "./queue.ts";
export type { SlackSender } from "./slack-client.ts";
export { createSlackSender, fixedBotToken, installedBotToken, slackFailureCode } from "./slack-client.ts";
export { findPosts, recordPost } from "./slack-posts.ts";
