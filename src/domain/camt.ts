// ISO 20022 camt.053 (statement) and camt.054 (notification): booked credit entries, a batched
// entry split into its transactions. Versions 001.02 to 001.13 share the entry shape read here.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { BankLine, BankProblem } from "./bank-statement.ts";
import { isDomainError } from "./errors.ts";
import { parseAmount } from "./money.ts";

type Node = Record<string, unknown>;
type CamtResult = { lines: BankLine[]; problems: BankProblem[]; skipped: number };

const NAMESPACE = /xmlns(?::\w+)?=["']urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.001\.(\d\d)["']/;
const REPEATED = new Set(["Stmt", "Ntfctn", "Ntry", "NtryDtls", "TxDtls", "Ustrd", "Strd"]);

export function parseCamt(xml: string): CamtResult {
  const fail = (line: number, message: string): CamtResult => ({
    lines: [],
    skipped: 0,
    problems: [{ line, message }],
  });
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return fail(valid.err.line, `XML is not well formed: ${valid.err.msg}`);
  const namespace = NAMESPACE.exec(xml);
  const version = Number(namespace?.[2] ?? 0);
  if (!namespace || version < 2 || version > 13) {
    return fail(
      1,
      "the namespace is not camt.053 or camt.054 version 001.02 to 001.13 (urn:iso:std:iso:20022:tech:xsd:camt.053.001.08, for example)",
    );
  }
  const document = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    parseTagValue: false,
    isArray: (name) => REPEATED.has(name),
  }).parse(xml) as Node;
  const root = child(document, "Document");
  const reports = [
    ...list(child(root, "BkToCstmrStmt"), "Stmt"),
    ...list(child(root, "BkToCstmrDbtCdtNtfctn"), "Ntfctn"),
  ];
  if (reports.length === 0) return fail(1, "no <Stmt> (camt.053) or <Ntfctn> (camt.054) in the document");
  const entryLines = openingLines(xml, "Ntry");
  const txLines = openingLines(xml, "TxDtls");
  const result: CamtResult = { lines: [], problems: [], skipped: 0 };
  let entryIndex = 0;
  let txIndex = 0;
  for (const report of reports) {
    const acctId = child(child(report, "Acct"), "Id");
    const account = text(child(acctId, "IBAN")) ?? text(child(child(acctId, "Othr"), "Id")) ?? "";
    for (const entry of list(report, "Ntry")) {
      const line = entryLines[entryIndex++] ?? 1;
      const transactions = list(entry, "NtryDtls").flatMap((d) => list(d, "TxDtls"));
      const txStart = txIndex;
      txIndex += transactions.length;
      const problem = (message: string) => result.problems.push({ line, message });
      const status = text(child(entry, "Sts")) ?? text(child(child(entry, "Sts"), "Cd"));
      const direction = text(child(entry, "CdtDbtInd"));
      if (!status) problem("the entry has no <Sts> (BOOK, PDNG or INFO)");
      if (direction !== "CRDT" && direction !== "DBIT") problem("<CdtDbtInd> must be CRDT or DBIT");
      if (status !== "BOOK" || direction !== "CRDT" || text(child(entry, "RvslInd")) === "true") {
        result.skipped++;
        continue;
      }
      const date = dateOf(child(entry, "BookgDt")) ?? dateOf(child(entry, "ValDt"));
      if (!date) {
        problem("the booked entry has no <BookgDt> or <ValDt> date (YYYY-MM-DD)");
        continue;
      }
      const entryAmount = amountOf(child(entry, "Amt"));
      if (typeof entryAmount === "string") {
        problem(`<Amt> ${entryAmount}`);
        continue;
      }
      const entryRef = text(child(entry, "AcctSvcrRef")) ?? null;
      const entryText = text(child(entry, "AddtlNtryInf")) ?? "";
      const base = { account, bookedOn: date, currency: entryAmount.currency };
      if (transactions.length <= 1) {
        const tx = transactions[0];
        result.lines.push({
          ...base,
          amountMinor: entryAmount.amountMinor,
          bankRef: (tx ? text(child(child(tx, "Refs"), "AcctSvcrRef")) : undefined) ?? entryRef,
          text: (tx ? remittance(tx) : "") || entryText,
          payerName: tx ? payerOf(tx) : null,
          payerIban: tx ? payerIbanOf(tx) : null,
          fileLine: tx ? (txLines[txStart] ?? line) : line,
        });
        continue;
      }
      transactions.forEach((tx, i) => {
        const txLine = txLines[txStart + i] ?? line;
        const amount = amountOf(child(tx, "Amt") ?? child(child(child(tx, "AmtDtls"), "TxAmt"), "Amt"));
        if (typeof amount === "string") {
          result.problems.push({
            line: txLine,
            message: `transaction ${i + 1} of a batched entry: <Amt> or <AmtDtls><TxAmt><Amt> ${amount}`,
          });
          return;
        }
        const ownRef = text(child(child(tx, "Refs"), "AcctSvcrRef"));
        result.lines.push({
          ...base,
          amountMinor: amount.amountMinor,
          currency: amount.currency,
          bankRef: ownRef ?? (entryRef ? `${entryRef}/${i + 1}` : null),
          text: remittance(tx) || entryText,
          payerName: payerOf(tx),
          payerIban: payerIbanOf(tx),
          fileLine: txLine,
        });
      });
    }
  }
  return result;
}

function child(node: unknown, name: string): unknown {
  return node && typeof node === "object" ? (node as Node)[name] : undefined;
}

function list(node: unknown, name: string): unknown[] {
  const value = child(node, name);
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function text(node: unknown): string | undefined {
  const value = typeof node === "string" ? node : child(node, "#text");
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function dateOf(node: unknown): string | undefined {
  const value = text(child(node, "Dt")) ?? text(child(node, "DtTm"));
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

function amountOf(node: unknown): { amountMinor: number; currency: string } | string {
  const value = text(node);
  const currency = child(node, "@Ccy");
  if (!value) return "is missing";
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency))
    return `"${value}" has no Ccy="EUR"-like currency`;
  try {
    const amountMinor = parseAmount(value, currency);
    return amountMinor > 0 ? { amountMinor, currency } : `"${value}" is not a positive amount`;
  } catch (error) {
    if (isDomainError(error)) return `"${value}" is not an amount for ${currency}`;
    throw error;
  }
}

// Unstructured lines first, then structured references: either may carry the invoice number.
function remittance(tx: unknown): string {
  const info = child(tx, "RmtInf");
  const parts = [
    ...list(info, "Ustrd").map(text),
    ...list(info, "Strd").flatMap((s) => [
      text(child(child(s, "CdtrRefInf"), "Ref")),
      ...list(s, "RfrdDocInf").map((d) => text(child(d, "Nb"))),
    ]),
    text(child(tx, "AddtlTxInf")),
  ];
  return parts.filter((p): p is string => !!p).join(" ");
}

// v02 names the debtor directly, v08 and later wrap it in <Pty>. A payer paying for another (a
// parent company, a factor) names the client as ultimate debtor: both are kept, for name matching.
function payerOf(tx: unknown): string | null {
  const nameOf = (party: unknown) => text(child(party, "Nm")) ?? text(child(child(party, "Pty"), "Nm"));
  const debtor = nameOf(child(child(tx, "RltdPties"), "Dbtr"));
  const ultimate = nameOf(child(child(tx, "RltdPties"), "UltmtDbtr"));
  if (!ultimate || ultimate === debtor) return debtor ?? null;
  return debtor ? `${debtor} (for ${ultimate})` : ultimate;
}

function payerIbanOf(tx: unknown): string | null {
  const iban = text(child(child(child(child(tx, "RltdPties"), "DbtrAcct"), "Id"), "IBAN"));
  return iban ? iban.replace(/\s+/g, "").toUpperCase() : null;
}

/** The 1-based line of each opening <name> tag (any prefix), in document order. */
function openingLines(xml: string, name: string): number[] {
  const lines: number[] = [];
  const tag = new RegExp(`<(?:\\w+:)?${name}[\\s>]`, "g");
  let line = 1;
  let from = 0;
  for (const match of xml.matchAll(tag)) {
    for (let i = from; i < match.index; i++) if (xml.charCodeAt(i) === 10) line++;
    from = match.index;
    lines.push(line);
  }
  return lines;
}
