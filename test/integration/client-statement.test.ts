import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statementCommand } from "../../src/cli/statement.ts";
import { STATEMENT_EMAIL_PAYLOAD } from "../../src/collections/collection-payloads.ts";
import { sendStatementEmailHandler } from "../../src/collections/jobs/send-statement-email.ts";
import { loadClientStatement } from "../../src/collections/load-client-statement.ts";
import { sendClientStatement } from "../../src/collections/send-client-statement.ts";
import { loadConfig } from "../../src/config.ts";
import { createMailer } from "../../src/delivery/email/create-mailer.ts";
import { byPayloadType, runDelivery } from "../../src/delivery/index.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace, insertPayment } from "../helpers/factories.ts";

async function world() {
  const database = await testDatabase();
  const { db } = database;
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, {
    name: "Globex Ibérica SL",
    language: "es",
    country: "ES",
    emails: ["pagos@globex.example"],
  });
  const late = await createIssuedInvoice(db, workspace.id, client.id, {
    number: "F-2026-00002",
    dueDate: "2026-10-01",
  });
  await createIssuedInvoice(db, workspace.id, client.id, { number: "F-2026-00009", dueDate: "2026-12-15" });
  await createIssuedInvoice(db, workspace.id, client.id, {
    number: "F-2026-00001",
    status: "paid",
    openMinor: 0,
  });
  await insertPayment(db, {
    workspaceId: workspace.id,
    invoiceId: late.id,
    currency: "EUR",
    amountMinor: 21_000,
    paidOn: "2026-11-02",
  });
  return { database, db, deps, workspace, client };
}

describe(`statement of account on ${backend()}`, () => {
  it("lists the client's open invoices as of today, aged, with what is left to pay", async () => {
    const w = await world();
    const statement = await loadClientStatement(testCtx(w.deps, w.workspace.id), {
      client: "globex ibérica sl",
    });
    expect(statement.asOf).toBe("2026-11-23");
    const [eur, ...others] = statement.currencies;
    expect(others).toHaveLength(0);
    expect(eur?.lines.map((l) => [l.number, l.daysPastDue, l.openMinor])).toEqual([
      ["F-2026-00002", 53, 100_000],
      ["F-2026-00009", -22, 121_000],
    ]);
    expect(eur).toMatchObject({ totalMinor: 221_000, overdueMinor: 100_000 });
    const unknown = await loadClientStatement(testCtx(w.deps, w.workspace.id), {
      client: "Nobody",
    }).catch((e) => e);
    expect(isDomainError(unknown) && unknown.userMessage).toMatch(/No client "Nobody"/);
  });

  it("e-mails it once per send request, with the PDF, in the client's language", async () => {
    const w = await world();
    const request = { client: w.client.externalId, sendRequestId: "click-1" };
    const first = await sendClientStatement(testCtx(w.deps, w.workspace.id), request);
    const again = await sendClientStatement(testCtx(w.deps, w.workspace.id), request);
    expect(first).toMatchObject({ alreadyDone: false, to: ["pagos@globex.example"] });
    expect(again).toMatchObject({ alreadyDone: true, deliveryId: null });
    expect(w.deps.enqueued).toEqual([first.deliveryId]);

    const dataDir = mkdtempSync(join(tmpdir(), "cobro-statement-"));
    const mailer = createMailer(loadConfig({ COBRO_DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
    const handlers = {
      email: byPayloadType({
        [STATEMENT_EMAIL_PAYLOAD]: sendStatementEmailHandler({
          ...w.deps,
          mailer,
          mailFrom: "billing@cobro.example",
        }),
      }),
    };
    expect(await runDelivery(w.db, handlers, first.deliveryId!, silentLogger)).toEqual({ status: "sent" });
    expect(await runDelivery(w.db, handlers, first.deliveryId!, silentLogger)).toEqual({
      status: "alreadyDone",
    });
    const sent = readdirSync(join(dataDir, "outbox"));
    expect(sent).toHaveLength(1);
    const eml = readFileSync(join(dataDir, "outbox", sent[0]!), "utf8");
    expect(eml).toContain("To: pagos@globex.example");
    const subject = /Subject: =\?UTF-8\?B\?([^?]+)\?=/.exec(eml)?.[1] ?? "";
    expect(Buffer.from(subject, "base64").toString()).toBe(
      "Extracto de cuenta a 23/11/2026 — Acme Consulting SL",
    );
    expect(eml).toContain('filename="statement-2026-11-23.pdf"');
  });

  it("refuses a client without an e-mail address, saying what to do", async () => {
    const w = await world();
    const silent = await createClient(w.db, w.workspace.id, { emails: [] });
    const refused = await sendClientStatement(testCtx(w.deps, w.workspace.id), {
      client: silent.id,
      sendRequestId: "x",
    }).catch((e) => e);
    expect(isDomainError(refused) && refused.userMessage).toMatch(/no billing e-mail address.*--to/);
  });

  it("cobro statement writes the PDF, or e-mails it with --send --now", async () => {
    const w = await world();
    const cli = cliRunner(statementCommand, { deps: w.deps, database: w.database });
    const file = join(cli.dataDir, "globex.pdf");
    expect(await cli.run(w.client.externalId, "--out", file, "--workspace", w.workspace.id)).toEqual({
      code: 0,
      out: `Wrote ${file}: Globex Ibérica SL, 2 open invoice(s) as of 2026-11-23.`,
    });
    expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await cli.run("Globex Ibérica SL", "--send", "--now", "--workspace", w.workspace.id)).toEqual({
      code: 0,
      out: "E-mailed the statement of Globex Ibérica SL to pagos@globex.example.",
    });
    expect(readdirSync(join(cli.dataDir, "outbox"))).toHaveLength(1);
  });
});
