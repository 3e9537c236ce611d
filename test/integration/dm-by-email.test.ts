// A DM to someone imported by e-mail (no Slack id yet) finds them with users.lookupByEmail; when Slack
// has nobody with that e-mail, billing is told where it looks and the delivery says why.
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HEADS_UP_PAYLOAD } from "../../src/collections/collection-payloads.ts";
import { collectionsSlackHandlers } from "../../src/collections/jobs/slack-collections.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { scanOverdue } from "../../src/collections/scan-overdue.ts";
import type { Database } from "../../src/db/client.ts";
import { auditLog, deliveries, members, slackMessages } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
const clock = fixedClock("2026-11-24T09:00:00Z");

beforeAll(async () => {
  database = await testDatabase();
});
beforeEach(() => api.reset());

async function overdueInvoiceOfImportedPeople() {
  const db = database.db;
  const workspace = await createWorkspace(db, { collectionsChannelId: null });
  const pm = await createMember(db, workspace.id, {
    email: "ana@consult.example",
    slackUserId: null,
    roles: ["pm"],
  });
  const collector = await createMember(db, workspace.id, {
    email: "lea@consult.example",
    slackUserId: null,
    roles: ["collector"],
  });
  const client = await createClient(db, workspace.id, { collectorMemberId: collector.id });
  const project = await createProject(db, workspace.id, client.id, { pmMemberId: pm.id });
  const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
    projectId: project.id,
    number: `R-${Date.now()}`,
    dueDate: "2026-11-23",
  });
  return { workspace, pm, collector, invoice };
}

async function deliverDigests(workspaceId: string) {
  const deps = serviceDeps(database.db, clock);
  await scanOverdue(testCtx(deps, workspaceId), {});
  const sender = createSlackSender({
    db: database.db,
    now: clock,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
    channelIntervalMs: 0,
  });
  const slack = byPayloadType(collectionsSlackHandlers(sender, database.db, clock));
  const dms = await database.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.kind, "slack_dm")));
  for (const { id } of dms) await runDelivery(database.db, { slack_dm: slack }, id, silentLogger);
  return database.db
    .select()
    .from(deliveries)
    .where(
      inArray(
        deliveries.id,
        dms.map((d) => d.id),
      ),
    );
}

describe(`DMs to people known by e-mail only, on ${backend()}`, () => {
  it("the PM imported by e-mail gets the overdue DM through users.lookupByEmail, and is linked once", async () => {
    const s = await overdueInvoiceOfImportedPeople();
    api.slackUser("UANA", { email: "ana@consult.example" });
    api.slackUser("ULEA", { email: "LEA@consult.example" });

    const sent = await deliverDigests(s.workspace.id);
    expect(sent.map((d) => d.status)).toEqual(["sent", "sent"]);
    const dmChannels = api.calls("chat.postMessage").map((c) => c.body.channel);
    expect(dmChannels.sort()).toEqual(["UANA", "ULEA"]);
    expect(JSON.stringify(api.calls("chat.postMessage")[0]?.body.blocks)).toContain(s.invoice.number!);
    const [pm] = await database.db.select().from(members).where(eq(members.id, s.pm.id));
    expect(pm?.slackUserId).toBe("UANA");
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.pm.id), eq(auditLog.action, "member.slack_linked")));
    expect(audits).toHaveLength(1);
  });

  it("the PM imported by e-mail also hears the day before that the client's first reminder goes", async () => {
    const s = await overdueInvoiceOfImportedPeople();
    api.slackUser("UANA", { email: "ana@consult.example" });
    const deps = serviceDeps(database.db, clock);
    await scanOverdue(testCtx(deps, s.workspace.id), {});
    await runReminders(testCtx(deps, s.workspace.id), {});
    const sender = createSlackSender({
      db: database.db,
      now: clock,
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    const slack = byPayloadType(collectionsSlackHandlers(sender, database.db, clock));
    const [headsUp] = await database.db
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.workspaceId, s.workspace.id),
          sql`${deliveries.payload}->>'type' = ${HEADS_UP_PAYLOAD}`,
        ),
      );
    expect(await runDelivery(database.db, { slack_dm: slack }, headsUp!.id, silentLogger)).toEqual({
      status: "sent",
    });
    const dm = api.calls("chat.postMessage").at(-1);
    expect(dm?.body.channel).toBe("UANA");
    expect(String(dm?.body.text)).toContain(`reminder #1 (courteous) for ${s.invoice.number}`);
  });

  it("when Slack has nobody with the e-mail, billing sees why and the delivery fails with the reason", async () => {
    const s = await overdueInvoiceOfImportedPeople();
    api.slackUser("UANA", { email: "ana@consult.example" });

    const sent = await deliverDigests(s.workspace.id);
    expect(sent.map((d) => d.status).sort()).toEqual(["failed", "sent"]);
    const failed = sent.find((d) => d.status === "failed");
    expect(failed?.lastError).toContain("Slack has nobody with the e-mail lea@consult.example");
    const note = api.calls("chat.postMessage").find((c) => c.body.channel === "CBILLING");
    expect(String(note?.body.text)).toContain(
      "Could not send the overdue alert by DM: Slack has nobody with the e-mail lea@consult.example",
    );
    expect(String(note?.body.text)).toContain(s.invoice.number!);
    // Run again (a retry): nothing is posted twice.
    const posts = api.calls("chat.postMessage").length;
    await database.db.update(deliveries).set({ status: "pending" }).where(eq(deliveries.id, failed!.id));
    await deliverDigests(s.workspace.id);
    expect(api.calls("chat.postMessage")).toHaveLength(posts);
    const recorded = await database.db
      .select()
      .from(slackMessages)
      .where(eq(slackMessages.workspaceId, s.workspace.id));
    expect(recorded).toHaveLength(1);
  });
});
