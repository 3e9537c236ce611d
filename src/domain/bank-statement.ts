// A bank statement file, whatever its format, read into credit lines Cobro can match to invoices.
import { parseCamt } from "./camt.ts";
import { parseCfonb120 } from "./cfonb120.ts";
import { parseNorma43 } from "./norma43.ts";

export type BankFormat = "camt" | "norma43" | "cfonb120";

/** One booked credit on the workspace's account, amounts in the currency's minor units. */
export type BankLine = {
  account: string;
  bookedOn: string;
  amountMinor: number;
  currency: string;
  /** The bank's own unique reference for this line, when the format carries one. */
  bankRef: string | null;
  /** Remittance text and references, where a payer writes the invoice number. */
  text: string;
  payerName: string | null;
  /** The payer's account (camt's DbtrAcct), compact, when the format carries it. */
  payerIban: string | null;
  /** Where the line is in the file (1-based), for messages. */
  fileLine: number;
};

export type BankProblem = { line: number; message: string };

export type ParsedStatement =
  | { ok: true; format: BankFormat; lines: BankLine[]; skipped: number }
  | { ok: false; format: BankFormat | null; problems: BankProblem[] };

/** The format is read from the content, never from the file name. */
export function detectBankFormat(bytes: Uint8Array): BankFormat | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096)).replace(/^\uFEFF|^ï»¿/, "");
  if (/^\s*</.test(head) && /camt\.05[34]\.001\.\d\d/.test(head)) return "camt";
  if (/^11\d{18}\d{12}[12]\d{14}\d{3}/.test(head)) return "norma43";
  if (/^01\d{5}.{4}\d{5}[A-Z]{3}\d/.test(head)) return "cfonb120";
  return null;
}

export function parseBankStatement(bytes: Uint8Array): ParsedStatement {
  const format = detectBankFormat(bytes);
  if (!format) {
    return {
      ok: false,
      format: null,
      problems: [
        {
          line: 1,
          message:
            "not a bank statement Cobro reads: expected an ISO 20022 camt.053/camt.054 XML file, a Norma 43 (AEB 43) file starting with a record 11 or a CFONB 120 file starting with a record 01",
        },
      ],
    };
  }
  const result =
    format === "camt"
      ? parseCamt(decodeXml(bytes))
      : format === "norma43"
        ? parseNorma43(decodeLatin1(bytes))
        : parseCfonb120(decodeLatin1(bytes));
  return result.problems.length > 0
    ? { ok: false, format, problems: result.problems }
    : { ok: true, format, lines: result.lines, skipped: result.skipped };
}

// Norma 43 files are ISO-8859-1 by definition; CFONB 120 is plain ASCII, which Latin-1 reads too.
function decodeLatin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

// XML declares its encoding; banks that say UTF-8 but write Latin-1 are read as Latin-1 rather than refused.
function decodeXml(bytes: Uint8Array): string {
  const declared = /encoding=["']([\w-]+)["']/i.exec(
    new TextDecoder("latin1").decode(bytes.subarray(0, 200)),
  );
  const label = declared?.[1]?.toLowerCase() ?? "utf-8";
  if (label !== "utf-8" && label !== "utf8") return new TextDecoder("latin1").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("latin1").decode(bytes);
  }
}

/**
 * The key that makes a line stored once: the bank's reference, else a hash of what the line says.
 * Identical lines within one file (two equal transfers the same day) get an occurrence number, so
 * both are kept and a re-import of the file still finds each one. The caller hashes (node:crypto
 * stays out of the domain).
 */
export function bankLineKeys(lines: readonly BankLine[], sha256: (text: string) => string): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const base = line.bankRef
      ? `ref:${line.account}:${line.bankRef}`
      : `hash:${sha256([line.account, line.bookedOn, line.currency, line.amountMinor, line.text].join("|"))}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}
