// Spain's Norma 43 (AEB/CSB cuaderno 43): 80-character records, amounts with 2 implied decimals,
// signs as codes (1 debit, 2 credit), currencies as ISO 4217 numeric codes. Credits only are kept.
import type { BankLine, BankProblem } from "./bank-statement.ts";
import { currencyExponent } from "./money.ts";

const EOF_MARKER = String.fromCharCode(0x1a);

type Norma43Result = { lines: BankLine[]; problems: BankProblem[]; skipped: number };

// ISO 4217 numeric codes of the currencies Spanish banks hold accounts in.
const CURRENCIES: Record<string, string> = {
  "978": "EUR",
  "840": "USD",
  "826": "GBP",
  "756": "CHF",
  "392": "JPY",
  "124": "CAD",
  "752": "SEK",
  "208": "DKK",
  "578": "NOK",
  "985": "PLN",
  "484": "MXN",
  "032": "ARS",
  "152": "CLP",
  "170": "COP",
  "604": "PEN",
  "986": "BRL",
  "156": "CNY",
  "036": "AUD",
};

type Account = {
  line: number;
  id: string;
  currency: string;
  opening: number;
  debits: { count: number; total: number };
  credits: { count: number; total: number };
  closed: boolean;
};

export function parseNorma43(content: string): Norma43Result {
  const result: Norma43Result = { lines: [], problems: [], skipped: 0 };
  // Returns undefined so a record check can `return problem(…)`.
  const problem = (line: number, message: string): undefined => {
    result.problems.push({ line, message });
  };
  // DOS-era exports end with a Ctrl-Z end-of-file marker.
  const records = content.split(/\r?\n/).map((r) => r.replaceAll(EOF_MARKER, ""));
  while (records.length > 0 && records.at(-1)?.trim() === "") records.pop();
  let account: Account | null = null;
  let movement: { line: BankLine; texts: number } | null = null;
  let endSeen = false;
  const readRecord = (raw: string, index: number): undefined => {
    const n = index + 1;
    if (endSeen) return problem(n, "a record after the end-of-file record 88");
    if (raw.length > 80) return problem(n, `a record is 80 characters; this one has ${raw.length}`);
    // Some exports strip trailing spaces; a short record is read as if padded.
    const r = raw.padEnd(80, " ");
    const code = r.slice(0, 2);
    if (code !== "23") movement = null;
    if (code === "11") {
      if (account && !account.closed) problem(account.line, "account header 11 has no closing record 33");
      const currency = CURRENCIES[r.slice(47, 50)];
      const opening = digits(r.slice(33, 47));
      if (!currency)
        return problem(
          n,
          `currency code "${r.slice(47, 50)}" (positions 48-50) is not one Cobro knows (978 is EUR)`,
        );
      if (opening === null || !/[12]/.test(r[32] ?? "")) {
        return problem(n, "opening balance: sign (position 33) must be 1 or 2 and amount (34-47) 14 digits");
      }
      if (!validDate(r.slice(20, 26)))
        return problem(n, `start date "${r.slice(20, 26)}" (positions 21-26) is not YYMMDD`);
      account = {
        line: n,
        id: `${r.slice(2, 6)}${r.slice(6, 10)}${r.slice(10, 20)}`,
        currency,
        opening: r[32] === "1" ? -opening : opening,
        debits: { count: 0, total: 0 },
        credits: { count: 0, total: 0 },
        closed: false,
      };
      return;
    }
    if (code === "22") {
      if (!account || account.closed)
        return problem(n, "a movement 22 outside an account (no header 11 before it)");
      const sign = r[27];
      const amount = digits(r.slice(28, 42));
      if (sign !== "1" && sign !== "2")
        return problem(n, `debit/credit code "${sign}" (position 28) must be 1 (debit) or 2 (credit)`);
      if (amount === null)
        return problem(n, `amount "${r.slice(28, 42)}" (positions 29-42) is not 14 digits`);
      const opDate = validDate(r.slice(10, 16));
      if (!opDate) return problem(n, `operation date "${r.slice(10, 16)}" (positions 11-16) is not YYMMDD`);
      const tally = sign === "1" ? account.debits : account.credits;
      tally.count++;
      tally.total += amount;
      if (sign === "1") {
        result.skipped++;
        return;
      }
      const amountMinor = inCurrency(amount, account.currency);
      if (amountMinor === null)
        return problem(n, `${account.currency} has no cents, yet the amount has some`);
      const line: BankLine = {
        account: account.id,
        bookedOn: opDate,
        amountMinor,
        currency: account.currency,
        bankRef: null,
        text: [r.slice(42, 52), r.slice(52, 64), r.slice(64, 80)]
          .map((s) => s.trim())
          .filter((s) => s !== "" && !/^0+$/.test(s))
          .join(" "),
        payerName: null,
        payerIban: null,
        fileLine: n,
      };
      result.lines.push(line);
      movement = { line, texts: 0 };
      return;
    }
    if (code === "23") {
      if (!account) return problem(n, "a concept 23 outside an account");
      // Concepts of a debit are not kept; the movement they follow was skipped.
      if (!movement) return;
      if (++movement.texts > 5) return problem(n, "more than 5 concept records 23 follow one movement");
      const concept = [r.slice(4, 42), r.slice(42, 80)]
        .map((s) => s.trim())
        .filter(Boolean)
        .join(" ");
      movement.line.text = [movement.line.text, concept].filter(Boolean).join(" ");
      return;
    }
    if (code === "24") return;
    if (code === "33") {
      if (!account || account.closed) return problem(n, "an account end 33 without its header 11");
      account.closed = true;
      const debits = { count: digits(r.slice(20, 25)), total: digits(r.slice(25, 39)) };
      const credits = { count: digits(r.slice(39, 44)), total: digits(r.slice(44, 58)) };
      if (debits.count !== account.debits.count || debits.total !== account.debits.total) {
        return problem(
          n,
          `the account end says ${debits.count ?? "?"} debit(s) totalling ${cents(debits.total)}, the movements give ${account.debits.count} totalling ${cents(account.debits.total)}`,
        );
      }
      if (credits.count !== account.credits.count || credits.total !== account.credits.total) {
        return problem(
          n,
          `the account end says ${credits.count ?? "?"} credit(s) totalling ${cents(credits.total)}, the movements give ${account.credits.count} totalling ${cents(account.credits.total)}`,
        );
      }
      const closing = digits(r.slice(59, 73));
      const signed = closing === null ? null : r[58] === "1" ? -closing : closing;
      const expected = account.opening + account.credits.total - account.debits.total;
      // Some banks leave the balances at zero; only a stated balance is checked.
      if (signed !== null && signed !== 0 && account.opening !== 0 && signed !== expected) {
        return problem(
          n,
          `final balance ${cents(signed)} is not opening balance + credits − debits (${cents(expected)})`,
        );
      }
      return;
    }
    if (code === "88") {
      endSeen = true;
      const count = digits(r.slice(20, 26));
      // Banks differ on whether record 88 counts itself: both are accepted.
      if (count !== null && count !== index && count !== index + 1) {
        problem(n, `the end of file says ${count} records; the file has ${index} before it`);
      }
      if (account && !account.closed) problem(account.line, "account header 11 has no closing record 33");
      return;
    }
    problem(n, `unknown record code "${code}" (Norma 43 records start with 11, 22, 23, 24, 33 or 88)`);
  };
  for (const [index, raw] of records.entries()) readRecord(raw, index);
  if (!endSeen && result.problems.length === 0) {
    problem(records.length, "the file ends without the end-of-file record 88: it may be cut short");
  }
  return result;
}

function digits(field: string): number | null {
  return /^\d+$/.test(field) ? Number(field) : null;
}

function validDate(yymmdd: string): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const iso = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

// Norma 43 always writes 2 decimals, whatever the currency's own exponent.
function inCurrency(cents: number, currency: string): number | null {
  const exponent = currencyExponent(currency);
  if (exponent === 2) return cents;
  if (exponent < 2) return cents % 10 ** (2 - exponent) === 0 ? cents / 10 ** (2 - exponent) : null;
  return cents * 10 ** (exponent - 2);
}

function cents(value: number | null): string {
  if (value === null) return "?";
  const abs = Math.abs(value);
  return `${value < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
