// Amounts typed in Slack the way a Spanish or French reader writes them ("1 234,50", "4.500,25") are
// read as written, over signed HTTP: the Record payment modal and /milestone add. Before, only
// "1234.50" was accepted and a decimal comma was refused.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { COLLECTION_CALLBACKS, COLLECTION_FIELDS } from "../../src/collections/slack/collections-view.ts";
import { milestones, payments } from "../../src/db/schema/index.ts";
import { COLLECTION_ACTIONS, encodeInvoiceValue } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

describe(`amounts typed with a decimal comma over signed HTTP on ${backend()}`, () => {
  it.each([
    ["fr-FR", "1 234,50", 123_450],
    ["es-ES", "1.234,50", 123_450],
    ["es-ES", "99,9", 9_990],
  ])("a collector whose Slack speaks %s records %s", async (locale, typed, minor) => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "es" });
    const collector = await createMember(db, ws.id, { roles: ["collector"] });
    api.slackUser(collector.slackUserId as string, { locale });
    const client = await createClient(db, ws.id, { name: "Editorial Ñandú SA" });
    const invoice = await createIssuedInvoice(db, ws.id, client.id, {
      totalMinor: 200_000,
      dueDate: "2026-10-01",
    });

    const response = await slack.app.viewSubmission({
      teamId: ws.slackTeamId as string,
      userId: collector.slackUserId as string,
      callbackId: COLLECTION_CALLBACKS.recordPayment,
      privateMetadata: encodeInvoiceValue({ invoiceId: invoice.id }),
      values: {
        [COLLECTION_FIELDS.amount.block]: { value: { type: "plain_text_input", value: typed } },
        [COLLECTION_FIELDS.paidOn.block]: { value: { type: "datepicker", selected_date: "2026-11-20" } },
      },
    });

    expect((response.json() as { response_action: string }).response_action).toBe("update");
    const recorded = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(recorded.map((p) => p.amountMinor)).toEqual([minor]);
  });

  it("Record payment offers the open amount as a French collector writes it, and records it unchanged", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "fr" });
    const collector = await createMember(db, ws.id, { roles: ["collector"] });
    api.slackUser(collector.slackUserId as string, { locale: "fr-FR" });
    const client = await createClient(db, ws.id, { name: "Atelier Lefèvre SARL" });
    const invoice = await createIssuedInvoice(db, ws.id, client.id, {
      totalMinor: 2_223_076,
      openMinor: 2_223_076,
      dueDate: "2026-10-01",
    });
    await slack.app.action({
      teamId: ws.slackTeamId as string,
      userId: collector.slackUserId as string,
      actionId: COLLECTION_ACTIONS.recordPayment,
      value: encodeInvoiceValue({ invoiceId: invoice.id }),
    });
    await api.waitFor("views.update");
    const view = api.calls("views.update")[0]!.body.view as { private_metadata: string; blocks: unknown[] };
    const offered = JSON.stringify(view.blocks).match(/"initial_value":"([^"]*)"/)?.[1];
    expect(offered).toBe("22230,76");

    await slack.app.viewSubmission({
      teamId: ws.slackTeamId as string,
      userId: collector.slackUserId as string,
      callbackId: COLLECTION_CALLBACKS.recordPayment,
      privateMetadata: view.private_metadata,
      values: {
        [COLLECTION_FIELDS.amount.block]: { value: { type: "plain_text_input", value: String(offered) } },
        [COLLECTION_FIELDS.paidOn.block]: { value: { type: "datepicker", selected_date: "2026-11-20" } },
      },
    });
    const recorded = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(recorded.map((p) => p.amountMinor)).toEqual([2_223_076]);
  });

  it.each([
    ["4.500,25", 450_025],
    ["4 500,25", 450_025],
  ])("/milestone add takes the amount as a Spanish PM writes it: %s", async (typed, minor) => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "es" });
    const pm = await createMember(db, ws.id, { roles: ["pm"] });
    api.slackUser(pm.slackUserId as string, { locale: "es-ES" });
    const client = await createClient(db, ws.id);
    const project = await createProject(db, ws.id, client.id, { code: "p03", pmMemberId: pm.id });

    await slack.app.command({
      teamId: ws.slackTeamId as string,
      userId: pm.slackUserId as string,
      command: "/milestone",
      text: `add p03 "Formación del equipo" ${typed} 2027-02-01`,
    });
    await api.waitFor("hook");

    const planned = await db.select().from(milestones).where(eq(milestones.projectId, project.id));
    expect(planned.map((m) => [m.name, m.amountMinor])).toEqual([["Formación del equipo", minor]]);
  });
});
