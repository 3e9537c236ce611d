// SendGrid adapter: 429 → retry later (Retry-After), 5xx and network errors → queue retries with
// backoff, other 4xx → permanent refusal surfaced to the user.
import { Client } from "@sendgrid/client";
import { MailService } from "@sendgrid/mail";
import { DomainError } from "../../domain/errors.ts";
import { OutcomeUnknownError, RetryLaterError } from "../errors.ts";
import { deliveryAttempt, type LookupResult, sendOnce } from "../send-once.ts";
import type { Mailer, MailMessage, MailResult } from "./mailer.ts";

// SendGrid's Email Activity shows a message some time after it was accepted: only then does
// "not found" mean it never arrived.
const ACTIVITY_LAG_MS = 5 * 60_000;
// After a 5xx or a network failure, the other e-mails give SendGrid this long before trying.
const UNAVAILABLE_PAUSE_MS = 5_000;

type SendgridError = Error & {
  code?: number;
  response?: { headers?: Record<string, string | string[] | undefined>; body?: unknown };
};

function retryAfterSeconds(headers: Record<string, string | string[] | undefined> | undefined): number {
  const raw = headers?.["retry-after"] ?? headers?.["Retry-After"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return 60;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 60 : Math.max(1, (at - Date.now()) / 1000);
}

function describe(body: unknown): string {
  const errors = (body as { errors?: { message?: string; field?: string }[] } | undefined)?.errors;
  return errors?.map((e) => [e.field, e.message].filter(Boolean).join(": ")).join("; ") || "request refused";
}

export function createSendgridMailer(config: { apiKey: string; apiUrl: string; now?: () => Date }): Mailer {
  const now = () => (config.now ? config.now().getTime() : Date.now());
  const client = new Client();
  client.setApiKey(config.apiKey);
  client.setDefaultRequest("baseUrl", config.apiUrl);
  const mail = new MailService();
  mail.setClient(client);
  // After a crash mid-send: the Email Activity API (a paid add-on) finds the message by our
  // delivery id, sent as a custom arg (GET /v3/messages?query=unique_args['delivery_id']="…").
  const findSent = async (deliveryId: string): Promise<LookupResult<MailResult>> => {
    try {
      const [, body] = await client.request({
        method: "GET",
        url: "/v3/messages",
        qs: { limit: 10, query: `unique_args['delivery_id']="${deliveryId}"` },
      });
      const messages = (body as { messages?: { msg_id?: string }[] } | undefined)?.messages ?? [];
      const [first] = messages;
      return first
        ? { found: true, result: { provider: "sendgrid", messageId: first.msg_id ?? null } }
        : { found: false };
    } catch (error) {
      const err = error as SendgridError;
      if (err.code === 429) {
        throw new RetryLaterError(retryAfterSeconds(err.response?.headers), "SendGrid rate limit (429)");
      }
      if (err.code === 400 || err.code === 401 || err.code === 403 || err.code === 404) {
        throw new OutcomeUnknownError(
          `SendGrid's Email Activity API, which could tell, is not available to this API key (HTTP ${err.code}; it is a paid add-on)`,
        );
      }
      throw error;
    }
  };
  // Per provider, not per message: after a 429 or a 5xx the other e-mails of this process wait
  // too instead of each hitting SendGrid to hear the same answer.
  let pausedUntil = 0;
  const pause = (ms: number) => {
    pausedUntil = Math.max(pausedUntil, now() + ms);
  };
  const post = async (message: MailMessage): Promise<MailResult> => {
    const paused = pausedUntil - now();
    if (paused > 0) throw new RetryLaterError(paused / 1000, "SendGrid asked Cobro to wait");
    try {
      const [response] = await mail.send({
        from: message.from,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        personalizations: [{ to: message.to.map((email) => ({ email })) }],
        subject: message.subject,
        content: [
          { type: "text/plain", value: message.text },
          { type: "text/html", value: message.html },
        ],
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          type: a.contentType,
          disposition: "attachment",
          content: a.content.toString("base64"),
        })),
        categories: message.categories,
        customArgs: message.customArgs,
      });
      const id = response.headers["x-message-id"];
      return { provider: "sendgrid", messageId: typeof id === "string" ? id : null };
    } catch (error) {
      const err = error as SendgridError;
      const status = typeof err.code === "number" ? err.code : undefined;
      if (status === 429) {
        const seconds = retryAfterSeconds(err.response?.headers);
        pause(seconds * 1000);
        throw new RetryLaterError(seconds, "SendGrid rate limit (429)");
      }
      if (status === undefined || status >= 500) pause(UNAVAILABLE_PAUSE_MS);
      if (status !== undefined && status >= 400 && status < 500) {
        const detail = describe(err.response?.body);
        throw new DomainError("email.refused", `SendGrid refused the e-mail (${status}): ${detail}`, {
          userMessage: `SendGrid refused to send the invoice e-mail (${status}: ${detail}). Check the sender, API key and recipients, then send again.`,
        });
      }
      throw error;
    }
  };
  return {
    send(message) {
      const deliveryId = message.customArgs.delivery_id ?? deliveryAttempt.getStore()?.deliveryId;
      if (!deliveryId) return post(message);
      const tagged = { ...message, customArgs: { ...message.customArgs, delivery_id: deliveryId } };
      return sendOnce({
        key: "email",
        send: () => post(tagged),
        lookup: () => findSent(deliveryId),
        absentTrustedAfterMs: ACTIVITY_LAG_MS,
        confirmed: () => ({ provider: "sendgrid", messageId: null }),
      });
    },
  };
}
