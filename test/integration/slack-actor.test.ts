// A Slack request finds who acts once (the app's middleware) and every service reads it from there.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../src/db/client.ts";
import { members } from "../../src/db/schema/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;
/** Every `select … from members` the app makes, counted. */
let memberReads = 0;

/** The db the app is given: the same one, counting the statements that read the members table. */
function countingMemberReads(db: Db): Db {
  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== "select") return typeof value === "function" ? value.bind(target) : value;
      return (...args: Parameters<Db["select"]>) => {
        const builder = target.select(...args);
        const from = builder.from.bind(builder);
        return Object.assign(builder, {
          from: (table: Parameters<typeof from>[0]) => {
            if (table === members) memberReads += 1;
            return from(table);
          },
        });
      };
    },
  });
}

beforeAll(async () => {
  database = await testDatabase();
  app = await startSlackTestApp({ db: countingMemberReads(database.db) });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  api.reset();
  memberReads = 0;
});

describe(`who acts in a Slack request, on ${backend()}`, () => {
  it("looks the member up once per request, and their roles still decide", async () => {
    const workspace = await createWorkspace(database.db);
    const pm = await createMember(database.db, workspace.id, { roles: ["pm"], email: "pm@acme.example" });
    const otherPm = await createMember(database.db, workspace.id, { roles: ["pm"] });
    const client = await createClient(database.db, workspace.id);
    await createProject(database.db, workspace.id, client.id, { code: "ORION", pmMemberId: otherPm.id });

    await app.command({
      teamId: workspace.slackTeamId!,
      userId: pm.slackUserId!,
      command: "/cobro",
      text: "link orion",
      channelId: "CORION",
    });
    await api.waitFor("hook");
    expect(String(api.hooks()[0]?.body.text)).toMatch(/not the project manager of this project/);
    expect(memberReads).toBe(1);
  });

  it("tells a Slack user who is no member whom to ask, from the same request's lookup", async () => {
    const workspace = await createWorkspace(database.db);
    await createMember(database.db, workspace.id, { slackUserId: "UADMINX", roles: ["admin"] });
    const client = await createClient(database.db, workspace.id);
    await createProject(database.db, workspace.id, client.id, { code: "ORION" });
    api.reset();
    memberReads = 0;
    await app.command({
      teamId: workspace.slackTeamId!,
      userId: "UNOBODY",
      command: "/cobro",
      text: "link orion",
      channelId: "CORION",
    });
    await api.waitFor("hook");
    expect(String(api.hooks()[0]?.body.text)).toMatch(/Cobro does not know you yet.*<@UADMINX>/);
    // Their Slack id, then (no e-mail from Slack to link with) the admins to name.
    expect(memberReads).toBe(2);
  });
});
