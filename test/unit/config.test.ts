import { describe, expect, it } from "vitest";
import { ECB_FX_URL, ECB_MRO_URL, loadConfig } from "../../src/config.ts";
import { isDomainError } from "../../src/domain/errors.ts";

const KEY = "q83vEjRyxAYV5sKz0d9LmYbUN0p9xvC3kCzRr1+Uf0w=";

function problems(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isDomainError(error)) return error.userMessage;
    throw error;
  }
  return "valid";
}

describe("loadConfig", () => {
  it("runs the local console only without Slack credentials, bound to 127.0.0.1 unless told", () => {
    expect(loadConfig({}).console).toEqual({ enabled: true, host: "127.0.0.1" });
    expect(loadConfig({ COBRO_CONSOLE_HOST: "0.0.0.0" }).console).toEqual({ enabled: true, host: "0.0.0.0" });
    expect(loadConfig({ COBRO_CONSOLE: "off" }).console.enabled).toBe(false);
    const real = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
    expect(loadConfig(real).console.enabled).toBe(false);
    expect(problems({ ...real, COBRO_CONSOLE: "on" })).toMatch(
      /COBRO_CONSOLE: the local console never runs next to a real Slack workspace: unset SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or COBRO_CONSOLE/,
    );
  });

  it("runs with no configuration at all: embedded database, port 3000, local outbox", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: "./.cobro",
      port: 3000,
      publicUrl: "http://localhost:3000",
      logLevel: "info",
      scheduler: true,
      mailFrom: "billing@cobro.invalid",
      slack: { mode: "off" },
      sendgrid: { apiKey: undefined, apiUrl: "https://api.sendgrid.com" },
    });
  });

  it("treats empty strings as unset and derives the public URL from the port", () => {
    const config = loadConfig({
      DATABASE_URL: "",
      PORT: "8080",
      SENDGRID_API_URL: "https://api.eu.sendgrid.com/",
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe("http://localhost:8080");
    expect(config.sendgrid.apiUrl).toBe("https://api.eu.sendgrid.com");
    expect(loadConfig({ PUBLIC_URL: "https://cobro.example.com/" }).publicUrl).toBe(
      "https://cobro.example.com",
    );
  });

  it("lists every problem at once, each with the variable name and what is expected", () => {
    const message = problems({
      DATABASE_URL: "mysql://db",
      PORT: "http",
      LOG_LEVEL: "loud",
      COBRO_ENCRYPTION_KEY: "short",
      SLACK_BOT_TOKEN: "xoxp-user",
      COBRO_MAIL_FROM: "not mail",
      COBRO_SCHEDULER: "sometimes",
    });
    expect(message).toMatch(/configuration has \d+ problem/);
    for (const line of [
      /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL$/m,
      /PORT: expected a port number \(got "http"\)/,
      /LOG_LEVEL: expected one of fatal, error/,
      /COBRO_ENCRYPTION_KEY: expected 32 random bytes in base64/,
      /SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/,
      /COBRO_MAIL_FROM: expected an e-mail address/,
      /COBRO_SCHEDULER: expected on or off/,
    ]) {
      expect(message).toMatch(line);
    }
    expect(message).toContain("See docs/configuration.md.");
    expect(problems({ PORT: "70000" })).toMatch(/PORT: expected a port between 0 and 65535/);
    const limits = problems({ COBRO_SLACK_CONCURRENCY: "0", COBRO_SLACK_BACKLOG: "lots" });
    expect(limits).toMatch(/COBRO_SLACK_CONCURRENCY: expected 1 to 256 Slack requests worked on at once/);
    expect(limits).toMatch(/COBRO_SLACK_BACKLOG: expected a whole number of Slack requests waiting/);
  });

  it("never prints a value that may be secret: passwords, keys and tokens stay out of the message", () => {
    const secrets = {
      DATABASE_URL: "mysql://cobro:hunter2-db-password@db.internal/cobro",
      COBRO_ENCRYPTION_KEY: "not-quite-a-key-s3cr3t-material",
      SLACK_BOT_TOKEN: "xoxp-1234-5678-user-token-abcdef",
      SLACK_APP_TOKEN: "xoxb-wrong-kind-app-token-zyx",
      SENDGRID_API_URL: "ftp://apikey:SG.secret-sendgrid@api.sendgrid.com",
      COBRO_MAIL_FROM: "not mail but a s3cret",
    };
    const message = problems(secrets);
    for (const name of Object.keys(secrets)) expect(message).toContain(`${name}: expected`);
    for (const fragment of ["hunter2", "s3cr3t", "user-token", "app-token", "SG.secret", "s3cret"]) {
      expect(message).not.toContain(fragment);
    }
    // Harmless values are still shown, they help to spot the typo.
    expect(problems({ PORT: "80a" })).toMatch(/PORT: expected a port number \(got "80a"\)/);
  });

  it("refuses unsigned SendGrid events unless COBRO_SENDGRID_ACCEPT_UNSIGNED=true", () => {
    expect(loadConfig({}).sendgrid.acceptUnsignedEvents).toBe(false);
    expect(loadConfig({ COBRO_SENDGRID_ACCEPT_UNSIGNED: "true" }).sendgrid.acceptUnsignedEvents).toBe(true);
    expect(problems({ COBRO_SENDGRID_ACCEPT_UNSIGNED: "yes" })).toMatch(
      /COBRO_SENDGRID_ACCEPT_UNSIGNED: expected true or false \(got "yes"\)/,
    );
  });

  it("bounds the Slack work after the ack, 4 at once and 16 waiting unless told otherwise", () => {
    expect(loadConfig({}).slackWork).toEqual({ concurrency: 4, backlog: 16 });
    expect(loadConfig({ COBRO_SLACK_CONCURRENCY: "8", COBRO_SLACK_BACKLOG: "0" }).slackWork).toEqual({
      concurrency: 8,
      backlog: 0,
    });
  });

  it("checks rules between variables with the others", () => {
    expect(problems({ DATABASE_URL: "postgres://u@h/db" })).toMatch(
      /COBRO_ENCRYPTION_KEY: required when DATABASE_URL is set/,
    );
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db", COBRO_ENCRYPTION_KEY: KEY }).databaseUrl).toBe(
      "postgres://u@h/db",
    );
    const oauth = problems({ SLACK_CLIENT_ID: "123.456", SLACK_SIGNING_SECRET: "s", PORT: "x" });
    expect(oauth).toMatch(/SLACK_CLIENT_SECRET: required with the other SLACK_CLIENT_\* settings/);
    expect(oauth).toMatch(/SLACK_STATE_SECRET: required/);
    expect(oauth).toMatch(/PORT:/);
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" })).toMatch(
      /SLACK_SIGNING_SECRET: required to verify Slack requests/,
    );
    expect(problems({ SLACK_APP_TOKEN: "xapp-1" })).toMatch(/SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN/);
    expect(problems({ COBRO_VERIFACTU_PRODUCER_NAME: "Cobro Hosting SL" })).toMatch(
      /COBRO_VERIFACTU_PRODUCER_NIF: required with the other COBRO_VERIFACTU_PRODUCER_\* setting/,
    );
    expect(
      problems({ COBRO_VERIFACTU_PRODUCER_NAME: "Cobro Hosting SL", COBRO_VERIFACTU_PRODUCER_NIF: "B123" }),
    ).toMatch(/COBRO_VERIFACTU_PRODUCER_NIF: expected a Spanish NIF of 9 letters and digits/);
  });

  it("picks the Slack mode from what is set", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }).slack.mode).toBe("single");
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack.mode).toBe("socket");
    expect(
      loadConfig({
        SLACK_CLIENT_ID: "1",
        SLACK_CLIENT_SECRET: "2",
        SLACK_STATE_SECRET: "3",
        SLACK_SIGNING_SECRET: "s",
      }).slack.mode,
    ).toBe("oauth");
    expect(loadConfig({ COBRO_SCHEDULER: "off" }).scheduler).toBe(false);
  });

  it("fetches the ECB rates from the ECB unless told another URL, or not at all", () => {
    expect(loadConfig({}).ecb).toEqual({ fxUrl: ECB_FX_URL, mroUrl: ECB_MRO_URL });
    expect(ECB_FX_URL).toBe("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml");
    expect(loadConfig({ COBRO_ECB_FX_URL: "http://127.0.0.1:8080/fx.xml" }).ecb?.fxUrl).toBe(
      "http://127.0.0.1:8080/fx.xml",
    );
    expect(loadConfig({ COBRO_ECB_FETCH: "off" }).ecb).toBeNull();
    expect(() => loadConfig({ COBRO_ECB_FETCH: "daily", COBRO_ECB_MRO_URL: "ftp://ecb/mro" })).toThrow(
      /COBRO_ECB_FETCH: expected on or off[\s\S]*COBRO_ECB_MRO_URL/,
    );
  });

  it("turns pay links on only with both Stripe keys, refusing one alone or a malformed one", () => {
    expect(loadConfig({}).stripe).toBeNull();
    expect(
      loadConfig({
        STRIPE_SECRET_KEY: "sk_test_abc123",
        STRIPE_WEBHOOK_SECRET: "whsec_abc",
        COBRO_STRIPE_API_URL: "http://127.0.0.1:12111",
      }).stripe,
    ).toEqual({ secretKey: "sk_test_abc123", webhookSecret: "whsec_abc", apiUrl: "http://127.0.0.1:12111" });
    expect(problems({ STRIPE_SECRET_KEY: "sk_test_abc123" })).toMatch(
      /STRIPE_WEBHOOK_SECRET: required with the other STRIPE_\* setting/,
    );
    const bad = problems({ STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "abc" });
    expect(bad).toMatch(/STRIPE_SECRET_KEY: expected a Stripe secret key/);
    expect(bad).toMatch(/STRIPE_WEBHOOK_SECRET: expected the webhook signing secret starting with whsec_/);
    expect(bad).not.toContain("pk_test_abc");
  });
});
