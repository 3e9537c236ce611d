// The Slack delivery handlers for the configured mode, ready to merge into serve's handlers object.
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import {
  createSlackSender,
  type DeliveryHandler,
  fixedBotToken,
  installedBotToken,
  type SlackSender,
} from "./delivery/index.ts";
import { invoiceSlackHandlers } from "./invoicing/index.ts";

export type SlackHandlerOptions = {
  slack: Config["slack"];
  db: Db;
  now: () => Date;
  installationStore?: { fetchInstallation: Parameters<typeof installedBotToken>[1] } | undefined;
  channelIntervalMs?: number;
};

export function createSlackSenderFor(options: SlackHandlerOptions): SlackSender | undefined {
  const { slack } = options;
  if (slack.mode === "off") return undefined;
  const botToken =
    slack.mode === "oauth"
      ? options.installationStore
        ? installedBotToken(options.db, options.installationStore.fetchInstallation)
        : undefined
      : slack.botToken
        ? fixedBotToken(slack.botToken)
        : undefined;
  if (!botToken) return undefined;
  return createSlackSender({
    db: options.db,
    now: options.now,
    botToken,
    apiUrl: slack.apiUrl,
    ...(options.channelIntervalMs !== undefined ? { channelIntervalMs: options.channelIntervalMs } : {}),
  });
}

/** `slack_message` payload types → handler; other areas add theirs next to these. */
export function slackMessageHandlers(options: SlackHandlerOptions): Record<string, DeliveryHandler> {
  const sender = createSlackSenderFor(options);
  return sender ? invoiceSlackHandlers(sender, options.db) : {};
}
