// A company's first week, exactly as docs/first-week.md tells it: people, clients, projects,
// milestones and receivables imported from examples/ before Slack is connected; then, over signed
// Slack requests, setup, a milestone marked done by the PM imported by e-mail, the invoice issued
// and e-mailed, a Harvest export imported by name, and the next morning's overdue DMs. No SQL, one
// workspace. It starts from an empty database of its own (the guide starts from nothing).
import { HttpResponse, http } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import type { Database } from "../../src/db/client.ts";
import { workspaces } from "../../src/db/schema/index.ts";
import { createSendgridMailer } from "../../src/delivery/email/sendgrid-mailer.ts";
import { buildDeliveryHandlers, createSlackSenderFor } from "../../src/job-catalogue.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { ACTIONS } from "../../src/slack/kit/ids.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, emptyTestDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps } from "../helpers/deps.ts";
import { pdfText } from "../helpers/printable-invoice.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
const SENDGRID = "https://sendgrid.test";
const TEAM = "TNUBE";
type SentMail = {
  personalizations: { to: { email: string }[] }[];
  subject: string;
  content: { type: string; value: string }[];
  attachments: { filename: string; content: string; type: string }[];
};

let database: Database;
let app: SlackTestApp;
// Monday 23 November 2026, 10:00 in Madrid.
const clock = fixedClock("2026-11-23T09:00:00Z");
const mails: SentMail[] = [];

beforeAll(async () => {
  api.reset();
  database = await emptyTestDatabase();
});
afterAll(async () => {
  await app?.close();
  api.reset();
  await database?.close();
});

const cobro = (...args: string[]) =>
  cliRunner(importCommand, { deps: serviceDeps(database.db, clock), database }).run(...args);

type Block = {
  type: string;
  block_id?: string;
  element?: Record<string, unknown> & { type: string };
  elements?: { action_id?: string; value?: string }[];
};

/** What Slack sends back for a modal the user submits as shown, with the fields they typed in. */
function submittedValues(blocks: Block[], typed: Record<string, Record<string, unknown>>) {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of blocks) {
    if (block.type !== "input" || !block.block_id || !block.element) continue;
    const e = block.element;
    const shown =
      e.type === "plain_text_input"
        ? { value: e.initial_value ?? "" }
        : e.type === "conversations_select"
          ? { selected_conversation: e.initial_conversation ?? null }
          : e.type === "multi_users_select"
            ? { selected_users: e.initial_users ?? [] }
            : { selected_option: e.initial_option ?? null };
    values[block.block_id] = {
      [String(e.action_id)]: { type: e.type, ...shown, ...typed[block.block_id] },
    };
  }
  return values;
}

function handleDeliveriesLikeServe() {
  const slack = createSlackSenderFor({
    slack: slackConfig(),
    db: database.db,
    now: clock,
    channelIntervalMs: 0,
  });
  Object.assign(
    app.handlers,
    buildDeliveryHandlers({
      deps: serviceDeps(database.db, clock),
      slack,
      mailer: createSendgridMailer({ apiKey: "SG.test", apiUrl: SENDGRID }),
      publicUrl: "https://cobro.nube.example",
      mailFrom: "facturas@nube.example",
    }),
  );
}

const slackConfig = () => ({
  mode: "single" as const,
  signingSecret: "unused",
  botToken: "xoxb-test-token",
  appToken: undefined,
  clientId: undefined,
  clientSecret: undefined,
  stateSecret: undefined,
  apiUrl: SLACK_API_URL,
});

const lastHookText = () => String(api.hooks().at(-1)?.body.text ?? "");

describe(`a company's first week (docs/first-week.md) on ${backend()}`, () => {
  it("goes from empty to the first reminder without SQL and in one workspace", async () => {
    // 1. Before Slack: the company's own lists, in the guide's order.
    for (const kind of ["people", "clients", "projects", "milestones", "invoices"]) {
      const imported = await cobro(kind, `examples/${kind}.csv`);
      expect([kind, imported.code, imported.out]).toEqual([
        kind,
        0,
        expect.stringMatching(
          /^Imported \d+ .* into workspace "My company": \d+ created, 0 updated, 0 unchanged/,
        ),
      ]);
    }

    // 2. Slack connected with a bot token: Cobro asks Slack which team it is in at start.
    for (const [id, email, name] of [
      ["UMARTA", "Marta@Nube.example", "Marta Ruiz"],
      ["UANA", "ana@nube.example", "Ana García"],
      ["ULEO", "leo@nube.example", "Leo Martín"],
    ] as const) {
      api.slackUser(id, { email, name });
    }
    api.respond("auth.test", () => ({
      ok: true,
      team_id: TEAM,
      team: "Nube",
      user_id: "UBOT",
      bot_id: "BBOT",
    }));
    app = await startSlackTestApp({ db: database.db, now: clock });
    await app.slack.start();
    handleDeliveriesLikeServe();
    api.server.use(
      http.post(`${SENDGRID}/v3/mail/send`, async ({ request }) => {
        mails.push((await request.json()) as SentMail);
        return new HttpResponse(null, { status: 202, headers: { "x-message-id": "sg-1" } });
      }),
    );

    // 3. Marta, imported as admin, opens /cobro setup and completes what the CSVs cannot say.
    await app.command({ teamId: TEAM, userId: "UMARTA", command: "/cobro", text: "setup" });
    await api.waitFor("views.update");
    const modal = api.calls("views.update")[0]?.body.view as { callback_id: string; blocks: Block[] };
    expect(modal.callback_id).toBe("cobro_setup");
    const text = (value: string) => ({ value });
    const saved = await app.viewSubmission({
      teamId: TEAM,
      userId: "UMARTA",
      callbackId: "cobro_setup",
      values: submittedValues(modal.blocks, {
        billing_channel: { selected_conversation: "CFACTURAS" },
        collections_channel: { selected_conversation: "CCOBROS" },
        time_zone: text("Europe/Madrid"),
        base_currency: text("EUR"),
        seller_legal_name: text("Nube Consulting SA"),
        seller_address_line1: text("Calle de Serrano 21"),
        seller_postcode: text("28001"),
        seller_city: text("Madrid"),
        seller_country: text("ES"),
        seller_vat_id: text("ESA28111110"),
        seller_nif: text("A28111110"),
        seller_iban: text("ES91 2100 0418 4502 0005 1332"),
      }),
    });
    expect(saved.text).toContain("Settings saved");

    // 4. Ana, the PM known by e-mail only, marks the Design milestone done from Slack.
    await app.command({ teamId: TEAM, userId: "UANA", command: "/milestone", text: "done atlas design" });
    await api.waitFor("hook", 1);
    expect(lastHookText()).toMatch(/Atlas portal.*Design|Design.*done/s);
    await app.runDeliveries();
    const draftMessage = api.calls("chat.postMessage").find((c) => c.body.channel === "CFACTURAS");
    const issueButton = ((draftMessage?.body.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTIONS.issueAndSend);
    expect(issueButton?.value).toBeTruthy();

    // 5. Marta (billing) clicks Issue & send: one e-mail, the buyer's full address on the PDF.
    await app.action({
      teamId: TEAM,
      userId: "UMARTA",
      actionId: ACTIONS.issueAndSend,
      value: issueButton!.value!,
      channelId: "CFACTURAS",
    });
    await api.waitFor("hook", 2);
    expect(lastHookText()).toMatch(/Issued as/);
    await app.runDeliveries();
    await app.runDeliveries();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.personalizations[0]?.to.map((t) => t.email)).toEqual(["ap@acme.example"]);
    const pdf = await pdfText(Buffer.from(mails[0]!.attachments[0]!.content, "base64"));
    for (const part of ["Acme Industrias SA", "Calle Mayor 1", "Planta 3", "28013", "Madrid", "B12345674"]) {
      expect(pdf.all).toContain(part);
    }

    // 6. Timesheets from Harvest, whose export names people instead of giving their e-mail.
    const harvest = await cliRunner(importCommand, { deps: serviceDeps(database.db, clock), database }).run(
      "time-entries",
      "examples/harvest-time.csv",
    );
    expect([harvest.code, harvest.out]).toEqual([0, expect.stringContaining("3 created")]);

    // 7. Tuesday 08:05 in Madrid: the daily run finds A-2026-0412 overdue and tells the PM and the
    // collector (Leo never used Cobro in Slack: found by his e-mail).
    clock.set("2026-11-24T07:05:00Z");
    api.reset();
    for (const [id, email] of [
      ["UANA", "ana@nube.example"],
      ["ULEO", "leo@nube.example"],
    ] as const) {
      api.slackUser(id, { email });
    }
    api.server.use(
      http.post(`${SENDGRID}/v3/mail/send`, async ({ request }) => {
        mails.push((await request.json()) as SentMail);
        return new HttpResponse(null, { status: 202, headers: { "x-message-id": "sg-2" } });
      }),
    );
    await runSchedulerTick({
      ...serviceDeps(database.db, clock),
      enqueue: async (ids) => void app.enqueued.push(...ids),
    });
    await app.runDeliveries();
    const dms = api.calls("chat.postMessage").filter((c) => String(c.body.channel).startsWith("U"));
    const digests = dms.filter((c) => /invoices? went overdue/.test(String(c.body.text)));
    expect(digests.map((c) => c.body.channel).sort()).toEqual(["UANA", "ULEO"]);
    for (const dm of digests) expect(JSON.stringify(dm.body.blocks)).toContain("A-2026-0412");
    // No AEAT certificate was imported in this first week: billing is told, once, what to run.
    const verifactu = api
      .calls("chat.postMessage")
      .filter((c) => String(c.body.text).startsWith("VERI*FACTU needs attention"));
    expect(verifactu).toHaveLength(1);
    expect(String(verifactu[0]?.body.text)).toContain("cobro verifactu cert import");
    // And the PM hears the day before, in one DM, that both clients' first reminders go out.
    const headsUps = dms.filter((c) => String(c.body.text).startsWith("Tomorrow"));
    expect(headsUps.map((c) => [c.body.channel, c.body.text])).toEqual([
      ["UANA", "Tomorrow (Nov 25, 2026) 2 reminders go out to clients of your projects."],
    ]);
    expect(JSON.stringify(headsUps[0]?.body.blocks)).toContain("A-2026-0412");

    expect(api.calls("chat.postMessage").map((c) => c.body.channel)).toContain("CCOBROS");

    // 8. Wednesday 08:05: the first reminder goes to Lumen, in Spanish, saying when it was due.
    clock.set("2026-11-25T07:05:00Z");
    await runSchedulerTick({
      ...serviceDeps(database.db, clock),
      enqueue: async (ids) => void app.enqueued.push(...ids),
    });
    await app.runDeliveries();
    const reminders = mails.filter((m) =>
      m.personalizations[0]?.to.some((t) => t.email === "facturas@lumen.example"),
    );
    expect(reminders).toHaveLength(1);
    const body = (reminders[0]?.content.find((c) => c.type === "text/plain")?.value ?? "").replace(
      /\u00a0/g,
      " ",
    );
    expect(body).toContain("la factura A-2026-0412 (4840,00 €) venció el 23/11/2026");

    const all = await database.db.select().from(workspaces);
    expect(all.map((w) => [w.name, w.slackTeamId])).toEqual([["My company", TEAM]]);
  });
});
