// Data imported before Slack is connected stays in the one workspace Slack then uses, whatever the
// order: auth.test at start (bot token), installation (OAuth), or `cobro workspace link`.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import { workspaceCommand } from "../../src/cli/workspace.ts";
import { prepareConsoleWorkspace } from "../../src/console/prepare-workspace.ts";
import type { Database } from "../../src/db/client.ts";
import { workspaces } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, emptyTestDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let apps: SlackTestApp[] = [];

const fixture = (name: string) => `test/fixtures/${name}`;

async function importBeforeSlack() {
  const cli = cliRunner(importCommand, { deps: serviceDeps(database.db), database });
  for (const kind of ["clients", "projects", "milestones"]) {
    const result = await cli.run(kind, fixture(`${kind}.csv`));
    expect(result.out).toContain('workspace "My company"');
  }
}

async function slackApp(mode: "single" | "oauth" = "single") {
  const app = await startSlackTestApp({ db: database.db, mode });
  apps.push(app);
  return app;
}

async function lastReplyTo(app: SlackTestApp, teamId: string, text: string): Promise<string> {
  const before = api.hooks().length;
  await app.command({ teamId, userId: "UANYONE", command: "/milestone", text });
  await api.waitFor("hook", before + 1);
  return JSON.stringify(api.hooks().at(-1)?.body);
}

/** Cobro starts with a bot token of team TACME: Slack then sees the imported data, in one workspace. */
async function startWithBotTokenOfAcme() {
  api.respond("auth.test", () => ({
    ok: true,
    team_id: "TACME",
    team: "Acme",
    user_id: "UBOT",
    bot_id: "B1",
  }));
  const app = await slackApp();
  await app.slack.start();

  expect(await lastReplyTo(app, "TACME", "list atlas")).toContain("Design");
  const rows = await database.db.select().from(workspaces);
  expect(rows.map((w) => [w.name, w.slackTeamId])).toEqual([["My company", "TACME"]]);
}

beforeEach(async () => {
  api.reset();
  database = await emptyTestDatabase();
});
afterEach(async () => {
  for (const app of apps) await app.close();
  apps = [];
  await database.close();
});
afterAll(() => api.reset());

describe(`one workspace whatever the order, on ${backend()}`, () => {
  it("with a bot token, Cobro learns its team at start and the imported data is what Slack sees", async () => {
    await importBeforeSlack();
    await startWithBotTokenOfAcme();
  });

  it("tried first in the local console (npm start without Slack), the imported workspace is still the one Slack sees", async () => {
    await importBeforeSlack();
    // What `npm start` does without Slack settings: the console plays a Slack team of its own.
    await prepareConsoleWorkspace(database.db);
    await startWithBotTokenOfAcme();
    // The console's #billing and #collections are not channels of the real team: /cobro setup asks again.
    const [row] = await database.db.select().from(workspaces);
    expect([row?.billingChannelId, row?.collectionsChannelId]).toEqual([null, null]);
  });

  it("when Slack was unreachable at start, the team's first request binds the imported workspace", async () => {
    await importBeforeSlack();
    api.respond("auth.test", () => new Response("unavailable", { status: 503 }));
    const app = await slackApp();
    await app.slack.start();
    expect(await database.db.select().from(workspaces)).toHaveLength(1);
    api.respond("auth.test", () => ({ ok: true, team_id: "TACME", user_id: "UBOT", bot_id: "B1" }));

    expect(await lastReplyTo(app, "TACME", "list atlas")).toContain("Build");
    const rows = await database.db.select().from(workspaces);
    expect(rows.map((w) => w.slackTeamId)).toEqual(["TACME"]);
  });

  it("with OAuth, installing Cobro binds the imported workspace and makes the installer its admin", async () => {
    await importBeforeSlack();
    const app = await slackApp("oauth");
    api.respond("oauth.v2.access", () => ({
      ok: true,
      app_id: "ACOBRO",
      authed_user: { id: "UINSTALLER" },
      scope: "commands,chat:write",
      token_type: "bot",
      access_token: "xoxb-installed",
      bot_user_id: "UBOT",
      team: { id: "TINITECH", name: "Initech" },
      enterprise: null,
      is_enterprise_install: false,
    }));
    api.respond("auth.test", () => ({ ok: true, team_id: "TINITECH", user_id: "UBOT", bot_id: "BINIT" }));

    const install = await fetch(`${app.baseUrl}/slack/install`, { redirect: "manual" });
    const state = new URL(install.headers.get("location") ?? "").searchParams.get("state");
    const cookie = (install.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const callback = await fetch(`${app.baseUrl}/slack/oauth_redirect?code=C0DE&state=${state}`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(callback.status).toBe(200);

    expect(await lastReplyTo(app, "TINITECH", "list lyon-bi")).toContain("Kick-off");
    const rows = await database.db.select().from(workspaces);
    expect(rows.map((w) => [w.name, w.slackTeamId])).toEqual([["My company", "TINITECH"]]);
  });

  it("two unbound workspaces are not guessed between: `cobro workspace link` settles it", async () => {
    await importBeforeSlack();
    await database.db.insert(workspaces).values({ name: "Sister company" });
    api.respond("auth.test", () => ({ ok: true, team_id: "TACME", user_id: "UBOT", bot_id: "B1" }));
    const app = await slackApp();
    await app.slack.start();
    expect(await lastReplyTo(app, "TACME", "list atlas")).toContain("atlas");
    expect(
      (await database.db.select().from(workspaces)).filter((w) => w.slackTeamId === "TACME"),
    ).toHaveLength(1);

    const cli = cliRunner(workspaceCommand, { deps: serviceDeps(database.db), database });
    const linked = await cli.run("link", "My company", "TACME");
    expect(linked.code).toBe(0);
    expect(linked.out).toContain('Workspace "My company" is now bound to Slack team TACME');
    expect(linked.out).toContain('Workspace "TACME" had that team before and is now bound to none');
    // The request-path cache of another process would be stale: a fresh app is what restarts give.
    const restarted = await slackApp();
    expect(await lastReplyTo(restarted, "TACME", "list atlas")).toContain("Design");

    await expect(cli.run("link", "My company", "acme")).rejects.toMatchObject({
      userMessage: expect.stringContaining('"acme" is not a Slack team id'),
    });
  });
});
