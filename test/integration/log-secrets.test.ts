// Every line a real `cobro serve` prints at LOG_LEVEL=debug, through a start, an OAuth install (code
// exchanged with a stand-in slack.com), signed Slack requests and a SendGrid webhook post, holds
// none of the test secrets; nor does a start that fails on its database.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCobro, type ServeProcess, startServeProcess } from "../helpers/serve-process.ts";

const SECRETS = {
  SLACK_SIGNING_SECRET: "signing-5ecret-4f9a2c",
  SLACK_CLIENT_SECRET: "client-5ecret-7b21d0",
  SLACK_STATE_SECRET: "state-5ecret-9c44e1",
  COBRO_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  SENDGRID_API_KEY: "SG.sendgridkey1234.secretpart5678abcd",
};
const OAUTH_CODE = "4242.oauth-c0de-from-slack";
const BOT_TOKEN = "xoxb-4242-bot-t0ken-from-oauth";
const USER_TOKEN = "xoxp-4242-user-t0ken-from-oauth";
const DB_PASSWORD = "db-pa55word-never-printed";

/** slack.com as the OAuth exchange and the Web API answer it (docs: oauth.v2.access, auth.test). */
function fakeSlack(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0];
      const body =
        method === "oauth.v2.access"
          ? {
              ok: true,
              access_token: BOT_TOKEN,
              token_type: "bot",
              scope: "commands,chat:write",
              bot_user_id: "UCOBROBOT",
              app_id: "ACOBRO",
              team: { id: "TLOGS1", name: "Log test" },
              enterprise: null,
              is_enterprise_install: false,
              authed_user: { id: "UINSTALLER", scope: "", access_token: USER_TOKEN, token_type: "user" },
            }
          : method === "auth.test"
            ? {
                ok: true,
                url: "https://logs.slack.com/",
                team: "Log test",
                user: "cobro",
                team_id: "TLOGS1",
                user_id: "UCOBROBOT",
                bot_id: "BCOBRO",
              }
            : { ok: true };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
}

describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("secrets in Cobro's output", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-logs-"));
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  let slack: Server;
  let server: ServeProcess;
  let slackBase = "";

  beforeAll(async () => {
    slack = fakeSlack();
    slack.listen(0, "127.0.0.1");
    await once(slack, "listening");
    slackBase = `http://127.0.0.1:${(slack.address() as { port: number }).port}`;
    server = await startServeProcess({
      ...SECRETS,
      COBRO_DATA_DIR: dataDir,
      LOG_LEVEL: "debug",
      SLACK_CLIENT_ID: "4242.1",
      SLACK_API_URL: `${slackBase}/api/`,
      SENDGRID_WEBHOOK_PUBLIC_KEY: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    });
  });
  afterAll(async () => {
    await server?.stop();
    slack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints no token, secret, key or OAuth code at debug level", async () => {
    // OAuth: the install page sets the state cookie, the redirect exchanges the code.
    const install = await fetch(`${server.baseUrl}/slack/install`, { redirect: "manual" });
    const cookie = (install.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const state = new URL(install.headers.get("location") ?? "").searchParams.get("state") ?? "";
    expect(state).not.toBe("");
    const redirect = await fetch(
      `${server.baseUrl}/slack/oauth_redirect?code=${encodeURIComponent(OAUTH_CODE)}&state=${encodeURIComponent(state)}`,
      { headers: { cookie } },
    );
    expect(redirect.status).toBe(200);

    // Signed Slack requests: a command of the installed team and an event.
    const signed = async (body: string, contentType: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac("sha256", SECRETS.SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      const response = await fetch(`${server.baseUrl}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": contentType,
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": signature,
        },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    };
    const command = new URLSearchParams({
      team_id: "TLOGS1",
      user_id: "UINSTALLER",
      command: "/cobro",
      text: "help",
      api_app_id: "ACOBRO",
      response_url: `${slackBase}/hooks/commands/1`,
      trigger_id: "1.2.3",
    }).toString();
    expect(await signed(command, "application/x-www-form-urlencoded")).toBe(200);
    const event = JSON.stringify({
      type: "event_callback",
      team_id: "TLOGS1",
      api_app_id: "ACOBRO",
      event_id: "EvLOGS1",
      event: { type: "app_home_opened", user: "UINSTALLER", tab: "home" },
      authorizations: [{ team_id: "TLOGS1", user_id: "UCOBROBOT", is_bot: true }],
    });
    expect(await signed(event, "application/json")).toBe(200);

    // A SendGrid webhook post.
    const events = JSON.stringify([
      { sg_event_id: "ev-logs-1", event: "delivered", timestamp: 1_790_000_000 },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const webhook = await fetch(`${server.baseUrl}/webhooks/sendgrid`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-twilio-email-event-webhook-timestamp": timestamp,
        "x-twilio-email-event-webhook-signature": sign("sha256", Buffer.from(timestamp + events), {
          key: privateKey,
          dsaEncoding: "der",
        }).toString("base64"),
      },
      body: events,
    });
    expect(webhook.status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const output = server.output();
    // The run did log at debug level, requests included.
    expect(output).toMatch(/"level":20/);
    expect(output).toMatch(/oauth\.v2\.access/);
    for (const secret of [...Object.values(SECRETS), OAUTH_CODE, BOT_TOKEN, USER_TOKEN]) {
      expect(output, `printed: ${secret}`).not.toContain(secret);
    }
  });

  it("prints no password, key or token when the configuration is wrong", async () => {
    const failed = await runCobro(["migrate"], {
      DATABASE_URL: `mysql://cobro:${DB_PASSWORD}@db.internal/cobro`,
      COBRO_ENCRYPTION_KEY: "not-a-key-but-secret-material",
      SLACK_BOT_TOKEN: USER_TOKEN,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      LOG_LEVEL: "debug",
    }).catch((error: { stdout: string; stderr: string }) => error);
    const printed = `${failed.stdout}${failed.stderr}`;
    expect(printed).toMatch(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(printed).toMatch(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    for (const secret of [DB_PASSWORD, "not-a-key-but-secret-material", USER_TOKEN]) {
      expect(printed, `printed: ${secret}`).not.toContain(secret);
    }
  });
});
