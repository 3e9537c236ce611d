// Picks the mail adapter from the config: SendGrid with an API key, the local outbox without.
import type { Config } from "../../config.ts";
import type { Mailer } from "./mailer.ts";
import { createOutboxMailer } from "./outbox-mailer.ts";
import { createSendgridMailer } from "./sendgrid-mailer.ts";

export function createMailer(config: Pick<Config, "sendgrid" | "dataDir">): Mailer {
  return config.sendgrid.apiKey
    ? createSendgridMailer({ apiKey: config.sendgrid.apiKey, apiUrl: config.sendgrid.apiUrl })
    : createOutboxMailer({ dataDir: config.dataDir });
}
