// The Stripe API client (official `stripe` package), pointed at a stand-in when COBRO_STRIPE_API_URL says so.
import Stripe from "stripe";
import type { StripeSettings } from "../config.ts";

export type StripeClient = Stripe;
export type StripePayments = { stripe: StripeClient; webhookSecret: string; publicUrl: string };

function createStripeClient(settings: StripeSettings): StripeClient {
  const api = settings.apiUrl ? new URL(settings.apiUrl) : undefined;
  const protocol = api?.protocol === "http:" ? "http" : "https";
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(api ? { host: api.hostname, port: api.port || (protocol === "http" ? 80 : 443), protocol } : {}),
  });
}

/** Everything the pay link and the webhook need, or null when Stripe is not configured. */
export function stripePayments(settings: StripeSettings | null, publicUrl: string): StripePayments | null {
  return settings
    ? { stripe: createStripeClient(settings), webhookSecret: settings.webhookSecret, publicUrl }
    : null;
}
