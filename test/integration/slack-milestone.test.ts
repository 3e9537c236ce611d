import { and, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, deliveries, invoices, milestones, slackMessages } from "../../src/db/schema/index.ts";
import { ACTIONS, encodeInvoiceValue } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

async function scenario(options: { autoIssue?: boolean; locale?: "en" | "fr" | "es" } = {}) {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, {
    settings: { autoIssueOnMilestone: options.autoIssue ?? false },
    ...(options.locale ? { locale: options.locale } : {}),
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
    expect((await slack.app.post(body, { signature: "v0=deadbeef" })).status).toBe(401);
    expect((await slack.app.post(body, { signature: null })).status).toBe(401);
    expect((await slack.app.post(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(
      401,
    );
    const [row] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(row?.status).toBe("planned");
    expect(api.calls()).toHaveLength(0);
  });

  it("/milestone done marks done, creates one draft, posts to billing and project channels once", async () => {
    const s = await scenario();
    const res = await slack.app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas design",
    });
    expect(res.status).toBe(200);
    await api.waitFor("hook");
    expect(hookTexts()[0]).toMatch(/ATLAS · Design phase\* is done/);

    const [done] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(done).toMatchObject({ status: "done", doneByMemberId: s.pm.id });
    const drafts = await slack.database.db
      .select()
      .from(invoices)
      .where(eq(invoices.milestoneId, s.milestone.id));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.status).toBe("draft");
    const audit = await slack.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.milestone.id), eq(auditLog.action, "milestone.done")));
    expect(audit).toHaveLength(1);

    const outcomes = await slack.app.runDeliveries();
    expect(outcomes.map((o) => o.status)).toEqual(["sent", "sent"]);
    const posts = api.calls("chat.postMessage");
    expect(posts.map((p) => p.body.channel).sort()).toEqual(["CATLAS", "CBILLING"]);
    const blocks = JSON.stringify(posts[0]?.body.blocks);
    expect(blocks).toContain("Issue & send");
    expect(blocks).toContain("Hold");
    expect(String(posts[0]?.body.text)).toContain("5,000.00");
    const threads = await slack.database.db
      .select()
      .from(slackMessages)
      .where(eq(slackMessages.subjectId, drafts[0]!.id));
    expect(threads).toHaveLength(2);

    // The same command again (a retry or an impatient user) changes nothing and posts nothing.
    await slack.app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas design",
    });
    await api.waitFor("hook", 2);
    expect(hookTexts()[1]).toMatch(/already marked done/);
    expect(
      await slack.database.db.select().from(invoices).where(eq(invoices.milestoneId, s.milestone.id)),
    ).toHaveLength(1);
    expect(slack.app.enqueued).toHaveLength(0);
    const claims = await slack.database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.invoiceId, drafts[0]!.id));
    expect(claims).toHaveLength(2);
  });
});

describe(`milestones and invoice buttons in Slack on ${backend()}`, () => {
  const done = async (
    s: Awaited<ReturnType<typeof scenario>>,
    userId: string,
    text: string,
    hooks: number,
  ) => {
    await slack.app.command({ teamId: s.teamId, userId, command: "/milestone", text });
    await api.waitFor("hook", hooks);
    return hookTexts()[hooks - 1] ?? "";
  };
  const click = async (
    s: Awaited<ReturnType<typeof scenario>>,
    userId: string,
    actionId: string,
    invoiceId: string,
    hooks: number,
  ) => {
    await slack.app.action({ teamId: s.teamId, userId, actionId, value: encodeInvoiceValue({ invoiceId }) });
    await api.waitFor("hook", hooks);
    return hookTexts()[hooks - 1] ?? "";
  };
  const invoiceOf = async (milestoneId: string) =>
    (
      await slack.database.db
        .select()
        .from(invoices)
        .where(and(eq(invoices.milestoneId, milestoneId), ne(invoices.status, "void")))
    )[0]!;
  const emailClaims = async (invoiceId: string) =>
    (await slack.database.db.select().from(deliveries).where(eq(deliveries.invoiceId, invoiceId))).filter(
      (d) => d.kind === "email",
    );

  it("refuses a PM marking a milestone of someone else's project", async () => {
    const s = await scenario();
    const reply = await done(s, s.otherPm.slackUserId!, "done ATLAS design", 1);
    expect(reply).toMatch(/not the project manager/);
    const [row] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(row?.status).toBe("planned");
  });

  it("shows amounts the way the workspace's locale writes them, in replies and in the picker", async () => {
    const s = await scenario({ locale: "es" });
    const pm = s.pm.slackUserId!;
    await slack.app.command({ teamId: s.teamId, userId: pm, command: "/milestone", text: "list atlas" });
    await api.waitFor("hook");
    expect(JSON.stringify(api.hooks()[0]?.body)).toMatch(/5000,00\s€/);
    await slack.app.command({ teamId: s.teamId, userId: pm, command: "/milestone", text: "done atlas" });
    await api.waitFor("views.open");
    expect(JSON.stringify(api.calls("views.open")[0]?.body.view)).toMatch(/3000,00\s€/);
    await slack.app.command({
      teamId: s.teamId,
      userId: pm,
      command: "/milestone",
      text: "done atlas design",
    });
    await api.waitFor("hook", 2);
    expect(hookTexts()[1]).toMatch(/está hecho \(5000,00\s€\)/);
  });

  it("opens a picker modal when the milestone is missing or ambiguous", async () => {
    const s = await scenario();
    await slack.app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: "done atlas",
    });
    await api.waitFor("views.open");
    const view = api.calls("views.open")[0]?.body.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe("milestone_pick");
    expect(JSON.stringify(view.blocks)).toContain("Design phase");
    expect(JSON.stringify(view.blocks)).toContain("Delivery");
  });

  it("Issue & send by billing issues and claims the e-mail once, however many clicks", async () => {
    const s = await scenario();
    await done(s, s.pm.slackUserId!, "done atlas design", 1);
    await slack.app.runDeliveries();
    const draft = await invoiceOf(s.milestone.id);

    const refused = await click(s, s.pm.slackUserId!, ACTIONS.issueAndSend, draft.id, 2);
    expect(refused).toMatch(/Only someone with the billing role can issue/);
    expect((await invoiceOf(s.milestone.id)).status).toBe("draft");

    const issued = await click(s, s.billing.slackUserId!, ACTIONS.issueAndSend, draft.id, 3);
    expect(issued).toMatch(/Issued as/);
    const again = await click(s, s.billing.slackUserId!, ACTIONS.issueAndSend, draft.id, 4);
    expect(again).toMatch(/already issued/);
    const invoice = await invoiceOf(s.milestone.id);
    expect(invoice.status).toBe("issued");
    expect(invoice.number).toBeTruthy();
    expect(await emailClaims(draft.id)).toHaveLength(1);

    // The "issued" event goes in both threads and both parent messages are updated in place.
    api.reset();
    await slack.app.runDeliveries();
    const replies = api.calls("chat.postMessage");
    expect(replies.map((r) => r.body.channel).sort()).toEqual(["CATLAS", "CBILLING"]);
    expect(replies.every((r) => typeof r.body.thread_ts === "string")).toBe(true);
    expect(String(replies[0]?.body.text)).toContain(invoice.number!);
    expect(api.calls("chat.update")).toHaveLength(2);
    expect(JSON.stringify(api.calls("chat.update")[0]?.body.blocks)).not.toContain("Issue & send");
  });

  it("Hold parks the draft; undo after issuing is refused, before issuing it cancels the draft", async () => {
    const s = await scenario();
    await done(s, s.pm.slackUserId!, "done atlas design", 1);
    const draft = await invoiceOf(s.milestone.id);
    expect(await click(s, s.billing.slackUserId!, ACTIONS.holdDraft, draft.id, 2)).toMatch(/on hold/);
    expect((await invoiceOf(s.milestone.id)).status).toBe("held");

    expect(await done(s, s.pm.slackUserId!, "undo atlas design", 3)).toMatch(/planned again/);
    const [planned] = await slack.database.db
      .select()
      .from(milestones)
      .where(eq(milestones.id, s.milestone.id));
    expect(planned?.status).toBe("planned");
    const [voided] = await slack.database.db.select().from(invoices).where(eq(invoices.id, draft.id));
    expect(voided?.status).toBe("void");

    await done(s, s.pm.slackUserId!, "done atlas design", 4);
    const second = await invoiceOf(s.milestone.id);
    expect(await click(s, s.billing.slackUserId!, ACTIONS.issueAndSend, second.id, 5)).toMatch(/Issued as/);
    expect(await done(s, s.pm.slackUserId!, "undo atlas design", 6)).toMatch(/already been invoiced/);
    const [still] = await slack.database.db
      .select()
      .from(milestones)
      .where(eq(milestones.id, s.milestone.id));
    expect(still?.status).not.toBe("planned");
  });

  it("with auto-issue on, marking done issues and e-mails at once and posts the issued invoice", async () => {
    const s = await scenario({ autoIssue: true });
    expect(await done(s, s.pm.slackUserId!, "done atlas design", 1)).toMatch(/issued and is being e-mailed/);
    const invoice = await invoiceOf(s.milestone.id);
    expect(invoice.status).toBe("issued");
    expect(await emailClaims(invoice.id)).toHaveLength(1);
    await slack.app.runDeliveries();
    await slack.app.runDeliveries();
    const parents = api.calls("chat.postMessage").filter((c) => !c.body.thread_ts);
    expect(parents.map((p) => p.body.channel).sort()).toEqual(["CATLAS", "CBILLING"]);
    expect(JSON.stringify(parents[0]?.body.blocks)).not.toContain("Issue & send");
  });

  it("a 429 from chat.postMessage becomes a retry after Retry-After, and nothing is lost", async () => {
    const s = await scenario();
    await done(s, s.pm.slackUserId!, "done atlas design", 1);
    api.respond("chat.postMessage", () => api.rateLimited(30));
    const outcomes = await slack.app.runDeliveries();
    expect(outcomes).toMatchObject([
      { status: "retryLater", seconds: 30 },
      { status: "retryLater", seconds: 30 },
    ]);
    api.reset();
    expect((await slack.app.runDeliveries()).map((o) => o.status)).toEqual(["sent", "sent"]);
  });

  it("a malformed command gets a helpful ephemeral reply, never a 500", async () => {
    const s = await scenario();
    const res = await slack.app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/milestone",
      text: 'frobnicate <@U1> "',
    });
    expect(res.status).toBe(200);
    await api.waitFor("hook");
    expect(hookTexts()[0]).toMatch(/not a \/milestone command/);
  });
});
