import { pino } from "pino";
import type { Config } from "./config.ts";

export type Logger = pino.Logger;

const HIDDEN = "[redacted]";

// What a secret looks like wherever it is written: Slack tokens, SendGrid and Cobro API keys, the
// password of a database URL, and the values of secret-named fields and query parameters (Bolt and
// the Slack Web API client log request bodies and URLs as text at debug level, OAuth code included).
const SECRET_SHAPES: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, `xox-${HIDDEN}`],
  [/\bxapp-[A-Za-z0-9-]+/g, `xapp-${HIDDEN}`],
  [/\bSG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, `SG.${HIDDEN}`],
  [/\b(cobro_[0-9a-f]{12}_)[A-Za-z0-9_-]+/g, `$1${HIDDEN}`],
  [/(postgres(?:ql)?:\/\/[^:/\s"@]+:)[^@\s"]+@/g, `$1${HIDDEN}@`],
  [
    /(\\?"(?:client_secret|token|access_token|refresh_token|password|secret|signing_secret|authorization)\\?"\s*:\s*\\?")(?:[^"\\]|\\[^"])*/gi,
    `$1${HIDDEN}`,
  ],
  // In text a library logged (escaped quotes): Cobro's own `code` fields are error codes.
  [/(\\"(?:code|state)\\":\s*\\")(?:[^"\\]|\\[^"])*/gi, `$1${HIDDEN}`],
  [/([?&](?:code|state|token|client_secret)=)[^&\s"\\]+/gi, `$1${HIDDEN}`],
];

/** Rewrites a log line so that no configured secret and nothing shaped like a secret is printed. */
export function redactSecrets(secrets: readonly string[]): (line: string) => string {
  // Short values would hide ordinary words; real secrets are long.
  const known = secrets.filter((secret) => secret.length >= 8);
  return (line) => {
    let out = line;
    for (const secret of known) {
      out = out.split(secret).join(HIDDEN);
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) out = out.split(escaped).join(HIDDEN);
    }
    for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}

function databasePassword(url: string): string[] {
  const { password } = new URL(url);
  return password ? [password, decodeURIComponent(password)] : [];
}

/** The configured values that must never appear in a log line. */
export function configSecrets(config: Config): string[] {
  const values = [
    config.slack.signingSecret,
    config.slack.botToken,
    config.slack.appToken,
    config.slack.clientSecret,
    config.slack.stateSecret,
    config.encryptionKey,
    config.sendgrid.apiKey,
    ...(config.databaseUrl ? databasePassword(config.databaseUrl) : []),
  ];
  return values.filter((value): value is string => Boolean(value));
}

// Logs go to stderr so that CLI output on stdout (JSON, CSV) stays clean for pipes.
export function createLogger(level: string, secrets: readonly string[] = []): Logger {
  return pino(
    { level, base: { app: "cobro" }, hooks: { streamWrite: redactSecrets(secrets) } },
    pino.destination(2),
  );
}
