// A loopback stand-in for the Stripe API's Checkout Sessions endpoint, answering as Stripe documents:
// form-encoded params with bracketed keys, Bearer secret key, an `error` object with type, code,
// param and message on refusal, and idempotent replays of the same Idempotency-Key.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type CreatedSession = {
  id: string;
  params: Record<string, string>;
  idempotencyKey: string | undefined;
};

export type StripeStandIn = {
  url: string;
  secretKey: string;
  sessions: CreatedSession[];
  close: () => Promise<void>;
};

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

function stripeError(status: number, type: string, message: string, param?: string) {
  return { status, body: { error: { type, message, ...(param ? { param } : {}) } } };
}

function checkoutSession(id: string, p: Record<string, string>) {
  const metadata = Object.fromEntries(
    Object.entries(p)
      .filter(([key]) => key.startsWith("metadata["))
      .map(([key, value]) => [key.slice("metadata[".length, -1), value]),
  );
  const methods = Object.entries(p)
    .filter(([key]) => key.startsWith("allowed_payment_method_types["))
    .map(([, value]) => value);
  const amount = Number(p["line_items[0][price_data][unit_amount]"]) * Number(p["line_items[0][quantity]"]);
  return {
    id,
    object: "checkout.session",
    mode: "payment",
    status: "open",
    payment_status: "unpaid",
    amount_total: amount,
    amount_subtotal: amount,
    currency: p["line_items[0][price_data][currency]"],
    client_reference_id: p.client_reference_id ?? null,
    customer_email: p.customer_email ?? null,
    metadata,
    payment_intent: null,
    payment_method_types: methods.length > 0 ? methods : ["card"],
    success_url: p.success_url,
    cancel_url: p.cancel_url ?? null,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    livemode: false,
    created: Math.floor(Date.now() / 1000),
    expires_at: Math.floor(Date.now() / 1000) + 86_400,
  };
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const secretKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const sessions: CreatedSession[] = [];
  const replays = new Map<string, { body: string; answer: { status: number; body: unknown } }>();
  const answer = (rawBody: string, req: IncomingMessage) => {
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    }
    if (req.method !== "POST" || req.url !== "/v1/checkout/sessions") {
      return stripeError(
        404,
        "invalid_request_error",
        `Unrecognized request URL (${req.method}: ${req.url}).`,
      );
    }
    const params = Object.fromEntries(new URLSearchParams(rawBody));
    if (params.mode !== "payment") {
      return stripeError(400, "invalid_request_error", "Missing required param: mode.", "mode");
    }
    if (!params.success_url) {
      return stripeError(400, "invalid_request_error", "Missing required param: success_url.", "success_url");
    }
    const unitAmount = params["line_items[0][price_data][unit_amount]"] ?? "";
    if (!/^[1-9]\d*$/.test(unitAmount)) {
      return stripeError(
        400,
        "invalid_request_error",
        "Invalid integer: line_items[0][price_data][unit_amount].",
        "line_items[0][price_data][unit_amount]",
      );
    }
    const id = `cs_test_${randomBytes(16).toString("hex")}`;
    sessions.push({ id, params, idempotencyKey: header(req, "idempotency-key") });
    return { status: 200, body: checkoutSession(id, params) };
  };
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((rawBody) => {
        const key = header(req, "idempotency-key");
        const earlier = key ? replays.get(key) : undefined;
        let result = earlier?.answer;
        if (earlier && earlier.body !== rawBody) {
          result = stripeError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
          );
        }
        if (!result) {
          result = answer(rawBody, req);
          if (key && result.status === 200) replays.set(key, { body: rawBody, answer: result });
        }
        res.writeHead(result.status, {
          "content-type": "application/json",
          "request-id": `req_${randomBytes(6).toString("hex")}`,
        });
        res.end(JSON.stringify(result.body));
      })
      .catch(() => res.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secretKey,
    sessions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
