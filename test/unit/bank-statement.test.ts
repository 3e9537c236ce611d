import { describe, expect, it } from "vitest";
import { type BankLine, bankLineKeys, parseBankStatement } from "../../src/domain/bank-statement.ts";

const pad = (...fields: string[]) => fields.join("").padEnd(80, " ");
const n14 = (cents: number) => String(cents).padStart(14, "0");
const ACCOUNT = "2100041802000513";

function n43(records: string[]): Uint8Array {
  return Buffer.from(records.join("\n"), "latin1");
}
const header = (currency = "978") =>
  pad("11", ACCOUNT.padEnd(18, "0"), "261120261120", "2", n14(0), currency, "3");
const credit = (cents: number, ref2 = "") =>
  pad(
    "22",
    "    ",
    "0418",
    "261120",
    "261120",
    "04",
    "000",
    "2",
    n14(cents),
    "0".repeat(10),
    "".padEnd(12),
    ref2,
  );
const end = (credits: number, total: number) =>
  pad(
    "33",
    ACCOUNT.padEnd(18, "0"),
    "00000",
    n14(0),
    String(credits).padStart(5, "0"),
    n14(total),
    "2",
    n14(0),
    "978",
  );
const eof = (count: number) => pad("88", "9".repeat(18), String(count).padStart(6, "0"));

describe("Norma 43", () => {
  it("accepts an end-of-file count that includes record 88 or not, and refuses another", () => {
    const body = [header(), credit(12_345, "F-1"), end(1, 12_345)];
    expect(parseBankStatement(n43([...body, eof(3)])).ok).toBe(true);
    expect(parseBankStatement(n43([...body, eof(4)])).ok).toBe(true);
    expect(parseBankStatement(n43([...body, eof(7)]))).toMatchObject({
      ok: false,
      problems: [{ line: 4, message: "the end of file says 7 records; the file has 3 before it" }],
    });
  });

  it("refuses an account end whose credit totals disagree with the movements", () => {
    expect(parseBankStatement(n43([header(), credit(12_345), end(1, 99_999), eof(4)]))).toMatchObject({
      ok: false,
      problems: [
        {
          line: 3,
          message: "the account end says 1 credit(s) totalling 999.99, the movements give 1 totalling 123.45",
        },
      ],
    });
  });

  it("reads a yen account's 2 implied decimals into whole yen, and refuses an unknown currency code", () => {
    const yen = parseBankStatement(n43([header("392"), credit(1_200_000), end(1, 1_200_000), eof(4)]));
    expect(yen).toMatchObject({ ok: true, lines: [{ currency: "JPY", amountMinor: 12_000 }] });
    expect(parseBankStatement(n43([header("999"), eof(2)]))).toMatchObject({
      ok: false,
      problems: [{ line: 1, message: expect.stringContaining('currency code "999" (positions 48-50)') }],
    });
  });

  it("refuses a file cut before its end-of-file record", () => {
    expect(parseBankStatement(n43([header(), credit(100), end(1, 100)]))).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining("without the end-of-file record 88") }],
    });
  });
});

describe("camt", () => {
  const camt = (namespace: string, root: string, report: string) =>
    Buffer.from(`<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${namespace}">
<${root}><GrpHdr><MsgId>1</MsgId></GrpHdr><${report}><Acct><Id><Othr><Id>0012345678</Id></Othr></Id></Acct>
<Ntry><Amt Ccy="EUR">10.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-11-20T10:00:00</DtTm></BookgDt>
<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>F-9</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</${report}></${root}></Document>`);

  it("reads a camt.054 notification like a statement", () => {
    expect(parseBankStatement(camt("camt.054.001.08", "BkToCstmrDbtCdtNtfctn", "Ntfctn"))).toMatchObject({
      ok: true,
      format: "camt",
      lines: [{ account: "0012345678", bookedOn: "2026-11-20", amountMinor: 1050, text: "F-9" }],
    });
  });

  it("refuses an intraday camt.052 report, naming what it expects", () => {
    const report = parseBankStatement(camt("camt.052.001.08", "BkToCstmrAcctRpt", "Rpt"));
    expect(report).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining("not a bank statement") }],
    });
  });
});

describe("stored once", () => {
  const line = (text: string): BankLine => ({
    account: "A",
    bookedOn: "2026-11-20",
    amountMinor: 100,
    currency: "EUR",
    bankRef: null,
    text,
    payerName: null,
    payerIban: null,
    fileLine: 1,
  });
  it("keeps two identical credits of one file apart, and gives a re-read file the same keys", () => {
    const hash = (s: string) => `h(${s})`;
    const keys = bankLineKeys([line("x"), line("x"), line("y")], hash);
    expect(new Set(keys).size).toBe(3);
    expect(bankLineKeys([line("x"), line("x"), line("y")], hash)).toEqual(keys);
  });
});
