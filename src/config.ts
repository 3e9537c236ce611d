// Environment → typed Config. The only place that knows variable names; main.ts calls it once.
import { z } from "zod";
import { DomainError } from "./domain/errors.ts";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `expected ${what}`);

const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(min, `expected ${min} to ${max} ${what}`)
    .max(max, `expected ${min} to ${max} ${what}`);

const optionalUrl = (protocols: string[], what: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), url(protocols, what).optional());

export const ConfigSchema = z.object({
  DATABASE_URL: optionalUrl(["postgres:", "postgresql:"], "a postgres:// or postgresql:// URL"),
  COBRO_DATA_DIR: z.string().trim().min(1).default("./.cobro"),
  PORT: z.coerce
    .number({ error: "expected a port number" })
    .int("expected a whole port number")
    .min(0, "expected a port between 0 and 65535")
    .max(65535, "expected a port between 0 and 65535")
    .default(3000),
  PUBLIC_URL: optionalUrl(["http:", "https:"], "the https:// address where Slack and clients reach Cobro"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  COBRO_ENCRYPTION_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "expected 32 random bytes in base64 (openssl rand -base64 32)")
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().startsWith("xoxb-", "expected a bot token starting with xoxb-").optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().startsWith("xapp-", "expected an app-level token starting with xapp-").optional(),
  ),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: optionalUrl(["http:", "https:"], "the Slack Web API base URL, e.g. https://slack.com/api/"),
  SENDGRID_API_KEY: optionalText,
  SENDGRID_API_URL: optionalUrl(
    ["http:", "https:"],
    "the SendGrid API base URL, e.g. https://api.sendgrid.com",
  ),
  SENDGRID_WEBHOOK_PUBLIC_KEY: optionalText,
  COBRO_SENDGRID_ACCEPT_UNSIGNED: z
    .enum(["true", "false"], { error: "expected true or false" })
    .default("false"),
  COBRO_MAIL_FROM: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.email("expected an e-mail address such as billing@example.com").optional(),
  ),
  COBRO_SCHEDULER: z.enum(["on", "off"], { error: "expected on or off" }).default("on"),
  COBRO_CONSOLE: z.enum(["auto", "on", "off"], { error: "expected auto, on or off" }).default("auto"),
  COBRO_CONSOLE_HOST: z
    .string()
    .trim()
    .min(1, "expected an address to bind, e.g. 127.0.0.1")
    .default("127.0.0.1"),
  COBRO_ECB_FETCH: z.enum(["on", "off"], { error: "expected on or off" }).default("on"),
  COBRO_ECB_FX_URL: optionalUrl(
    ["http:", "https:"],
    "the URL of the ECB euro reference rates XML (eurofxref-daily.xml)",
  ),
  COBRO_ECB_MRO_URL: optionalUrl(
    ["http:", "https:"],
    "the URL of the ECB main refinancing rate series as CSV",
  ),
  COBRO_SLACK_CONCURRENCY: wholeNumber(1, 256, "Slack requests worked on at once per process").default(4),
  COBRO_SLACK_BACKLOG: wholeNumber(0, 10_000, "Slack requests waiting per process").default(16),
  COBRO_VERIFACTU_AEAT: z
    .enum(["production", "test", "production-seal", "test-seal"], {
      error: "expected production, test, production-seal or test-seal (-seal: a certificado de sello)",
    })
    .default("production"),
  COBRO_VERIFACTU_URL: optionalUrl(["https:"], "the https:// address of an AEAT stand-in (tests only)"),
  COBRO_VERIFACTU_CA_FILE: optionalText,
  COBRO_DELIVERY_CONCURRENCY: wholeNumber(
    1,
    64,
    "Slack posts, and apart e-mails, sent at once per process",
  ).default(8),
  STRIPE_SECRET_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/,
        "expected a Stripe secret key (sk_live_…, sk_test_… or rk_…)",
      )
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .startsWith("whsec_", "expected the webhook signing secret starting with whsec_")
      .optional(),
  ),
  COBRO_STRIPE_API_URL: optionalUrl(
    ["http:", "https:"],
    "the Stripe API base URL, e.g. https://api.stripe.com",
  ),
  COBRO_VERIFACTU_PRODUCER_NAME: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().trim().min(1).max(120, "expected at most 120 characters").optional(),
  ),
  COBRO_VERIFACTU_PRODUCER_NIF: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^[0-9A-Z]{9}$/, "expected a Spanish NIF of 9 letters and digits, e.g. B12345678")
      .optional(),
  ),
  COBRO_VERIFACTU_PRODUCER_ADDRESS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().trim().min(5).max(300, "expected at most 300 characters").optional(),
  ),
});

export type ConfigSchema = z.infer<typeof ConfigSchema>;

type Env = Record<string, string | undefined>;
type Problem = { name: string; message: string };

// Values that are never secret are echoed in problems; any other value (URLs with passwords,
// tokens, keys) is not: logs and terminals keep what they are shown.
const HARMLESS = new Set([
  "PORT",
  "LOG_LEVEL",
  "COBRO_SCHEDULER",
  "COBRO_CONSOLE",
  "COBRO_CONSOLE_HOST",
  "COBRO_SLACK_CONCURRENCY",
  "COBRO_SLACK_BACKLOG",
  "COBRO_SENDGRID_ACCEPT_UNSIGNED",
]);

function describeProblem({ name, message }: Problem, env: Env): string {
  const value = env[name];
  const got = HARMLESS.has(name) && value !== undefined ? ` (got ${JSON.stringify(value)})` : "";
  return `  ${name}: ${message}${got}`;
}

// Rules between variables, checked on the raw values so they are reported with the others.
function crossVariableProblems(env: Env): Problem[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: Problem[] = [];
  if (set("DATABASE_URL") && !set("COBRO_ENCRYPTION_KEY")) {
    problems.push({
      name: "COBRO_ENCRYPTION_KEY",
      message: "required when DATABASE_URL is set (openssl rand -base64 32)",
    });
  }
  const oauth = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"];
  if (oauth.some(set)) {
    for (const name of oauth.filter((n) => !set(n))) {
      problems.push({
        name,
        message: "required with the other SLACK_CLIENT_* settings (OAuth distribution)",
      });
    }
  }
  if (
    (set("SLACK_BOT_TOKEN") || set("SLACK_CLIENT_ID")) &&
    !set("SLACK_SIGNING_SECRET") &&
    !set("SLACK_APP_TOKEN")
  ) {
    problems.push({
      name: "SLACK_SIGNING_SECRET",
      message: "required to verify Slack requests (Slack app → Basic Information → Signing Secret)",
    });
  }
  if (set("SLACK_APP_TOKEN") && !set("SLACK_BOT_TOKEN")) {
    problems.push({ name: "SLACK_BOT_TOKEN", message: "required with SLACK_APP_TOKEN (Socket Mode)" });
  }
  const slackSet = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_SIGNING_SECRET"].filter(
    set,
  );
  if (env.COBRO_CONSOLE?.trim() === "on" && slackSet.length > 0) {
    problems.push({
      name: "COBRO_CONSOLE",
      message: `the local console never runs next to a real Slack workspace: unset ${slackSet.join(", ")} or COBRO_CONSOLE`,
    });
  }
  const stripe = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"];
  if (stripe.some(set)) {
    for (const name of stripe.filter((n) => !set(n))) {
      problems.push({
        name,
        message:
          "required with the other STRIPE_* setting: the pay link needs the key, and payments are recorded from the signed webhook (docs/payments.md)",
      });
    }
  }
  const producer = ["COBRO_VERIFACTU_PRODUCER_NAME", "COBRO_VERIFACTU_PRODUCER_NIF"];
  if (producer.some(set)) {
    for (const name of producer.filter((n) => !set(n))) {
      problems.push({ name, message: "required with the other COBRO_VERIFACTU_PRODUCER_* setting" });
    }
  }
  return problems;
}

export type SlackMode = "off" | "single" | "oauth" | "socket";

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  publicUrl: string;
  logLevel: ConfigSchema["LOG_LEVEL"];
  encryptionKey: string | undefined;
  scheduler: boolean;
  /** The local console (docs/console.md): on only without Slack credentials; `host` is where serve binds then. */
  console: { enabled: boolean; host: string };
  slack: {
    mode: SlackMode;
    signingSecret: string | undefined;
    botToken: string | undefined;
    appToken: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    stateSecret: string | undefined;
    apiUrl: string | undefined;
  };
  /** Who runs this Cobro for others, named as the VERI*FACTU system's producer; else each issuer. */
  verifactuProducer: { name: string; nif: string; address?: string | undefined } | undefined;
  /** Where records are sent: the AEAT's production or test service, or a stand-in's URL and CA. */
  verifactuAeat: {
    environment: ConfigSchema["COBRO_VERIFACTU_AEAT"];
    url: string | undefined;
    caFile: string | undefined;
  };
  /** Slack requests worked on after the ack per process, and how many may wait; beyond, "busy". */
  slackWork: { concurrency: number; backlog: number };
  /** Deliveries (e-mails, Slack posts) one process works on at once. */
  deliveryConcurrency: number;
  sendgrid: {
    apiKey: string | undefined;
    apiUrl: string;
    webhookPublicKey: string | undefined;
    /** Believe unsigned Event Webhook posts (when no webhookPublicKey); off unless set. */
    acceptUnsignedEvents: boolean;
  };
  mailFrom: string;
  /** Stripe Checkout behind the pay link of every invoice; null (no pay link) without both keys. */
  stripe: StripeSettings | null;
  /** The daily ECB fetches (exchange rates, main refinancing rate); null when COBRO_ECB_FETCH=off. */
  ecb: EcbSources | null;
};

export type StripeSettings = { secretKey: string; webhookSecret: string; apiUrl: string | undefined };

export type EcbSources = { fxUrl: string; mroUrl: string };

export const ECB_FX_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";
export const ECB_MRO_URL =
  "https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata&detail=dataonly";

function slackMode(env: ConfigSchema): SlackMode {
  if (env.SLACK_APP_TOKEN && env.SLACK_BOT_TOKEN) return "socket";
  if (env.SLACK_CLIENT_ID) return "oauth";
  if (env.SLACK_BOT_TOKEN) return "single";
  return "off";
}

/** Reads every variable at once and lists every problem, each with its name and what is expected. */
export function loadConfig(env: Env): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({
          name: String(issue.path[0] ?? "environment"),
          message: issue.message,
        }))),
    ...crossVariableProblems(env),
  ].map((problem) => describeProblem(problem, env));
  if (!parsed.success || problems.length > 0) {
    throw new DomainError("config.invalid", `Invalid configuration:\n${problems.join("\n")}`, {
      userMessage: `Cobro cannot start, the configuration has ${problems.length} problem(s):\n${problems.join("\n")}\nSee docs/configuration.md.`,
    });
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.COBRO_DATA_DIR,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    logLevel: e.LOG_LEVEL,
    encryptionKey: e.COBRO_ENCRYPTION_KEY,
    scheduler: e.COBRO_SCHEDULER === "on",
    console: {
      enabled: e.COBRO_CONSOLE !== "off" && slackMode(e) === "off" && !e.SLACK_SIGNING_SECRET,
      host: e.COBRO_CONSOLE_HOST,
    },
    slack: {
      mode: slackMode(e),
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
      apiUrl: e.SLACK_API_URL,
    },
    slackWork: { concurrency: e.COBRO_SLACK_CONCURRENCY, backlog: e.COBRO_SLACK_BACKLOG },
    verifactuAeat: {
      environment: e.COBRO_VERIFACTU_AEAT,
      url: e.COBRO_VERIFACTU_URL,
      caFile: e.COBRO_VERIFACTU_CA_FILE,
    },
    deliveryConcurrency: e.COBRO_DELIVERY_CONCURRENCY,
    verifactuProducer:
      e.COBRO_VERIFACTU_PRODUCER_NAME && e.COBRO_VERIFACTU_PRODUCER_NIF
        ? {
            name: e.COBRO_VERIFACTU_PRODUCER_NAME,
            nif: e.COBRO_VERIFACTU_PRODUCER_NIF,
            address: e.COBRO_VERIFACTU_PRODUCER_ADDRESS,
          }
        : undefined,
    sendgrid: {
      apiKey: e.SENDGRID_API_KEY,
      apiUrl: (e.SENDGRID_API_URL ?? "https://api.sendgrid.com").replace(/\/$/, ""),
      webhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY,
      acceptUnsignedEvents: e.COBRO_SENDGRID_ACCEPT_UNSIGNED === "true",
    },
    mailFrom: e.COBRO_MAIL_FROM ?? "billing@cobro.invalid",
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            apiUrl: e.COBRO_STRIPE_API_URL,
          }
        : null,
    ecb:
      e.COBRO_ECB_FETCH === "on"
        ? { fxUrl: e.COBRO_ECB_FX_URL ?? ECB_FX_URL, mroUrl: e.COBRO_ECB_MRO_URL ?? ECB_MRO_URL }
        : null,
  };
}
