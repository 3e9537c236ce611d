// A credit that names no invoice, from an unknown account, paid by a company for a client (the
// client as camt's ultimate debtor): the client's name finds its invoices, for a person to confirm.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bankLines, payments } from "../../src/db/schema/index.ts";
import { present } from "../../src/domain/errors.ts";
import { bankReasonText, importBankStatement } from "../../src/imports/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

const statement = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
  <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>S</Id><Acct><Id><IBAN>ES7620770024003102575766</IBAN></Id></Acct>
    <Ntry>
      <Amt Ccy="EUR">400.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
      <BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>N1</AcctSvcrRef>
      <NtryDtls><TxDtls>
        <RltdPties>
          <Dbtr><Pty><Nm>FACTOR CAPITAL SA</Nm></Pty></Dbtr>
          <DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct>
          <UltmtDbtr><Pty><Nm>UMBRELLA IBERIA S.A.</Nm></Pty></UltmtDbtr>
        </RltdPties>
        <RmtInf><Ustrd>PAGO A CUENTA NOVIEMBRE</Ustrd></RmtInf>
      </TxDtls></NtryDtls>
    </Ntry>
  </Stmt></BkToCstmrStmt></Document>`);

describe(`matching a credit by the payer's name on ${backend()}`, () => {
  it("suggests the open invoices of the client the ultimate debtor names, and pays nothing", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const umbrella = await createClient(db, workspace.id, { name: "Umbrella Iberia SA" });
    const other = await createClient(db, workspace.id, { name: "Umbrella Holding SA" });
    await createIssuedInvoice(db, workspace.id, umbrella.id, {
      number: "F-2026-0101",
      totalMinor: 100_000,
      dueDate: "2026-11-01",
    });
    await createIssuedInvoice(db, workspace.id, umbrella.id, {
      number: "F-2026-0102",
      totalMinor: 60_000,
      dueDate: "2026-11-10",
    });
    await createIssuedInvoice(db, workspace.id, other.id, { number: "F-2026-0103", totalMinor: 70_000 });

    const result = await importBankStatement(testCtx(serviceDeps(db), workspace.id), {
      bytes: statement,
      fileName: "s.xml",
    });
    expect(result.lines.map((l) => [l.payerName, l.outcome])).toEqual([
      ["FACTOR CAPITAL SA (for UMBRELLA IBERIA S.A.)", "suggested"],
    ]);
    expect(bankReasonText(present(result.lines[0]?.reason, "the line's reason"), "en")).toBe(
      "no invoice named and the payer's IBAN is not known; the payer's name is Umbrella Iberia SA's (a name alone is never sure); partial: €400.00 received, €1,600.00 open on 2 invoices; F-2026-0101 paid in part (€400.00)",
    );
    const [line] = await db.select().from(bankLines).where(eq(bankLines.workspaceId, workspace.id));
    expect(line?.suggestion?.candidates.map((c) => c.number)).toEqual(["F-2026-0101", "F-2026-0102"]);
    expect(await db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).toEqual([]);
  });
});
