// Receivables imported from another system are chased with their own numbers and no Cobro-made PDF.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import { addDays } from "../../src/domain/overdue.ts";
import type { MailMessage } from "../../src/email/mailer.ts";
import { runDelivery } from "../../src/jobs/deliver.ts";
import { reminderEmailHandler } from "../../src/jobs/handlers/send-reminder-email.ts";
import { importCsv } from "../../src/services/import-csv.ts";
import { invoicePdfAttachment } from "../../src/services/render-invoice-document.ts";
import { runReminders } from "../../src/services/run-reminders.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";

const CLIENTS = [
  "external_id,name,profile,currency,country,emails,language",
  "C-ES,Cliente Uno SL,business,EUR,ES,pagos@cliente.example,es",
].join("\n");

async function remindAndSend(asOf: string, invoicesCsv: string) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db);
  const clock = fixedClock(`${addDays(asOf, -1)}T09:00:00Z`);
  const deps = serviceDeps(db, clock);
  for (const [kind, csv] of [
    ["clients", CLIENTS],
    ["invoices", invoicesCsv],
  ] as const) {
    const result = await importCsv(deps, { workspaceId: workspace.id, kind, csv: Buffer.from(csv) });
    expect(result.errors).toEqual([]);
  }
  // The heads-up goes the day before the e-mail.
  for (const day of [addDays(asOf, -1), asOf]) {
    clock.set(`${day}T09:00:00Z`);
    await runReminders(deps, { workspaceId: workspace.id, asOf: day });
  }
  const emails = (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).filter(
    (d) => d.kind === "email",
  );
  const sent: MailMessage[] = [];
  const mailer = {
    send: async (message: MailMessage) => {
      sent.push(message);
      return { provider: "outbox" as const, messageId: `m${sent.length}` };
    },
  };
  const handler = reminderEmailHandler({
    db,
    now: clock,
    mailer,
    mailFrom: "billing@cobro.test",
    invoicePdf: (workspaceId, invoiceId) => invoicePdfAttachment({ db }, { workspaceId, invoiceId }),
  });
  for (const email of emails) await runDelivery(db, { email: handler }, email.id, silentLogger);
  return { db, workspace, sent };
}

describe(`reminders of imported receivables on ${backend()}`, () => {
  it("an invoice imported 95 days late is reminded in the past tense, with no Cobro-made PDF", async () => {
    const { sent } = await remindAndSend(
      "2026-12-03",
      [
        "number,client_external_id,issue_date,due_date,currency,total",
        "FV-2026-0815,C-ES,2026-07-31,2026-08-30,EUR,1210.00",
      ].join("\n"),
    );
    expect(sent).toHaveLength(1);
    const [mail] = sent;
    expect(mail!.to).toEqual(["pagos@cliente.example"]);
    expect(mail!.subject).toBe("Factura FV-2026-0815: venció el 2026-08-30");
    expect(mail!.text).toMatch(/la factura FV-2026-0815 \(1210,00\s€\) venció el 2026-08-30\./);
    expect(mail!.attachments).toEqual([]);
    expect(mail!.text).not.toContain("adjuntamos");
  });
});
