import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  COLLECTION_ACTIONS,
  COLLECTION_CALLBACKS,
  COLLECTION_FIELDS,
} from "../../src/collections/slack/collections-view.ts";
import type { Database } from "../../src/db/client.ts";
import { auditLog, deliveries, invoiceCollections, invoices, payments } from "../../src/db/schema/index.ts";
import { encodeInvoiceValue } from "../../src/slack/kit/ids.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
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

async function scenario() {
  const db = database.db;
  const workspace = await createWorkspace(db);
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id);
  const project = await createProject(db, workspace.id, client.id, { pmMemberId: pm.id });
  const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
    projectId: project.id,
    dueDate: "2026-11-10",
  });
  return { db, workspace, teamId: workspace.slackTeamId as string, collector, pm, invoice };
}

const hookTexts = () => api.hooks().map((h) => String(h.body.text));

describe(`collections buttons in Slack on ${backend()}`, () => {
  it("Assign to me: a double click assigns once and says so", async () => {
    const s = await scenario();
    const click = () =>
      app.action({
        teamId: s.teamId,
        userId: s.collector.slackUserId!,
        actionId: COLLECTION_ACTIONS.assignToMe,
        value: encodeInvoiceValue({ invoiceId: s.invoice.id }),
      });
    expect((await click()).status).toBe(200);
    await api.waitFor("hook", 1);
    await click();
    await api.waitFor("hook", 2);
    expect(hookTexts()).toEqual(
      ["You now collect this invoice.", "You already collect this invoice."].map((t) =>
        expect.stringContaining(t),
      ),
    );
    const [row] = await s.db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, s.invoice.id));
    expect(row?.collectorMemberId).toBe(s.collector.id);
    const audits = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.invoice.id), eq(auditLog.action, "collection.assigned")));
    expect(audits).toHaveLength(1);
  });

  it("Dispute opens a modal; submitting it stops reminders and DMs the PM", async () => {
    const s = await scenario();
    await app.action({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      actionId: COLLECTION_ACTIONS.dispute,
      value: encodeInvoiceValue({ invoiceId: s.invoice.id }),
    });
    await api.waitFor("views.update");
    expect(api.calls("views.open")).toHaveLength(1);
    const view = api.calls("views.update")[0]!.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(COLLECTION_CALLBACKS.dispute);
    const submitted = await app.viewSubmission({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      callbackId: COLLECTION_CALLBACKS.dispute,
      privateMetadata: view.private_metadata,
      values: {
        [COLLECTION_FIELDS.reason.block]: { value: { type: "plain_text_input", value: "Hours not agreed" } },
      },
    });
    expect(submitted.status).toBe(200);
    const [row] = await s.db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, s.invoice.id));
    expect(row?.disputeReason).toBe("Hours not agreed");
    const dms = (await s.db.select().from(deliveries).where(eq(deliveries.invoiceId, s.invoice.id))).filter(
      (d) => (d.payload as { type: string }).type === "dispute_notice",
    );
    expect(dms.map((d) => (d.payload as { channel: string }).channel)).toEqual([s.pm.slackUserId]);
  });

  it("a refused action answers with the reason, not an error", async () => {
    const s = await scenario();
    await app.action({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      actionId: COLLECTION_ACTIONS.approveFormal,
      value: encodeInvoiceValue({ invoiceId: s.invoice.id }),
    });
    await api.waitFor("hook", 1);
    expect(hookTexts()[0]).toContain("Only a collector, someone in billing or an admin");
  });

  it("Record payment on a JPY invoice reads the amount with no decimals and refuses cents", async () => {
    const s = await scenario();
    const client = await createClient(s.db, s.workspace.id);
    const yen = await createIssuedInvoice(s.db, s.workspace.id, client.id, {
      currency: "JPY",
      totalMinor: 330_000,
      openMinor: 330_000,
      dueDate: "2026-11-10",
    });
    await app.action({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      actionId: COLLECTION_ACTIONS.recordPayment,
      value: encodeInvoiceValue({ invoiceId: yen.id }),
    });
    await api.waitFor("views.update");
    const view = api.calls("views.update")[0]!.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: unknown[];
    };
    expect(view.callback_id).toBe(COLLECTION_CALLBACKS.recordPayment);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('"initial_value":"330000"');
    expect(json).toContain("Amount received (JPY)");

    const submit = (amount: string) =>
      app.viewSubmission({
        teamId: s.teamId,
        userId: s.collector.slackUserId!,
        callbackId: COLLECTION_CALLBACKS.recordPayment,
        privateMetadata: view.private_metadata,
        values: {
          [COLLECTION_FIELDS.amount.block]: { value: { type: "plain_text_input", value: amount } },
          [COLLECTION_FIELDS.paidOn.block]: { value: { type: "datepicker", selected_date: "2026-11-20" } },
        },
      });
    const refused = await submit("1500.50");
    expect(refused.status).toBe(200);
    expect(refused.json()).toEqual({
      response_action: "errors",
      errors: { [COLLECTION_FIELDS.amount.block]: expect.stringContaining("JPY has 0 decimals") },
    });
    const bad = await submit("lots");
    expect(JSON.stringify(bad.json())).toContain("is not an amount");

    const ok = await submit("150000");
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ response_action: "update" });
    expect(JSON.stringify(ok.json())).toContain(
      `¥150,000 recorded on ${yen.number}; ¥180,000 is still open.`,
    );
    const recorded = await s.db.select().from(payments).where(eq(payments.invoiceId, yen.id));
    expect(recorded.map((p) => [p.amountMinor, p.currency])).toEqual([[150_000, "JPY"]]);
    const [after] = await s.db.select().from(invoices).where(eq(invoices.id, yen.id));
    expect(after?.openMinor).toBe(180_000);
  });

  it("collections buttons need a collector, billing or an admin; the project's PM may pause", async () => {
    const s = await scenario();
    const approver = await createMember(s.db, s.workspace.id, { roles: ["approver"] });
    const otherPm = await createMember(s.db, s.workspace.id, { roles: ["pm"] });
    const value = encodeInvoiceValue({ invoiceId: s.invoice.id });

    await app.action({
      teamId: s.teamId,
      userId: approver.slackUserId!,
      actionId: COLLECTION_ACTIONS.sendReminderNow,
      value,
    });
    await api.waitFor("hook", 1);
    expect(hookTexts()[0]).toContain("Only a collector, someone in billing or an admin");
    await app.action({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      actionId: COLLECTION_ACTIONS.assignToMe,
      value,
    });
    await api.waitFor("hook", 2);
    expect(hookTexts()[1]).toContain("Only a collector, someone in billing or an admin");
    const [row] = await s.db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, s.invoice.id));
    expect(row?.collectorMemberId ?? null).toBeNull();

    const modalText = async (userId: string, actionId: string) => {
      api.reset();
      await app.action({ teamId: s.teamId, userId, actionId, value });
      await api.waitFor("views.update");
      return JSON.stringify(api.calls("views.update")[0]!.body.view);
    };
    expect(await modalText(s.pm.slackUserId!, COLLECTION_ACTIONS.recordPayment)).toContain(
      "Only a collector, someone in billing or an admin",
    );
    expect(await modalText(otherPm.slackUserId!, COLLECTION_ACTIONS.pause)).toContain(
      "Only the PM of this invoice's project",
    );
    expect(await modalText(s.pm.slackUserId!, COLLECTION_ACTIONS.pause)).toContain(
      COLLECTION_CALLBACKS.pause,
    );

    // A submission from someone without the role is refused too (the modal could be stale).
    const refused = await app.viewSubmission({
      teamId: s.teamId,
      userId: otherPm.slackUserId!,
      callbackId: COLLECTION_CALLBACKS.dispute,
      privateMetadata: value,
      values: { [COLLECTION_FIELDS.reason.block]: { value: { type: "plain_text_input", value: "nope" } } },
    });
    expect(JSON.stringify(refused.json())).toContain("Only the PM of this invoice's project");
  });
});
