import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bankLines, clientBankAccounts, deliveries, invoices, payments } from "../../src/db/schema/index.ts";
import type { BankReason } from "../../src/domain/bank-matching.ts";
import { rfReference } from "../../src/domain/sepa-transfer.ts";
import { loadHome } from "../../src/home/load-home.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { bankReasonText, importBankStatement } from "../../src/imports/index.ts";
import { changeWorkspaceSettings, resolveActor } from "../../src/workspace/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";

/** A line's reason as an English reader sees it. */
const said = (reason: BankReason | null) => (reason ? bankReasonText(reason, "en") : null);

type Credit = {
  amount: string;
  payer?: string;
  iban?: string;
  ustrd?: string;
  rf?: string;
  ref: string;
};

/**
 * A camt statement as banks export it: `version` picks the namespace and its shapes (001.02: status
 * as a plain code, the debtor's name directly, a batched amount in AmtDtls; 001.08: Sts/Cd and Pty).
 * Credits given together are one batched entry with a transaction each.
 */
function camt(kind: "053" | "054", version: "02" | "08", batches: Credit[][]): Buffer {
  const v08 = version === "08";
  const status = v08 ? "<Sts><Cd>BOOK</Cd></Sts>" : "<Sts>BOOK</Sts>";
  const tx = (c: Credit, batched: boolean) => `
          <TxDtls>
            <Refs><AcctSvcrRef>${c.ref}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            ${batched ? (v08 ? `<Amt Ccy="EUR">${c.amount}</Amt>` : `<AmtDtls><TxAmt><Amt Ccy="EUR">${c.amount}</Amt></TxAmt></AmtDtls>`) : ""}
            <RltdPties>
              <Dbtr>${v08 ? `<Pty><Nm>${c.payer ?? ""}</Nm></Pty>` : `<Nm>${c.payer ?? ""}</Nm>`}</Dbtr>
              ${c.iban ? `<DbtrAcct><Id><IBAN>${c.iban}</IBAN></Id></DbtrAcct>` : ""}
            </RltdPties>
            <RmtInf>${c.ustrd ? `<Ustrd>${c.ustrd}</Ustrd>` : ""}${c.rf ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${c.rf}</Ref></CdtrRefInf></Strd>` : ""}</RmtInf>
          </TxDtls>`;
  const cents = (c: Credit) => Math.round(Number(c.amount) * 100);
  const entries = batches
    .map((credits, i) => {
      const total = (credits.reduce((s, c) => s + cents(c), 0) / 100).toFixed(2);
      return `
      <Ntry>
        <Amt Ccy="EUR">${total}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        ${status}
        <BookgDt><Dt>2026-11-20</Dt></BookgDt>
        <ValDt><Dt>2026-11-20</Dt></ValDt>
        <AcctSvcrRef>E-${credits[0]?.ref}-${i}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>${credits.length > 1 ? `<Btch><NbOfTxs>${credits.length}</NbOfTxs></Btch>` : ""}${credits.map((c) => tx(c, credits.length > 1)).join("")}
        </NtryDtls>
      </Ntry>`;
    })
    .join("");
  const root = kind === "053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn";
  const report = kind === "053" ? "Stmt" : "Ntfctn";
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}">
  <${root}>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
    <${report}>
      <Id>STMT-1</Id>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
      <Acct><Id><IBAN>ES7620770024003102575766</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries}
    </${report}>
  </${root}>
</Document>
`);
}

const GLOBEX_IBAN = "DE89370400440532013000";

async function world() {
  const { db } = await testDatabase();
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const globex = await createClient(db, workspace.id, { name: "Globex Servicios SL" });
  const initech = await createClient(db, workspace.id, { name: "Initech Iberia SA" });
  const invoice = (client: { id: string }, number: string, totalMinor: number, dueDate: string) =>
    createIssuedInvoice(db, workspace.id, client.id, { number, totalMinor, dueDate });
  await invoice(globex, "F-2026-0101", 121_000, "2026-10-31");
  await invoice(globex, "F-2026-0102", 50_000, "2026-11-15");
  await invoice(globex, "F-2026-0103", 30_000, "2026-11-30");
  await invoice(initech, "F-2026-0201", 100_000, "2026-11-10");
  await invoice(initech, "F-2026-0202", 30_000, "2026-11-12");
  const run = (bytes: Buffer) =>
    importBankStatement(testCtx(deps, workspace.id), { bytes, fileName: "statement.xml" });
  const state = async () =>
    Object.fromEntries(
      (await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).map((i) => [
        i.number,
        [i.status, i.openMinor],
      ]),
    );
  const cards = async () =>
    (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).filter(
      (d) => (d.payload as { type?: string }).type === "bank_suggestion",
    );
  return { db, deps, workspace, globex, initech, run, state, cards };
}

describe(`matching bank credits to invoices on ${backend()}`, () => {
  it("an RF reference pays its invoice and teaches the payer's IBAN; the IBAN then pays without a reference", async () => {
    const w = await world();
    const rf = rfReference("F-2026-0101") as string;
    const first = await w.run(
      camt("053", "08", [
        [{ amount: "1210.00", payer: "GLOBEX SERVICIOS", iban: GLOBEX_IBAN, rf, ref: "A1" }],
      ]),
    );
    expect(first.lines.map((l) => [l.outcome, said(l.reason)])).toEqual([
      ["paid", "RF reference of F-2026-0101 in the text; exact amount"],
    ]);
    const learned = await w.db
      .select()
      .from(clientBankAccounts)
      .where(eq(clientBankAccounts.workspaceId, w.workspace.id));
    expect(learned.map((a) => [a.iban, a.clientId])).toEqual([[GLOBEX_IBAN, w.globex.id]]);

    // A notification (camt.054, version 001.02) from the same account, naming nothing.
    const second = await w.run(
      camt("054", "02", [
        [{ amount: "500.00", payer: "GLOBEX", iban: GLOBEX_IBAN, ustrd: "NOVEMBER", ref: "B1" }],
      ]),
    );
    expect(second.lines.map((l) => [l.outcome, l.paid.map((p) => p.number), said(l.reason)])).toEqual([
      [
        "paid",
        ["F-2026-0102"],
        "payer's IBAN is Globex Servicios SL's and F-2026-0102 is their only invoice open for exactly €500.00",
      ],
    ]);
    expect(await w.state()).toMatchObject({
      "F-2026-0101": ["paid", 0],
      "F-2026-0102": ["paid", 0],
      "F-2026-0103": ["issued", 30_000],
    });
  });

  it("a batched entry pays several invoices oldest first, a partial, and an overpayment, each explained", async () => {
    const w = await world();
    const result = await w.run(
      camt("053", "08", [
        [
          { amount: "800.00", payer: "Globex", ustrd: "Facturas F-2026-0103 y F-2026-0102", ref: "C1" },
          { amount: "400.00", payer: "Initech", ustrd: "a cuenta F-2026-0201", ref: "C2" },
          { amount: "310.00", payer: "Initech", ustrd: "F-2026-0202", ref: "C3" },
        ],
      ]),
    );
    expect(
      result.lines.map((l) => [l.outcome, l.paid.map((p) => [p.number, p.amountMinor]), l.overpaidMinor]),
    ).toEqual([
      [
        "paid",
        [
          ["F-2026-0102", 50_000],
          ["F-2026-0103", 30_000],
        ],
        0,
      ],
      ["paid", [["F-2026-0201", 40_000]], 0],
      ["paid", [["F-2026-0202", 30_000]], 1_000],
    ]);
    expect(said(result.lines[1]?.reason ?? null)).toBe(
      "invoice number F-2026-0201 in the text; partial: €400.00 received, €1,000.00 open; F-2026-0201 paid in part (€400.00)",
    );
    expect(said(result.lines[2]?.reason ?? null)).toBe(
      "invoice number F-2026-0202 in the text; overpaid: €310.00 received, €300.00 open; €10.00 left to refund or credit",
    );
    expect(await w.state()).toMatchObject({
      "F-2026-0102": ["paid", 0],
      "F-2026-0103": ["paid", 0],
      "F-2026-0201": ["partially_paid", 60_000],
      "F-2026-0202": ["paid", 0],
    });
  });

  it("a shortfall within bank_fee_tolerance is written off as bank fees; without the setting the rest stays open", async () => {
    const w = await world();
    const short = (ref: string) =>
      camt("053", "08", [[{ amount: "1206.50", payer: "Globex", ustrd: "F-2026-0101", ref }]]);
    await changeWorkspaceSettings(testCtx(w.deps, w.workspace.id), {
      values: { bank_fee_tolerance: "5.00" },
    });
    const result = await w.run(short("D1"));
    expect(said(result.lines[0]?.reason ?? null)).toBe(
      "invoice number F-2026-0101 in the text; €1,206.50 received, €1,210.00 open; bank fees: €3.50 short, within the tolerance of 5.00",
    );
    expect((await w.state())["F-2026-0101"]).toEqual(["paid", 0]);
    const recorded = await w.db.select().from(payments).where(eq(payments.workspaceId, w.workspace.id));
    expect(recorded.map((p) => [p.method, p.amountMinor, p.reference]).sort()).toEqual([
      ["transfer", 120_650, "D1"],
      ["write_off", 350, "bank fees: €3.50 short, within the tolerance of 5.00"],
    ]);

    const other = await world();
    await other.run(short("D2"));
    expect((await other.state())["F-2026-0101"]).toEqual(["partially_paid", 350]);
  });

  it("a credit that names nothing is suggested on a card when some invoice has its amount, else waits as unknown", async () => {
    const w = await world();
    const result = await w.run(
      camt("053", "02", [
        [{ amount: "300.00", payer: "INITECH IBERIA", ustrd: "PAGO", ref: "E1" }],
        [{ amount: "77.70", payer: "Unknown Ltd", ustrd: "DONATION", ref: "E2" }],
      ]),
    );
    expect(result.lines.map((l) => [l.outcome, said(l.reason)])).toEqual([
      [
        "suggested",
        "no invoice named and the payer's IBAN is not known; 2 invoices have exactly €300.00 open",
      ],
      [
        "unmatched",
        "unknown payer: no invoice named in the text, the payer's IBAN is not known, and no invoice has exactly €77.70 open (from Unknown Ltd)",
      ],
    ]);
    const [suggested] = await w.db
      .select()
      .from(bankLines)
      .where(and(eq(bankLines.workspaceId, w.workspace.id), eq(bankLines.outcome, "suggested")));
    // The payer's namesake first, then the oldest due.
    expect(suggested?.suggestion?.candidates.map((c) => c.number)).toEqual(["F-2026-0202", "F-2026-0103"]);
    expect((await w.cards()).map((d) => [d.kind, (d.payload as { channel: string }).channel])).toEqual([
      ["slack_message", "CCOLLECT"],
    ]);
    expect(await w.state()).toMatchObject({ "F-2026-0202": ["issued", 30_000] });

    // Importing the same file again posts no second card and pays nothing.
    const again = await w.run(
      camt("053", "02", [[{ amount: "300.00", payer: "INITECH IBERIA", ustrd: "PAGO", ref: "E1" }]]),
    );
    expect(again.lines.map((l) => [l.alreadyImported, l.outcome])).toEqual([[true, "suggested"]]);
    expect(await w.cards()).toHaveLength(1);

    // Both wait in the App Home of collectors, with what Cobro could not decide.
    const collector = await createMember(w.db, w.workspace.id, { roles: ["collector"] });
    const actor = await resolveActor(w.db, w.workspace.id, collector.slackUserId as string, null);
    const home = await loadHome(testCtx(w.deps, w.workspace.id, actor), {});
    const view = JSON.stringify(buildHomeView({ ...home, roles: [...actor.roles], isAdmin: false }).blocks);
    expect(view).toContain("Bank credits waiting (2)");
    expect(view).toContain("€77.70 from Unknown Ltd on Nov 20, 2026");
    expect(view).toContain("suggested: confirm on its card");
    const pm = await createMember(w.db, w.workspace.id, { roles: ["pm"] });
    const pmActor = await resolveActor(w.db, w.workspace.id, pm.slackUserId as string, null);
    expect((await loadHome(testCtx(w.deps, w.workspace.id, pmActor), {})).extraSections).toEqual([]);
  });
});
