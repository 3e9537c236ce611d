import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCipher } from "../../src/secrets.ts";
import { createSlackApp, type SlackApp } from "../../src/slack/app.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { type FakeSocketMode, startFakeSocketMode } from "../helpers/fake-socket-mode.ts";
import { TEST_ENCRYPTION_KEY } from "../helpers/slack.ts";
import { RESPONSE_URL_BASE, SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let socket: FakeSocketMode;
let slack: SlackApp;

beforeAll(async () => {
  api.reset(); // whatever handlers an earlier file of this worker left behind
  socket = await startFakeSocketMode();
  api.respond("apps.connections.open", () => ({ ok: true, url: socket.url }));
  const { db } = await testDatabase();
  slack = createSlackApp({
    deps: serviceDeps(db),
    slack: {
      mode: "socket",
      appToken: "xapp-1-test",
      botToken: "xoxb-test-token",
      signingSecret: undefined,
      clientId: undefined,
      clientSecret: undefined,
      stateSecret: undefined,
      apiUrl: SLACK_API_URL,
    },
    cipher: createCipher(TEST_ENCRYPTION_KEY),
    publicUrl: "https://cobro.example.com",
    retries: 0,
  });
  await slack.start();
  await socket.connected();
});
afterAll(async () => {
  await slack?.stop();
  await socket?.close();
  api.reset();
});

describe(`Socket Mode on ${backend()}`, () => {
  it("connects with the app token, acks a slash command's envelope and answers on its response_url", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    expect(api.calls("apps.connections.open")[0]?.token).toBe("xapp-1-test");
    expect(slack.routes).toEqual([]);

    socket.send({
      envelope_id: "env-help-1",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: {
        token: "legacy",
        team_id: workspace.slackTeamId,
        team_domain: "acme",
        channel_id: "CGENERAL",
        channel_name: "general",
        user_id: "UHELP",
        user_name: "help",
        command: "/cobro",
        text: "help",
        api_app_id: "ACOBRO",
        response_url: `${RESPONSE_URL_BASE}commands/${workspace.slackTeamId}/socket-help`,
        trigger_id: "1.2.3",
      },
    });
    const ack = await socket.waitFor((m) => m.envelope_id === "env-help-1");
    expect(ack).toMatchObject({ envelope_id: "env-help-1" });
    await api.waitFor("hook");
    const reply = api.hooks().at(-1);
    expect(reply?.url).toContain("socket-help");
    expect(String(reply?.body.text ?? JSON.stringify(reply?.body.blocks))).toMatch(/\/milestone/);
  });
});
