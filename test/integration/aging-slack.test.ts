import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { COLLECTION_CALLBACKS, COLLECTION_FIELDS } from "../../src/collections/slack/collections-view.ts";
import type { Database } from "../../src/db/client.ts";
import { clients, deliveries, invoices, reminders } from "../../src/db/schema/index.ts";
import { AGING_ACTIONS, encodeAgingState, encodeInvoiceValue } from "../../src/slack/kit/ids.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";
import { debtorMenuChoice, invoiceChoice, postBlockAction, tableRows } from "../helpers/slack-payloads.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;

beforeAll(async () => {
  database = await testDatabase();
  // The registry answers every Slack id, the payment modal's submission included.
  app = await startSlackTestApp({ db: database.db });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  api.reset();
});

async function scenario() {
  const ws = await createWorkspace(database.db);
  await createMember(database.db, ws.id, { slackUserId: "UASKER", roles: ["collector"] });
  const client = await createClient(database.db, ws.id, { externalId: "ACME", name: "Acme SA" });
  await createIssuedInvoice(database.db, ws.id, client.id, { totalMinor: 50_000, dueDate: "2026-11-30" });
  const late = await createIssuedInvoice(database.db, ws.id, client.id, {
    totalMinor: 20_000,
    dueDate: "2026-10-01",
  });
  return { ws, teamId: ws.slackTeamId as string, client, late };
}

/** The Statement of account… button of a client's report. */
const statementButton = (clientId: string) => ({
  type: "button",
  action_id: AGING_ACTIONS.statement,
  block_id: `99|${encodeAgingState({ a: "2026-11-23", b: "due", c: clientId })}`,
  value: encodeAgingState({ a: "2026-11-23", b: "due", c: clientId }),
  text: { type: "plain_text", text: "Statement of account…" },
});

/** A button of the preview as Slack sends it back: taken from the message received. */
function previewButton(blocks: unknown, actionId: string): Record<string, unknown> {
  const elements = (blocks as { type: string; elements?: Record<string, unknown>[] }[]).flatMap(
    (b) => b.elements ?? [],
  );
  const found = elements.find((e) => e.action_id === actionId);
  if (!found) throw new Error(`no ${actionId} in the preview`);
  return { ...found, block_id: "p" };
}

const openInvoices = (clientId: string) =>
  database.db.select().from(invoices).where(eq(invoices.clientId, clientId));

/** The statement e-mails claimed in a workspace (each one a delivery). */
const statementEmails = async (workspaceId: string) =>
  (
    await database.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.kind, "email")))
  ).map((d) => (d.payload as { type: string }).type);

/** A block_actions payload for one of the report's elements (button, select or overflow). */
const blockAction = (teamId: string, element: Record<string, unknown>, userId = "UASKER") =>
  postBlockAction(app, teamId, element, userId);

const lastHook = () =>
  api.hooks().at(-1)?.body as {
    text: string;
    blocks?: unknown[];
    replace_original?: boolean;
    response_type?: string;
  };

describe(`/aging over signed HTTP on ${backend()}`, () => {
  it("acks at once and answers ephemerally with the report of the request's workspace", async () => {
    const s = await scenario();
    const other = await scenario(); // another workspace with the same client id
    const res = await app.command({ teamId: s.teamId, userId: "UASKER", command: "/aging", text: "" });
    expect(res.status).toBe(200);
    await api.waitFor("hook");
    const reply = lastHook();
    expect(reply.response_type).toBe("ephemeral");
    const json = JSON.stringify(reply.blocks);
    expect(json).toContain("Aged receivables · Nov 23, 2026");
    expect(json).toContain("€700.00"); // 500 + 200 of this workspace only
    expect(json).toContain("Acme SA");
    expect(other.ws.id).not.toBe(s.ws.id);
  });

  it("speaks the workspace's language to a member Slack tells nothing of: Spanish, euros the Spanish way", async () => {
    const ws = await createWorkspace(database.db, { locale: "es" });
    await createMember(database.db, ws.id, { slackUserId: "UASKER", roles: ["collector"] });
    const client = await createClient(database.db, ws.id, { externalId: "SOL", name: "Sol SL" });
    await createIssuedInvoice(database.db, ws.id, client.id, {
      totalMinor: 1_234_567,
      dueDate: "2026-10-01",
    });
    const spanish = "12.345,67\u00a0€";
    await app.command({ teamId: ws.slackTeamId as string, userId: "UASKER", command: "/aging", text: "" });
    await api.waitFor("hook");
    expect(JSON.stringify(lastHook().blocks)).toContain(`Sol SL* (SOL)\\n${spanish} pendiente`);
    expect(lastHook().text).toContain(spanish);
    expect(JSON.stringify(lastHook())).not.toContain("€12,345.67");

    api.reset();
    await blockAction(ws.slackTeamId as string, {
      type: "button",
      action_id: `${AGING_ACTIONS.bucket}_2`,
      block_id: "b",
      value: encodeAgingState({ a: "2026-11-23", b: "due", k: 2, n: 0 }),
    });
    await api.waitFor("hook");
    expect(tableRows(lastHook().blocks)[1]?.slice(1)).toEqual([
      "Sol SL",
      "1 oct 2026",
      "1 oct 2026",
      "53",
      spanish,
    ]);
    expect(JSON.stringify(lastHook().blocks)).toContain("Elige una factura…");
  });

  it("explains bad arguments and how to write them", async () => {
    const s = await scenario();
    await app.command({
      teamId: s.teamId,
      userId: "UASKER",
      command: "/aging",
      text: "acme as-of 2026-13-01",
    });
    await api.waitFor("hook");
    expect(lastHook().text).toContain('"2026-13-01" is not a date');
    expect(lastHook().text).toContain("/aging [client | project | @collector]");
    api.reset();
    await app.command({ teamId: s.teamId, userId: "UASKER", command: "/aging", text: "nobody" });
    await api.waitFor("hook");
    expect(lastHook().text).toContain('No client, project or collector matches "nobody"');
  });

  it("drills into a bucket and filters by currency", async () => {
    const s = await scenario();
    const state = { a: "2026-11-23", b: "due" as const };
    await blockAction(s.teamId, {
      type: "button",
      action_id: `${AGING_ACTIONS.bucket}_2`,
      block_id: "b",
      value: encodeAgingState({ ...state, k: 2, n: 0 }),
    });
    await api.waitFor("hook");
    expect(lastHook().replace_original).toBe(true);
    expect(JSON.stringify(lastHook().blocks)).toContain("31-60 days past due");
    // One row a late invoice: its number, client, dates, days late and open amount in a table.
    expect(tableRows(lastHook().blocks)).toEqual([
      ["Invoice", "Client", "Issued", "Due", "Days late", "Open"],
      [s.late.number, "Acme SA", "Oct 1, 2026", "Oct 1, 2026", "53", "€200.00"],
    ]);
    expect(lastHook().text).toContain("Acme SA: €200.00 open, 53 days late");

    api.reset();
    await blockAction(s.teamId, {
      type: "static_select",
      action_id: AGING_ACTIONS.filterCurrency,
      block_id: `98|${encodeAgingState(state)}`,
      selected_option: { text: { type: "plain_text", text: "USD" }, value: "USD" },
    });
    await api.waitFor("hook");
    expect(JSON.stringify(lastHook().blocks)).toContain("Nothing is open");
  });

  it("Record payment from a debtor with one open invoice opens the payment modal of that invoice", async () => {
    const ws = await createWorkspace(database.db);
    await createMember(database.db, ws.id, { slackUserId: "UASKER", roles: ["collector"] });
    const client = await createClient(database.db, ws.id, { name: "Solo SL" });
    const only = await createIssuedInvoice(database.db, ws.id, client.id, {
      totalMinor: 20_000,
      dueDate: "2026-10-01",
    });
    const state = { a: "2026-11-23", b: "due" as const };
    await blockAction(ws.slackTeamId as string, debtorMenuChoice("pay", client.id, state));
    await api.waitFor("views.update");
    expect(api.calls("views.open")).toHaveLength(1);
    const view = api.calls("views.update")[0]?.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(COLLECTION_CALLBACKS.recordPayment);
    expect(view.private_metadata).toBe(encodeInvoiceValue({ invoiceId: only.id }));
    expect(JSON.stringify(view)).toContain('"initial_value":"200.00"');
  });

  it("Record payment from a debtor with several invoices takes one transfer and settles them oldest first", async () => {
    const s = await scenario();
    await blockAction(s.teamId, debtorMenuChoice("pay", s.client.id, { a: "2026-11-23", b: "due" }));
    await api.waitFor("views.open");
    const view = api.calls("views.open")[0]?.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(COLLECTION_CALLBACKS.clientPayment);
    expect(JSON.stringify(view)).toContain("2 open invoices");
    expect(JSON.stringify(view)).toContain('"initial_value":"700.00"');
    const submit = (amount: string) =>
      app.viewSubmission({
        teamId: s.teamId,
        userId: "UASKER",
        callbackId: COLLECTION_CALLBACKS.clientPayment,
        privateMetadata: view.private_metadata,
        values: {
          [COLLECTION_FIELDS.amount.block]: { value: { type: "plain_text_input", value: amount } },
          [COLLECTION_FIELDS.paidOn.block]: { value: { type: "datepicker", selected_date: "2026-11-20" } },
          [COLLECTION_FIELDS.reference.block]: { value: { type: "plain_text_input", value: "BANK-1" } },
        },
      });
    const tooMuch = await submit("800.00");
    expect(tooMuch.json()).toMatchObject({
      response_action: "errors",
      errors: {
        [COLLECTION_FIELDS.amount.block]: expect.stringContaining("more than the 2 open invoices"),
      },
    });
    expect((await submit("250.00")).status).toBe(200);
    const open = await database.db.select().from(invoices).where(eq(invoices.clientId, s.client.id));
    // The older invoice (200.00, due 1 October) is paid; the other keeps 450.00 of 500.00 open.
    expect(open.map((i) => [i.dueDate, i.status, i.openMinor]).sort()).toEqual([
      ["2026-10-01", "paid", 0],
      ["2026-11-30", "partially_paid", 45_000],
    ]);
  });

  it("a debtor with several invoices asks which one; an invoice's Send reminder sends it", async () => {
    const s = await scenario();
    const state = { a: "2026-11-23", b: "due" as const };
    await blockAction(s.teamId, debtorMenuChoice("remind", s.client.id, state));
    await api.waitFor("hook");
    expect(lastHook().text).toContain("Acme SA has 2 open invoices");
    expect(lastHook().text).not.toContain("not available yet");
    // The client's open invoices as a table, due first, and a select of them to remind.
    const pick = lastHook().blocks;
    const other = (await openInvoices(s.client.id)).find((i) => i.id !== s.late.id);
    expect(tableRows(pick)).toEqual([
      ["Invoice", "Due", "Open"],
      [s.late.number, "Oct 1, 2026", "€200.00"],
      [other?.number, "Nov 30, 2026", "€500.00"],
    ]);
    expect(JSON.stringify(pick)).not.toContain("Record payment");
    api.reset();
    await blockAction(s.teamId, invoiceChoice(pick, "remind", other?.id ?? ""));
    await api.waitFor("hook");
    expect(lastHook().text).toBe(":email: Reminder #1 is on its way to the client.");
    expect(
      await database.db
        .select()
        .from(reminders)
        .where(eq(reminders.invoiceId, other?.id ?? "")),
    ).toHaveLength(1);

    // The bucket's table, then its one select: Send reminder on the late invoice.
    api.reset();
    await blockAction(s.teamId, {
      type: "button",
      action_id: `${AGING_ACTIONS.bucket}_2`,
      block_id: "b",
      value: encodeAgingState({ ...state, k: 2, n: 0 }),
    });
    await api.waitFor("hook");
    const drillDown = lastHook().blocks;
    api.reset();
    await blockAction(s.teamId, invoiceChoice(drillDown, "remind", s.late.id));
    await api.waitFor("hook");
    expect(lastHook().text).toMatch(/Reminder #\d+ is on its way to the client/);
    const [reminder] = await database.db.select().from(reminders).where(eq(reminders.invoiceId, s.late.id));
    expect(reminder).toBeDefined();
  });

  it("Record payment chosen in a drill-down's select opens that invoice's payment modal, as its row menu did", async () => {
    const s = await scenario();
    await blockAction(s.teamId, {
      type: "button",
      action_id: `${AGING_ACTIONS.bucket}_2`,
      block_id: "b",
      value: encodeAgingState({ a: "2026-11-23", b: "due", k: 2, n: 0 }),
    });
    await api.waitFor("hook");
    const drillDown = lastHook().blocks;
    expect(JSON.stringify(drillDown)).not.toContain('"overflow"');
    await blockAction(s.teamId, invoiceChoice(drillDown, "pay", s.late.id));
    await api.waitFor("views.update");
    const view = api.calls("views.update")[0]?.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(COLLECTION_CALLBACKS.recordPayment);
    expect(view.private_metadata).toBe(encodeInvoiceValue({ invoiceId: s.late.id }));
    expect(JSON.stringify(view)).toContain('"initial_value":"200.00"');
  });

  it("Statement of account… previews the statement as a table and sends nothing before Send", async () => {
    const s = await scenario();
    await blockAction(s.teamId, statementButton(s.client.id));
    await api.waitFor("hook");
    const preview = lastHook();
    // Beside the report (which stays), in its own message.
    expect(preview.replace_original).toBe(false);
    expect(JSON.stringify(preview.blocks)).toContain("Statement of account · Acme SA");
    const other = (await openInvoices(s.client.id)).find((i) => i.id !== s.late.id);
    expect(tableRows(preview.blocks)).toEqual([
      ["Invoice", "Date", "Due", "Amount", "Paid", "Open", "Days late"],
      [s.late.number, "Oct 1, 2026", "Oct 1, 2026", "€200.00", "€0.00", "€200.00", "53"],
      [other?.number, "Oct 1, 2026", "Nov 30, 2026", "€500.00", "€0.00", "€500.00", "—"],
      ["Not yet due (EUR)", " ", " ", " ", " ", "€500.00", " "],
      ["31-60 days late (EUR)", " ", " ", " ", " ", "€200.00", " "],
      ["Total open (EUR)", " ", " ", " ", " ", "€700.00", " "],
    ]);
    expect(preview.text).toContain(
      "Statement of account of Acme SA as of Nov 23, 2026: 2 open invoices, €700.00 open",
    );
    const send = previewButton(preview.blocks, AGING_ACTIONS.statementSend);
    expect((send.text as { text: string }).text).toMatch(/^Send to ap-.*@client\.example$/);
    expect(await statementEmails(s.ws.id)).toEqual([]);

    // Cancel: the preview says nothing went, and nothing did.
    await blockAction(s.teamId, previewButton(preview.blocks, AGING_ACTIONS.statementCancel));
    await api.waitFor("hook", 2);
    expect(lastHook()).toMatchObject({
      replace_original: true,
      text: "The statement of account was not sent.",
    });
    expect(await statementEmails(s.ws.id)).toEqual([]);
  });

  it("Send under the preview e-mails the statement once a day, whatever the clicks", async () => {
    const s = await scenario();
    await blockAction(s.teamId, statementButton(s.client.id));
    await api.waitFor("hook");
    const send = previewButton(lastHook().blocks, AGING_ACTIONS.statementSend);
    api.reset();
    // A double click: two requests, one e-mail claimed.
    await Promise.all([blockAction(s.teamId, send), blockAction(s.teamId, send)]);
    await api.waitFor("hook", 2);
    const answers = api.hooks().map((h) => (h.body as { text: string }).text);
    expect(
      answers.filter((text) =>
        /statement of account of Acme SA is on its way to ap-.*@client\.example/.test(text),
      ),
    ).toHaveLength(1);
    expect(
      answers.filter((text) => /statement of account of Acme SA already went today/.test(text)),
    ).toHaveLength(1);
    expect(lastHook().replace_original).toBe(true);
    expect(await statementEmails(s.ws.id)).toEqual(["statement_email"]);

    // Previewed again the same day: it says where today's went, and offers no Send.
    api.reset();
    await blockAction(s.teamId, statementButton(s.client.id));
    await api.waitFor("hook");
    const again = JSON.stringify(lastHook().blocks);
    expect(again).toMatch(/Today's statement of account already went to ap-.*@client\.example/);
    expect(again).not.toContain(AGING_ACTIONS.statementSend);
    expect(tableRows(lastHook().blocks).at(-1)?.[5]).toBe("€700.00");
  });

  it("a client without a billing e-mail gets a preview that says why it cannot go, and no Send", async () => {
    const s = await scenario();
    await database.db.update(clients).set({ emails: [] }).where(eq(clients.id, s.client.id));
    await blockAction(s.teamId, statementButton(s.client.id));
    await api.waitFor("hook");
    const json = JSON.stringify(lastHook().blocks);
    expect(json).toContain("Acme SA has no billing e-mail address, so the statement cannot go");
    expect(json).not.toContain(AGING_ACTIONS.statementSend);
    expect(tableRows(lastHook().blocks).at(-1)?.[5]).toBe("€700.00");
  });

  it("is refused clearly to someone who is not a collector, billing, an admin or a PM", async () => {
    const s = await scenario();
    await createMember(database.db, s.ws.id, { slackUserId: "UAPPROVER", roles: ["approver"] });
    await app.command({ teamId: s.teamId, userId: "UAPPROVER", command: "/aging", text: "" });
    await api.waitFor("hook");
    expect(lastHook().text).toContain("project managers (their own projects)");
    expect(lastHook().blocks).toBeUndefined();

    api.reset();
    await blockAction(
      s.teamId,
      {
        type: "button",
        action_id: `${AGING_ACTIONS.bucket}_2`,
        block_id: "b",
        value: encodeAgingState({ a: "2026-11-23", b: "due", k: 2, n: 0 }),
      },
      "UAPPROVER",
    );
    await api.waitFor("hook");
    expect(lastHook().text).toContain("project managers (their own projects)");
    expect(JSON.stringify(lastHook())).not.toContain("€200.00");
  });

  it("shares a copy in the channel and exports the CSV to the asker's DM", async () => {
    const s = await scenario();
    const value = encodeAgingState({ a: "2026-11-23", b: "due" });
    await blockAction(s.teamId, { type: "button", action_id: AGING_ACTIONS.share, block_id: "99|x", value });
    await api.waitFor("chat.postMessage");
    const posted = api.calls("chat.postMessage")[0]?.body;
    expect(posted?.channel).toBe("CFINANCE");
    expect(JSON.stringify(posted?.blocks)).toContain("shared by <@UASKER>");
    await api.waitFor("hook");
    expect(lastHook().text).toContain("Shared");
    // A double click on the same report shares nothing more.
    await blockAction(s.teamId, { type: "button", action_id: AGING_ACTIONS.share, block_id: "99|x", value });
    await api.waitFor("hook", 2);
    expect(lastHook().text).toBe("This report is already shared in this channel.");
    expect(api.calls("chat.postMessage")).toHaveLength(1);

    api.reset();
    const uploaded = api.acceptFileUploads();
    await blockAction(s.teamId, {
      type: "button",
      action_id: AGING_ACTIONS.exportCsv,
      block_id: "99|x",
      value,
    });
    await api.waitFor("files.completeUploadExternal");
    expect(api.calls("conversations.open")[0]?.body.users).toBe("UASKER");
    expect(JSON.stringify(api.calls("files.completeUploadExternal")[0]?.body)).toContain("DUASKER");
    expect(uploaded()).toContain("ACME,Acme SA,EUR,500.00,0.00,200.00,0.00,0.00,700.00,53,2");
    // Then the base-currency buckets at the last 12 month-ends (both invoices issued on 2026-10-01).
    expect(uploaded()).toContain(",MONTH-END 2025-11-30,EUR,0.00,0.00,0.00,0.00,0.00,0.00,,");
    expect(uploaded()).toContain(",MONTH-END 2026-10-31,EUR,500.00,200.00,0.00,0.00,0.00,700.00,,");
    await api.waitFor("hook");
    expect(lastHook().text).toContain("direct messages");
  });

  it("sends the 12-month trend as a PNG chart to the asker's DM, once per report", async () => {
    const s = await scenario();
    const uploaded = api.acceptFileUploads();
    const value = encodeAgingState({ a: "2026-11-23", b: "due" });
    await blockAction(s.teamId, { type: "button", action_id: AGING_ACTIONS.trend, block_id: "99|x", value });
    await api.waitFor("files.completeUploadExternal");
    expect(api.calls("conversations.open")[0]?.body.users).toBe("UASKER");
    const url = api.calls("files.getUploadURLExternal")[0]?.body;
    expect(url?.filename).toBe("aging-trend-2026-10-31.png");
    // A PNG in the upload's form: its signature (0x89 "PNG" CR LF 0x1A LF) and its header chunk.
    expect(uploaded()).toContain("\r\n\r\n\uFFFDPNG\r\n\u001a\n");
    expect(uploaded()).toContain("IHDR");
    const completed = JSON.stringify(api.calls("files.completeUploadExternal")[0]?.body);
    expect(completed).toContain("DUASKER");
    expect(completed).toContain("Nov 30, 2025 to Oct 31, 2026");
    expect(completed).toContain("Oct 31, 2026: current €500.00, 1-30 €200.00, 31-60 €0.00");
    await api.waitFor("hook");
    expect(lastHook().text).toContain("12-month trend is in your direct messages");
    // A second click on the same report sends nothing more.
    await blockAction(s.teamId, { type: "button", action_id: AGING_ACTIONS.trend, block_id: "99|x", value });
    await api.waitFor("hook", 2);
    expect(lastHook().text).toBe("This trend is already in your direct messages.");
    expect(api.calls("files.completeUploadExternal")).toHaveLength(1);
  });
});
