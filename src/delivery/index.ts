// The delivery capability's public entry: what other parts of Cobro may use.
export { explainUnsent } from "../domain/delivery-outcome.ts";
export { slackFailureCode } from "../domain/slack-failures.ts";
export { answerUnknownDelivery } from "./answer-unknown-delivery.ts";
export { byPayloadType } from "./by-payload-type.ts";
export type { DeliveryHandler, DeliveryHandlers, DeliveryOutcome, DeliveryRow } from "./deliver.ts";
export { DELIVERY_QUESTION_PAYLOAD, RetryLaterError, runDelivery } from "./deliver.ts";
export { deliveryQuestionHandler } from "./delivery-question.ts";
export { describeDeliveryBacklog } from "./describe-delivery-backlog.ts";
export { dmChannelOf } from "./dm-channel.ts";
export { createMailer } from "./email/create-mailer.ts";
export type { Mailer } from "./email/mailer.ts";
export { textToHtml } from "./email/text-to-html.ts";
export { enqueueDeliveries } from "./enqueue-deliveries.ts";
export { InstallationNotFoundError, OutcomeUnknownError } from "./errors.ts";
export { fixedBotToken } from "./fixed-bot-token.ts";
export { installedBotToken } from "./installed-bot-token.ts";
export { type DeliveryBacklog, FAILURE_DAYS, loadDeliveryBacklog } from "./load-delivery-backlog.ts";
export { readPayload } from "./payload.ts";
export type { Queue } from "./queue.ts";
export { startQueue } from "./queue.ts";
export type { DeliveryClaim } from "./repo.ts";
export {
  claimDeliveries,
  claimDeliveriesReturningKeys,
  claimDelivery,
  findPosts,
  findStalledDeliveries,
  recordPost,
} from "./repo.ts";
export type { SlackSender } from "./slack-client.ts";
export { createSlackSender } from "./slack-client.ts";
export { startDeliveryWorker } from "./start-delivery-worker.ts";
