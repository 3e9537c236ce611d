// POST /webhooks/sendgrid: SendGrid's Event Webhook (delivered, bounce, dropped, open…). Events are
// believed only when signed with the webhook's key and recent, unless unsigned ones were allowed.
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { recordEmailEvents } from "../invoicing/index.ts";
import { type Route, sendJson } from "./server.ts";

export type SendgridWebhookSettings = {
  /** SENDGRID_WEBHOOK_PUBLIC_KEY: base64 DER (or PEM) of the signed webhook's verification key. */
  publicKey: string | undefined;
  /** COBRO_SENDGRID_ACCEPT_UNSIGNED: believe unsigned events when no key is set (off by default). */
  acceptUnsigned: boolean;
};

/** A signed post older than this is refused: a captured post cannot be replayed later. */
export const SIGNATURE_MAX_AGE_SECONDS = 10 * 60;
/** Room for clocks that disagree; a post dated further ahead was not signed now. */
export const SIGNATURE_MAX_AHEAD_SECONDS = 5 * 60;

/** SendGrid posts events in batches (a JSON array): room for large ones. */
const SENDGRID_BODY_LIMIT = 5_000_000;

/** SendGrid signs timestamp + raw body with ECDSA P-256 (SHA-256); the key is base64 DER SPKI. */
export function verifySendgridSignature(
  publicKey: KeyObject,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
): boolean {
  if (!signature || !timestamp) return false;
  try {
    return verify(
      "sha256",
      Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]),
      { key: publicKey, dsaEncoding: "der" },
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}

export function parseSendgridPublicKey(key: string): KeyObject {
  const trimmed = key.trim();
  return trimmed.includes("BEGIN PUBLIC KEY")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
}

/** Why a signed timestamp (Unix seconds) is refused at `nowMs`, or null when it is recent. */
export function staleSignature(timestamp: string, nowMs: number): string | null {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(seconds)) return "the signature timestamp is not a Unix time";
  const age = Math.floor(nowMs / 1000) - seconds;
  if (age > SIGNATURE_MAX_AGE_SECONDS) {
    return `the events were signed ${Math.round(age / 60)} minutes ago (at most ${SIGNATURE_MAX_AGE_SECONDS / 60} are accepted)`;
  }
  if (-age > SIGNATURE_MAX_AHEAD_SECONDS) return "the events are dated in the future";
  return null;
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function sendgridWebhookRoute(deps: ServiceDeps, settings: SendgridWebhookSettings): Route {
  const publicKey = settings.publicKey ? parseSendgridPublicKey(settings.publicKey) : undefined;
  const refuse = (res: Parameters<Route["handler"]>[1], message: string) => {
    deps.logger.warn({ reason: message }, "SendGrid webhook post refused");
    sendJson(res, 403, { error: "forbidden", message });
  };
  return {
    method: "POST",
    path: "/webhooks/sendgrid",
    maxBodyBytes: SENDGRID_BODY_LIMIT,
    handler: async (req, res, _params, raw) => {
      if (publicKey) {
        const timestamp = header(req, "x-twilio-email-event-webhook-timestamp");
        const signature = header(req, "x-twilio-email-event-webhook-signature");
        if (!verifySendgridSignature(publicKey, raw, signature, timestamp)) {
          refuse(res, "the signature does not match SENDGRID_WEBHOOK_PUBLIC_KEY");
          return;
        }
        // The signature's own clock: a real post is signed as it is sent.
        const stale = staleSignature(timestamp ?? "", Date.now());
        if (stale) {
          refuse(res, stale);
          return;
        }
      } else if (!settings.acceptUnsigned) {
        refuse(
          res,
          "unsigned events are refused: set SENDGRID_WEBHOOK_PUBLIC_KEY (or COBRO_SENDGRID_ACCEPT_UNSIGNED=true)",
        );
        return;
      }
      let events: unknown;
      try {
        events = JSON.parse(raw.toString("utf8"));
      } catch {
        sendJson(res, 400, { error: "bad_json", message: "The body is not JSON." });
        return;
      }
      try {
        sendJson(res, 200, await recordEmailEvents(deps, events as never));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        sendJson(res, 400, { error: error.code, message: error.userMessage });
      }
    },
  };
}
