import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { auditLog, deliveries, invoices, milestones, slackMessages } from "../../src/db/schema/index.ts";
import { ACTIONS, encodeInvoiceValue } from "../../src/slack/ids.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import {
  createClient,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;

beforeAll(async () => {
  database = await testDatabase();
  app = await startSlackTestApp({ db: database.db });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  api.reset();
  app.enqueued.length = 0;
});

async function scenario(options: { autoIssue?: boolean } = {}) {
  const db = database.db;
  const workspace = await createWorkspace(db, {
    settings: { autoIssueOnMilestone: options.autoIssue ?? false },
  });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const otherPm = await createMember(db, workspace.id, { roles: ["pm"] });
  const billing = await createMember(db, workspace.id, { roles: ["billing"] });
  const client = await createClient(db, workspace.id, { name: "Globex" });
  const project = await createProject(db, workspace.id, client.id, {
    code: "ATLAS",
    name: "Atlas Rédesign",
    pmMemberId: pm.id,
    slackChannelId: "CATLAS",
  });
  const milestone = await createMilestone(db, workspace.id, project.id, {
    name: "Design phase",
    amountMinor: 500000,
  });
  const other = await createMilestone(db, workspace.id, project.id, {
    name: "Delivery",
    amountMinor: 300000,
  });
  return {
    workspace,
    teamId: workspace.slackTeamId as string,
    pm,
    otherPm,
    billing,
    client,
    project,
    milestone,
    other,
  };
}

const hookTexts = () => api.hooks().map((h) => String(h.body.text));

describe(`Slack app over signed HTTP on ${backend()}`, () => {
  it("refuses forged, missing and stale signatures with 401 and changes nothing", async () => {
    const s = await scenario();
    const body = new URLSearchParams({
      team_id: s.teamId,
      user_id: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas design",
    }).toString();
    expect((await app.post(body, { signature: "v0=deadbeef" })).status).toBe(401);
    expect((await app.post(body, { signature: null })).status).toBe(401);
    expect((await app.post(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const [row] = await database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(row?.status).toBe("planned");
    expect(api.calls()).toHaveLength(0);
  });

  it("/milestone done marks done, creates one draft, posts to billing and project channels once", async () => {
    const s = await scenario();
    const res = await app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas design",
    });
    expect(res.status).toBe(200);
    await api.waitFor("hook");
    expect(hookTexts()[0]).toMatch(/ATLAS · Design phase\* is done/);

    const [done] = await database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(done).toMatchObject({ status: "done", doneByMemberId: s.pm.id });
    const drafts = await database.db.select().from(invoices).where(eq(invoices.milestoneId, s.milestone.id));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.status).toBe("draft");
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.milestone.id), eq(auditLog.action, "milestone.done")));
    expect(audit).toHaveLength(1);

    const outcomes = await app.runDeliveries();
    expect(outcomes.map((o) => o.status)).toEqual(["sent", "sent"]);
    const posts = api.calls("chat.postMessage");
    expect(posts.map((p) => p.body.channel).sort()).toEqual(["CATLAS", "CBILLING"]);
    const blocks = JSON.stringify(posts[0]?.body.blocks);
    expect(blocks).toContain("Issue & send");
    expect(blocks).toContain("Hold");
    expect(String(posts[0]?.body.text)).toContain("5,000.00");
    const threads = await database.db
      .select()
      .from(slackMessages)
      .where(eq(slackMessages.subjectId, drafts[0]!.id));
    expect(threads).toHaveLength(2);

    // The same command again (a retry or an impatient user) changes nothing and posts nothing.
    await app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas design",
    });
    await api.waitFor("hook", 2);
    expect(hookTexts()[1]).toMatch(/already marked done/);
    expect(
      await database.db.select().from(invoices).where(eq(invoices.milestoneId, s.milestone.id)),
    ).toHaveLength(1);
    expect(app.enqueued).toHaveLength(0);
    const claims = await database.db.select().from(deliveries).where(eq(deliveries.invoiceId, drafts[0]!.id));
    expect(claims).toHaveLength(2);
  });
});
