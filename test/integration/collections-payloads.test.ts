// A collections delivery whose payload its job cannot read fails with the reason (which field, what
// was expected) and sends nothing: no Slack post, no DM looked up, no e-mail.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reminderEmailHandler } from "../../src/collections/jobs/send-reminder-email.ts";
import { collectionsSlackHandlers } from "../../src/collections/jobs/slack-collections.ts";
import type { Database } from "../../src/db/client.ts";
import { deliveries } from "../../src/db/schema/index.ts";
import { createOutboxMailer } from "../../src/delivery/email/outbox-mailer.ts";
import {
  byPayloadType,
  claimDelivery,
  createSlackSender,
  fixedBotToken,
  runDelivery,
} from "../../src/delivery/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, silentLogger } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
beforeEach(() => api.reset());
afterAll(() => api.reset());

const clock = fixedClock("2026-11-23T09:00:00Z");

async function claimed(kind: "slack_message" | "slack_dm" | "email", payload: Record<string, unknown>) {
  const db = database.db;
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id);
  const invoice = await createIssuedInvoice(db, workspace.id, client.id, { dueDate: "2026-10-01" });
  const id = await claimDelivery(db, {
    workspaceId: workspace.id,
    kind,
    dedupeKey: `broken:${workspace.id}`,
    payload: { ...payload, ...(payload.invoiceId === "INVOICE" ? { invoiceId: invoice.id } : {}) },
  });
  return id!;
}

async function rowOf(id: string) {
  const [row] = await database.db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

function slackHandlers() {
  const sender = createSlackSender({
    db: database.db,
    now: clock,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
    channelIntervalMs: 0,
  });
  const handler = byPayloadType(collectionsSlackHandlers(sender, database.db, clock));
  return { slack_message: handler, slack_dm: handler };
}

describe(`collections deliveries with an unreadable payload on ${backend()}`, () => {
  it("a formal-notice approval without its invoice or level fails, naming them, and posts nothing", async () => {
    const id = await claimed("slack_message", {
      type: "formal_notice_approval",
      invoiceId: "not-an-invoice",
      channel: "CCOLLECT",
    });
    const outcome = await runDelivery(database.db, slackHandlers(), id, silentLogger);
    expect(outcome.status).toBe("failed");
    const error = outcome.status === "failed" ? outcome.error : "";
    expect(error).toMatch(
      /^Cobro cannot read what this delivery was to send \(.*invoiceId.*\); it was not sent\.$/,
    );
    expect(error).toContain("level");
    expect(await rowOf(id)).toMatchObject({ status: "failed", lastError: error });
    expect(api.calls("chat.postMessage")).toEqual([]);
  });

  it("an overdue alert to a DM without its member fails before anyone is looked up in Slack", async () => {
    const id = await claimed("slack_dm", {
      type: "overdue_digest",
      runDate: "2026-11-23",
      channel: "",
      recipient: { kind: "dm", slackUserId: null, roles: ["collector"] },
      invoiceIds: ["INVOICE"],
    });
    const outcome = await runDelivery(database.db, slackHandlers(), id, silentLogger);
    expect(outcome).toMatchObject({ status: "failed", error: expect.stringContaining("recipient.memberId") });
    expect(api.calls()).toEqual([]);
  });

  it("a reminder e-mail with no recipients list fails with the reason, and no e-mail leaves", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cobro-broken-payload-"));
    const mailer = createOutboxMailer({ dataDir, now: clock });
    const id = await claimed("email", {
      type: "reminder",
      invoiceId: "INVOICE",
      reminderId: "00000000-0000-4000-8000-000000000001",
      level: 1,
      tone: "courteous",
      template: "courteous",
      language: "es",
    });
    const handler = reminderEmailHandler({
      db: database.db,
      now: clock,
      mailer,
      mailFrom: "billing@cobro.test",
    });
    const outcome = await runDelivery(database.db, { email: handler }, id, silentLogger);
    expect(outcome).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/\bto\b.*expected array/),
    });
    expect(await rowOf(id)).toMatchObject({ status: "failed" });
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe(`collections notices in their reader's language on ${backend()}`, () => {
  async function notice(
    payload: Record<string, unknown>,
    options: { workspaceLocale: "fr" | "en"; pm: "es" | null },
  ) {
    const db = database.db;
    const workspace = await createWorkspace(db, { locale: options.workspaceLocale });
    const pm = await createMember(db, workspace.id, { language: options.pm, roles: ["pm"] });
    const client = await createClient(db, workspace.id, { name: "Globex" });
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, { dueDate: "2026-10-01" });
    const target = payload.channel === "PM" ? pm.slackUserId! : String(payload.channel);
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: target.startsWith("C") ? "slack_message" : "slack_dm",
      dedupeKey: `notice:${workspace.id}`,
      payload: { ...payload, invoiceId: invoice.id, channel: target, memberId: pm.id },
    });
    expect(await runDelivery(db, slackHandlers(), id!, silentLogger)).toEqual({ status: "sent" });
    const [post] = api.calls("chat.postMessage");
    expect(post?.body.channel).toBe(target);
    return { text: String(post?.body.text), blocks: JSON.stringify(post?.body.blocks) };
  }

  it("a Spanish PM reads the heads-up and the dispute notice in Spanish", async () => {
    const headsUp = await notice(
      { type: "reminder_heads_up", level: 2, tone: "firm", sendOn: "2026-11-24", channel: "PM" },
      { workspaceLocale: "en", pm: "es" },
    );
    expect(headsUp.text).toMatch(
      /^Mañana \(24 nov 2026\) Globex recibe el recordatorio n\.º 2 \(firme\) de /,
    );
    expect(headsUp.blocks).toContain("Registrar cobro");
    api.reset();
    const dispute = await notice(
      { type: "dispute_notice", reason: "Falta el albarán", actor: "Lucía", channel: "PM" },
      { workspaceLocale: "en", pm: "es" },
    );
    expect(dispute.text).toMatch(/^Globex discute .*: los recordatorios se detienen\.$/);
    expect(dispute.blocks).toContain("Marcada como discutida por Lucía.");
  });

  it("the formal-notice approval in a channel speaks the workspace's French, interest included", async () => {
    const approval = await notice(
      {
        type: "formal_notice_approval",
        level: 3,
        channel: "CCOLLECT",
        interest: { interestMinor: 1234, compensationMinor: 4000, currency: "EUR", asOf: "2026-11-23" },
      },
      { workspaceLocale: "fr", pm: "es" },
    );
    expect(approval.text).toMatch(
      /^Mise en demeure prête pour .* \(Globex\) : elle attend votre approbation\.$/,
    );
    expect(approval.blocks).toContain("2 relances sont restées sans paiement.");
    expect(approval.blocks).toMatch(
      /intérêts de retard de 12,34\s€ au 23 nov\. 2026 et une indemnité forfaitaire de 40,00\s€/,
    );
    expect(approval.blocks).toContain("Approuver et envoyer");
  });

  it("a French collector reads why the interest was not computed in French (a half-year's rate missing)", async () => {
    const approval = await notice(
      {
        type: "formal_notice_approval",
        level: 4,
        channel: "CCOLLECT",
        interest: {
          interestMinor: 0,
          compensationMinor: 0,
          currency: "EUR",
          asOf: "2027-02-17",
          problem: "No late-interest rate for FR 2027 H1: add it with `cobro rates import FILE.csv`.",
          missingRate: { jurisdiction: "FR", year: "2027", half: 1 },
        },
      },
      { workspaceLocale: "fr", pm: "es" },
    );
    expect(approval.blocks).toContain(
      "Intérêts de retard non calculés : aucun taux d’intérêt de retard FR pour le premier semestre 2027 ; ajoutez-le avec `cobro rates import FICHIER.csv`.",
    );
    expect(approval.blocks).not.toContain("No late-interest rate");
  });
});
