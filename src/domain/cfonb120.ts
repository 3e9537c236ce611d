// France's CFONB 120 account statement: 120-character records 01 (previous balance), 04 (operation),
// 05 (operation complement), 07 (new balance). The amount's last character carries its sign and last
// digit ({, A-I positive; }, J-R negative); position 20 says how many decimals. Credits only are kept.
import type { BankLine, BankProblem } from "./bank-statement.ts";
import { currencyExponent } from "./money.ts";

type CfonbResult = { lines: BankLine[]; problems: BankProblem[]; skipped: number };

const POSITIVE = "{ABCDEFGHI";
const NEGATIVE = "}JKLMNOPQR";
// Complement qualifiers whose data a payer writes: remittance lines, client reference, free label.
const TEXT_QUALIFIERS = new Set(["LCC", "LC2", "LCS", "RCN", "LIB"]);

/** Splits into records: by line breaks, or every 120 characters when the file has none. */
export function cfonbRecords(content: string): string[] {
  const trimmed = content.replace(/[\r\n]+$/, "");
  if (/[\r\n]/.test(trimmed)) return trimmed.split(/\r?\n/);
  const records: string[] = [];
  for (let i = 0; i < trimmed.length; i += 120) records.push(trimmed.slice(i, i + 120));
  return records;
}

export function parseCfonb120(content: string): CfonbResult {
  const result: CfonbResult = { lines: [], problems: [], skipped: 0 };
  const problem = (line: number, message: string): undefined => {
    result.problems.push({ line, message });
  };
  const state: { balance: { line: number; amount: number; operations: number } | null } = { balance: null };
  let operation: { line: BankLine; ref: string | null } | null = null;
  const finish = () => {
    if (operation?.ref) operation.line.bankRef = operation.ref;
    operation = null;
  };
  const readRecord = (raw: string, n: number): undefined => {
    if (raw.length > 120) return problem(n, `a record is 120 characters; this one has ${raw.length}`);
    const r = raw.padEnd(120, " ");
    const code = r.slice(0, 2);
    if (code !== "05") finish();
    if (!["01", "04", "05", "07"].includes(code)) {
      return problem(n, `unknown record code "${code}" (CFONB 120 records start with 01, 04, 05 or 07)`);
    }
    const currency = r.slice(16, 19);
    const decimals = r[19] ?? "";
    if (!/^[A-Z]{3}$/.test(currency))
      return problem(n, `currency "${currency}" (positions 17-19) is not a code such as EUR`);
    if (!/^[0-3]$/.test(decimals))
      return problem(n, `number of decimals "${decimals}" (position 20) must be 0 to 3`);
    const account = `${r.slice(2, 7)}${r.slice(11, 16)}${r.slice(21, 32)}`;
    if (code === "05") {
      if (!operation) return; // the complement of a skipped debit
      const qualifier = r.slice(45, 48);
      const data = r.slice(48, 118).trim();
      if (TEXT_QUALIFIERS.has(qualifier) && data)
        operation.line.text = `${operation.line.text} ${data}`.trim();
      if (qualifier === "NPY" && data) operation.line.payerName = data;
      if (qualifier === "REF" && data) operation.ref = data;
      return;
    }
    const amount = signedAmount(r.slice(90, 104));
    if (amount === null) {
      return problem(
        n,
        `amount "${r.slice(90, 104)}" (positions 91-104) is not 13 digits and a sign character ({, A-I, }, J-R)`,
      );
    }
    const date = ddmmyy(r.slice(34, 40));
    if (!date) return problem(n, `date "${r.slice(34, 40)}" (positions 35-40) is not DDMMYY`);
    if (code === "01") {
      state.balance = { line: n, amount, operations: 0 };
      return;
    }
    if (code === "07") {
      if (!state.balance) return problem(n, "a new balance 07 without its previous balance 01");
      const expected = state.balance.amount + state.balance.operations;
      if (amount !== expected) {
        problem(
          n,
          `new balance ${amount} (in 1/10^${decimals}) is not the previous balance plus the operations (${expected})`,
        );
      }
      state.balance = null;
      return;
    }
    if (!state.balance)
      return problem(n, "an operation 04 outside a statement (no previous balance 01 before it)");
    state.balance.operations += amount;
    if (amount <= 0) {
      result.skipped++;
      return;
    }
    const exponent = currencyExponent(currency);
    const scale = exponent - Number(decimals);
    const amountMinor = scale >= 0 ? amount * 10 ** scale : amount / 10 ** -scale;
    if (!Number.isSafeInteger(amountMinor))
      return problem(n, `${currency} has ${exponent} decimals, the amount has more`);
    const line: BankLine = {
      account,
      bookedOn: date,
      amountMinor,
      currency,
      bankRef: null,
      text: r.slice(48, 79).trim(),
      payerName: null,
      payerIban: null,
      fileLine: n,
    };
    result.lines.push(line);
    operation = { line, ref: null };
  };
  cfonbRecords(content).forEach((raw, index) => {
    readRecord(raw, index + 1);
  });
  finish();
  if (state.balance)
    problem(
      state.balance.line,
      "a previous balance 01 without its new balance 07: the file may be cut short",
    );
  return result;
}

function signedAmount(field: string): number | null {
  const last = field.slice(-1);
  const head = field.slice(0, -1);
  if (!/^\d{13}$/.test(head)) return null;
  const positive = POSITIVE.indexOf(last);
  const negative = NEGATIVE.indexOf(last);
  if (positive < 0 && negative < 0) return null;
  const value = Number(head) * 10 + (positive >= 0 ? positive : negative);
  return positive >= 0 ? value : -value;
}

function ddmmyy(field: string): string | null {
  if (!/^\d{6}$/.test(field)) return null;
  const iso = `20${field.slice(4, 6)}-${field.slice(2, 4)}-${field.slice(0, 2)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}
