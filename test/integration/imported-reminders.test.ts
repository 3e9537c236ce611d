// Receivables imported from another system are chased with their own numbers and no Cobro-made PDF.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import { reminderEmailHandler } from "../../src/collections/jobs/send-reminder-email.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { deliveries } from "../../src/db/schema/index.ts";
import { runDelivery } from "../../src/delivery/index.ts";
import { addDays } from "../../src/domain/calendar.ts";
import { invoicePdfAttachment } from "../../src/invoicing/invoice-pdf-attachment.ts";
import { capturingMailer } from "../helpers/capturing-mailer.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";

const CLIENTS = [
  "external_id,name,profile,currency,country,emails,language",
  "C-ES,Cliente Uno SL,business,EUR,ES,pagos@cliente.example,es",
].join("\n");

async function remindAndSend(asOf: string, invoicesCsv: string, files: Record<string, Buffer> = {}) {
  const database = await testDatabase();
  const { db } = database;
  const workspace = await createWorkspace(db);
  const clock = fixedClock(`${addDays(asOf, -1)}T09:00:00Z`);
  const deps = serviceDeps(db, clock);
  // Through `cobro import`, which reads the pdf column's files next to the CSV.
  const cli = cliRunner(importCommand, { deps, database });
  const dir = mkdtempSync(join(cli.dataDir, "export-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  for (const [kind, csv] of [
    ["clients", CLIENTS],
    ["invoices", invoicesCsv],
  ] as const) {
    writeFileSync(join(dir, `${kind}.csv`), csv);
    const result = await cli.run(kind, join(dir, `${kind}.csv`), "--workspace", workspace.id);
    expect(result.out).toContain("Imported");
  }
  // The heads-up goes the day before the e-mail.
  for (const day of [addDays(asOf, -1), asOf]) {
    clock.set(`${day}T09:00:00Z`);
    await runReminders(testCtx(deps, workspace.id), { asOf: day });
  }
  const emails = (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).filter(
    (d) => d.kind === "email",
  );
  const { sent, mailer } = capturingMailer();
  const handler = reminderEmailHandler({
    db,
    now: clock,
    mailer,
    mailFrom: "billing@cobro.test",
    invoicePdf: (workspaceId, invoiceId) =>
      invoicePdfAttachment(testCtx(serviceDeps(db, clock), workspaceId), { invoiceId }),
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
    expect(mail!.subject).toBe("Factura FV-2026-0815: venció el 30/08/2026");
    expect(mail!.text).toMatch(/la factura FV-2026-0815 \(1210,00\s€\) venció el 30\/08\/2026\./);
    expect(mail!.attachments).toEqual([]);
    expect(mail!.text).not.toContain("adjuntamos");
  });

  it("an invoice imported with its original PDF (pdf column, relative to the CSV) is reminded with that file", async () => {
    const original = Buffer.from("%PDF-1.7\n% the other system's invoice FV-2026-0816\n%%EOF\n");
    const { sent } = await remindAndSend(
      "2026-12-03",
      [
        "number,client_external_id,issue_date,due_date,currency,total,pdf",
        "FV-2026-0816,C-ES,2026-07-31,2026-08-30,EUR,1210.00,pdfs/FV-2026-0816.pdf",
      ].join("\n"),
      { "pdfs/FV-2026-0816.pdf": original },
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attachments).toEqual([
      { filename: "FV-2026-0816.pdf", content: original, contentType: "application/pdf" },
    ]);
    expect(sent[0]!.text).toContain("venció el 30/08/2026. Se la adjuntamos de nuevo.");
  });

  it("names the lines whose pdf is missing or not a PDF, and imports nothing", async () => {
    const database = await testDatabase();
    const workspace = await createWorkspace(database.db);
    const cli = cliRunner(importCommand, { deps: serviceDeps(database.db), database });
    const dir = mkdtempSync(join(cli.dataDir, "export-"));
    mkdirSync(join(dir, "pdfs"));
    writeFileSync(join(dir, "pdfs", "notes.pdf"), "just text");
    writeFileSync(join(dir, "clients.csv"), CLIENTS);
    await cli.run("clients", join(dir, "clients.csv"), "--workspace", workspace.id);
    writeFileSync(
      join(dir, "invoices.csv"),
      [
        "number,client_external_id,issue_date,due_date,currency,total,pdf",
        "FV-1,C-ES,2026-07-31,2026-08-30,EUR,100.00,pdfs/missing.pdf",
        "FV-2,C-ES,2026-07-31,2026-08-30,EUR,100.00,pdfs/notes.pdf",
      ].join("\n"),
    );
    const result = await cli.run("invoices", join(dir, "invoices.csv"), "--workspace", workspace.id);
    expect(result.code).toBe(2);
    expect(result.out).toContain(
      'line 2, column pdf: cannot read "pdfs/missing.pdf" (relative to the CSV file): no such file',
    );
    expect(result.out).toContain('line 3, column pdf: "pdfs/notes.pdf" is not a PDF file');
    expect(result.out).toContain("nothing was imported");
  });
});
