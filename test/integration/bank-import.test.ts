import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { buildAgingReport } from "../../src/aging/build-aging-report.ts";
import { importCommand } from "../../src/cli/import.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { bankLines, deliveries, invoices, payments } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";

const CAMT = readFileSync(new URL("../fixtures/bank/camt053-v08-batched.xml", import.meta.url));

/** A Norma 43 record: fields laid at their positions, padded to 80 characters. */
function record(...fields: string[]): string {
  const line = fields.join("");
  if (line.length > 80) throw new Error(`record too long: ${line}`);
  return line.padEnd(80, " ");
}
const amount14 = (cents: number) => String(cents).padStart(14, "0");

/** A Norma 43 file as Spanish banks export it: ISO-8859-1, CRLF, one account, two credits and a fee. */
function norma43(options: { badAmountOnMovement?: boolean } = {}): Buffer {
  const account = "2100" + "0418" + "0200051332";
  const movement = (
    date: string,
    concept: string,
    sign: "1" | "2",
    cents: number,
    doc: string,
    ref1: string,
    ref2: string,
  ) =>
    record(
      "22",
      "    ",
      "0418",
      date,
      date,
      concept,
      "000",
      sign,
      options.badAmountOnMovement && cents === 95_000 ? "00000009S0.00X" : amount14(cents),
      doc.padEnd(10),
      ref1.padEnd(12),
      ref2.padEnd(16),
    );
  const lines = [
    record(
      "11",
      account,
      "261120",
      "261120",
      "2",
      amount14(1_000_000),
      "978",
      "3",
      "COBRO DEMO SL".padEnd(26),
      "   ",
    ),
    movement("261120", "04", "2", 80_000, "0000000000", "000000000000", "F-2026-0044"),
    record("23", "01", "TRANSFERENCIA DE CAÑADA Y NIÑO SL".padEnd(38), "PAGO FACTURA".padEnd(38)),
    movement("261120", "17", "1", 1_500, "0000000000", "000000000000", ""),
    record("23", "01", "COMISION TRANSFERENCIA".padEnd(38), "".padEnd(38)),
    movement("261120", "02", "2", 95_000, "0000000000", "REF778100001", ""),
    record("23", "01", "ORDENANTE: UMBRELLA SA".padEnd(38), "CONCEPTO: FRA F-2026-0045".padEnd(38)),
    record(
      "33",
      account,
      "00001",
      amount14(1_500),
      "00002",
      amount14(175_000),
      "2",
      amount14(1_173_500),
      "978",
    ),
  ];
  lines.push(record("88", "9".repeat(18), String(lines.length + 1).padStart(6, "0")));
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

/** CFONB 120 amount: 13 digits, then a character carrying the sign and the last digit. */
function cfonbAmount(cents: number): string {
  const abs = Math.abs(cents);
  const last = (cents < 0 ? "}JKLMNOPQR" : "{ABCDEFGHI")[abs % 10];
  return `${String(Math.floor(abs / 10)).padStart(13, "0")}${last}`;
}

/** A CFONB 120 statement as French banks send it: a previous balance, a credit with complements, a fee, the new balance. */
function cfonb120(options: { badAmount?: boolean } = {}): Buffer {
  const common = (code: string, opCode: string, date: string, interbank = "  ") =>
    `${code}30004${opCode}00123EUR2 00012345678${interbank}${date}`;
  const balance = (code: string, cents: number) =>
    `${common(code, "    ", "201126")}${" ".repeat(50)}${cfonbAmount(cents)}${" ".repeat(16)}`;
  const operation = (interbank: string, label: string, entry: string, cents: number, ref: string) =>
    `${common("04", "0158", "201126", interbank)}  201126${label.padEnd(31)}  ${entry}  ${options.badAmount && cents > 0 ? "00000000800X0" + "{" : cfonbAmount(cents)}${ref.padEnd(16)}`;
  const complement = (qualifier: string, data: string) =>
    `${common("05", "0158", "201126")}     ${qualifier}${data.padEnd(70)}  `;
  const records = [
    balance("01", 1_000_000),
    operation("05", "VIR SEPA RECU", "0000001", 80_000, "VIR2026112000001"),
    complement("NPY", "DUPONT ET FILS SARL"),
    complement("LCC", "FACTURE F-2026-0044"),
    complement("REF", "BQ-20261120-778"),
    operation("62", "FRAIS VIREMENT", "0000002", -1_500, ""),
    balance("07", 1_078_500),
  ];
  for (const r of records) if (r.length !== 120) throw new Error(`CFONB record of ${r.length}: ${r}`);
  return Buffer.from(`${records.join("\r\n")}\r\n`, "latin1");
}

async function world() {
  const database = await testDatabase();
  const { db } = database;
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, { name: "Globex Servicios SL" });
  const make = (number: string, totalMinor: number) =>
    createIssuedInvoice(db, workspace.id, client.id, { number, totalMinor, dueDate: "2026-11-30" });
  const made = {
    "F-2026-0041": await make("F-2026-0041", 121_000),
    "F-2026-0042": await make("F-2026-0042", 50_000),
    "F-2026-0043": await make("F-2026-0043", 30_000),
    "F-2026-0044": await make("F-2026-0044", 80_000),
    "F-2026-0045": await make("F-2026-0045", 100_000),
  };
  const cli = cliRunner(importCommand, { deps, database });
  const file = (name: string, bytes: Uint8Array) => {
    const path = join(cli.dataDir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const importFile = (path: string) => cli.run("bank", path, "--workspace", workspace.id);
  const state = async () =>
    Object.fromEntries(
      (await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).map((i) => [
        i.number,
        [i.status, i.openMinor],
      ]),
    );
  const counts = async () => ({
    lines: (await db.select().from(bankLines).where(eq(bankLines.workspaceId, workspace.id))).length,
    payments: (await db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).length,
  });
  return { db, deps, workspace, client, made, file, importFile, state, counts };
}

describe(`cobro import bank on ${backend()}`, () => {
  it("a camt.053 pays the invoices named in its credits, splits a batch and explains every line", async () => {
    const w = await world();
    const path = w.file("statement.xml", CAMT);
    const first = await w.importFile(path);
    expect(first.code).toBe(0);
    expect(first.out.split("\n")).toEqual([
      "ISO 20022 camt statement: 3 credit(s); 2 debit(s), pending or reversed entries skipped.",
      '  line 39: 2026-11-20 1210.00 EUR from Globex Servicios SL "Pago factura F-2026-0041" → paid F-2026-0041 (1210.00): invoice number F-2026-0041 in the text; exact amount',
      '  line 60: 2026-11-20 800.00 EUR from Initech Iberia SA "Invoices F-2026-0042, F-2026-0043" → paid F-2026-0042 (500.00), F-2026-0043 (300.00): invoice number F-2026-0042 and invoice number F-2026-0043 in the text; exact amount',
      '  line 67: 2026-11-20 300.00 EUR from Hooli Europe BV "Order 7781 thank you" → unmatched: unknown payer: no invoice named in the text, the payer\'s IBAN is not known, and no invoice has exactly €300.00 open (from Hooli Europe BV)',
      "2 line(s) paid 3 invoice(s); 0 suggested for a person to confirm; 1 left unmatched; 0 already imported before (nothing done again).",
    ]);
    expect(await w.state()).toEqual({
      "F-2026-0041": ["paid", 0],
      "F-2026-0042": ["paid", 0],
      "F-2026-0043": ["paid", 0],
      "F-2026-0044": ["issued", 80_000],
      "F-2026-0045": ["issued", 100_000],
    });
    // The aging report no longer counts what the statement paid.
    const { report } = await buildAgingReport(testCtx(w.deps, w.workspace.id), { asOf: "2026-11-23" });
    expect(report.currencies.EUR).toMatchObject({ total: 180_000, count: 2 });
    // Each payment went through the payment service: the invoices' threads hear of it.
    expect(w.deps.enqueued.length).toBeGreaterThanOrEqual(3);
    const stored = await w.db.select().from(bankLines).where(eq(bankLines.workspaceId, w.workspace.id));
    expect(stored.map((l) => [l.bankRef, l.outcome]).sort()).toEqual([
      ["2026112000000101", "paid"],
      ["2026112000000102-1", "paid"],
      ["2026112000000102-2", "unmatched"],
    ]);

    // The same statement again records nothing and says so, line by line.
    const again = await w.importFile(path);
    expect(again.out).toContain(
      '"Pago factura F-2026-0041" → already imported (paid F-2026-0041 (1210.00): invoice number F-2026-0041 in the text; exact amount)',
    );
    expect(again.out).toContain(
      "0 line(s) paid 0 invoice(s); 0 suggested for a person to confirm; 0 left unmatched; 3 already imported before",
    );
    expect(await w.counts()).toEqual({ lines: 3, payments: 3 });
  });

  it("reads a camt.053.001.02 too (status as a plain code, debtor name without Pty)", async () => {
    const w = await world();
    const v02 = CAMT.toString("utf8")
      .replace("camt.053.001.08", "camt.053.001.02")
      .replaceAll("<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>")
      .replaceAll("<Sts><Cd>PDNG</Cd></Sts>", "<Sts>PDNG</Sts>")
      .replaceAll(/<Pty><Nm>([^<]*)<\/Nm><\/Pty>/g, "<Nm>$1</Nm>")
      // v02 carries a batched transaction's amount in AmtDtls only.
      .replaceAll(
        /<Amt Ccy="EUR">(800\.00|300\.00)<\/Amt>\s*<CdtDbtInd>CRDT<\/CdtDbtInd>\s*<RltdPties>/g,
        '<AmtDtls><TxAmt><Amt Ccy="EUR">$1</Amt></TxAmt></AmtDtls><RltdPties>',
      );
    const result = await w.importFile(w.file("v02.xml", Buffer.from(v02)));
    expect(result.out).toContain(
      'from Initech Iberia SA "Invoices F-2026-0042, F-2026-0043" → paid F-2026-0042 (500.00), F-2026-0043 (300.00)',
    );
    expect(result.out).toContain(
      "2 line(s) paid 3 invoice(s); 0 suggested for a person to confirm; 1 left unmatched",
    );
  });

  it("a Norma 43 file pays the invoices it names, in full or in part, and keeps debits out", async () => {
    const w = await world();
    const path = w.file("extracto.n43", norma43());
    const result = await w.importFile(path);
    expect(result.code).toBe(0);
    expect(result.out.split("\n")).toEqual([
      "Norma 43 statement: 2 credit(s); 1 debit(s), pending or reversed entries skipped.",
      '  line 2: 2026-11-20 800.00 EUR "F-2026-0044 TRANSFERENCIA DE CAÑADA Y NIÑO SL PAGO FACTURA" → paid F-2026-0044 (800.00): invoice number F-2026-0044 in the text; exact amount',
      '  line 6: 2026-11-20 950.00 EUR "REF778100001 ORDENANTE: UMBRELLA SA CONCEPTO: FRA F-2026-0045" → paid F-2026-0045 (950.00): invoice number F-2026-0045 in the text; partial: €950.00 received, €1,000.00 open; F-2026-0045 paid in part (€950.00)',
      "2 line(s) paid 2 invoice(s); 0 suggested for a person to confirm; 0 left unmatched; 0 already imported before (nothing done again).",
    ]);
    expect((await w.state())["F-2026-0044"]).toEqual(["paid", 0]);
    expect((await w.state())["F-2026-0045"]).toEqual(["partially_paid", 5_000]);
    const stored = await w.db.select().from(bankLines).where(eq(bankLines.workspaceId, w.workspace.id));
    expect(stored.map((l) => [l.account, l.amountMinor, l.outcome]).sort()).toEqual([
      ["21000418" + "0200051332", 80_000, "paid"],
      ["21000418" + "0200051332", 95_000, "paid"],
    ]);
    await w.importFile(path);
    expect(await w.counts()).toEqual({ lines: 2, payments: 2 });
  });

  it("a CFONB 120 file pays the invoice its remittance line names, once", async () => {
    const w = await world();
    const path = w.file("releve.cfo", cfonb120());
    const result = await w.importFile(path);
    expect(result.out.split("\n")).toEqual([
      "CFONB 120 statement: 1 credit(s); 1 debit(s), pending or reversed entries skipped.",
      '  line 2: 2026-11-20 800.00 EUR from DUPONT ET FILS SARL "VIR SEPA RECU FACTURE F-2026-0044" → paid F-2026-0044 (800.00): invoice number F-2026-0044 in the text; exact amount',
      "1 line(s) paid 1 invoice(s); 0 suggested for a person to confirm; 0 left unmatched; 0 already imported before (nothing done again).",
    ]);
    expect((await w.state())["F-2026-0044"]).toEqual(["paid", 0]);
    await w.importFile(path);
    expect(await w.counts()).toEqual({ lines: 1, payments: 1 });
    const [line] = await w.db.select().from(bankLines).where(eq(bankLines.workspaceId, w.workspace.id));
    expect(line?.bankRef).toBe("BQ-20261120-778");
    await expect(w.importFile(w.file("bad.cfo", cfonb120({ badAmount: true })))).rejects.toMatchObject({
      userMessage: expect.stringContaining(
        'line 2: amount "00000000800X0{" (positions 91-104) is not 13 digits',
      ),
    });
  });

  it("refuses a malformed file naming the line and what is wrong, recording nothing", async () => {
    const w = await world();
    await expect(
      w.importFile(w.file("bad.n43", norma43({ badAmountOnMovement: true }))),
    ).rejects.toMatchObject({
      userMessage: expect.stringContaining(
        'line 6: amount "00000009S0.00X" (positions 29-42) is not 14 digits',
      ),
    });
    const noAmount = CAMT.toString("utf8").replace('<Amt Ccy="EUR">1210.00</Amt>', "");
    await expect(w.importFile(w.file("bad.xml", Buffer.from(noAmount)))).rejects.toMatchObject({
      userMessage: expect.stringMatching(
        /bad\.xml: 1 problem\(s\), nothing was recorded:\n {2}line 29: <Amt> is missing/,
      ),
    });
    const broken = CAMT.toString("utf8").replace("</BookgDt>", "</BookgDate>");
    await expect(w.importFile(w.file("broken.xml", Buffer.from(broken)))).rejects.toMatchObject({
      userMessage: expect.stringMatching(/line 34: XML is not well formed/),
    });
    await expect(w.importFile(w.file("notes.txt", Buffer.from("hello")))).rejects.toMatchObject({
      userMessage: expect.stringContaining("not a bank statement Cobro reads"),
    });
    expect(await w.counts()).toEqual({ lines: 0, payments: 0 });
    expect(await w.state()).toMatchObject({ "F-2026-0041": ["issued", 121_000] });
  });
});

describe(`a statement paying an invoice stops its reminders on ${backend()}`, () => {
  it("the reminder due tomorrow is not sent after today's statement paid the invoice", async () => {
    const database = await testDatabase();
    const { db } = database;
    const workspace = await createWorkspace(db, {
      timeZone: "Europe/Madrid",
      settings: { jurisdiction: "ES" },
    });
    const collector = await createMember(db, workspace.id, { roles: ["collector"] });
    const pm = await createMember(db, workspace.id, { roles: ["pm"] });
    const client = await createClient(db, workspace.id, { collectorMemberId: collector.id });
    const project = await createProject(db, workspace.id, client.id, {
      pmMemberId: pm.id,
      slackChannelId: "CPROJ",
    });
    // The business policy's first reminder goes three days before the due date: on the 17th.
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
      projectId: project.id,
      number: "F-2026-0041",
      dueDate: "2026-11-20",
      totalMinor: 121_000,
    });
    // The control: the same invoice of another client, which the statement does not pay.
    const other = await createClient(db, workspace.id, { collectorMemberId: collector.id });
    const unpaid = await createIssuedInvoice(db, workspace.id, other.id, {
      projectId: project.id,
      number: "F-2026-0099",
      dueDate: "2026-11-20",
      totalMinor: 121_000,
    });
    const clock = fixedClock("2026-11-16T09:00:00Z");
    const deps = serviceDeps(db, clock);
    expect(await runReminders(testCtx(deps, workspace.id), { asOf: "2026-11-16" })).toMatchObject({
      headsUp: 2,
    });
    const statement = CAMT.toString("utf8").replaceAll("2026-11-20", "2026-11-16");
    const cli = cliRunner(importCommand, { deps, database });
    const path = join(cli.dataDir, "today.xml");
    writeFileSync(path, statement);
    expect((await cli.run("bank", path, "--workspace", workspace.id)).out).toContain(
      "→ paid F-2026-0041 (1210.00)",
    );
    clock.set("2026-11-17T09:00:00Z");
    expect(await runReminders(testCtx(deps, workspace.id), { asOf: "2026-11-17" })).toMatchObject({
      sent: 1,
    });
    const reminders = async (invoiceId: string) =>
      (await db.select().from(deliveries).where(eq(deliveries.invoiceId, invoiceId))).filter(
        (d) => (d.payload as { type: string }).type === "reminder",
      );
    expect(await reminders(invoice.id)).toHaveLength(0);
    expect(await reminders(unpaid.id)).toHaveLength(1);
  });
});
