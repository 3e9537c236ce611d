// `cobro import bank FILE`: a camt.053/054, Norma 43 or CFONB 120 statement in, each credit explained.
import { toDecimalString } from "../domain/money.ts";
import { DEFAULT_LOCALE } from "../i18n/index.ts";
import { type BankLineReport, bankReasonText, importBankStatement } from "../imports/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { readInputFile } from "./read-input-file.ts";
import { type CliRuntime, EXIT } from "./types.ts";

export const IMPORT_BANK_USAGE =
  "import bank FILE (camt.053, camt.054, Norma 43 or CFONB 120) [--workspace W]";

const FORMAT_NAMES = { camt: "ISO 20022 camt", norma43: "Norma 43", cfonb120: "CFONB 120" } as const;
const TEXT_SHOWN = 100;

export async function runImportBank(runtime: CliRuntime, args: string[]): Promise<number> {
  const { openApp, out, err } = runtime;
  const parsed = parseArgs(args, { values: ["workspace"] });
  const [file, ...extra] = parsed.positional;
  if (!file || extra.length > 0) {
    err(`Usage: cobro ${IMPORT_BANK_USAGE}`);
    return EXIT.usage;
  }
  const bytes = await readInputFile(file);
  const app = await openApp();
  const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
  const result = await importBankStatement(cliCtx(app, workspace.id), { bytes, fileName: file });
  out(
    `${FORMAT_NAMES[result.format]} statement: ${result.lines.length} credit(s); ${result.skipped} debit(s), pending or reversed entries skipped.`,
  );
  for (const line of result.lines) out(describeLine(line));
  const fresh = result.lines.filter((l) => !l.alreadyImported);
  const paid = fresh.filter((l) => l.outcome === "paid");
  const invoices = paid.reduce((n, l) => n + l.paid.length, 0);
  const suggested = fresh.filter((l) => l.outcome === "suggested").length;
  out(
    `${paid.length} line(s) paid ${invoices} invoice(s); ${suggested} suggested for a person to confirm; ${fresh.length - paid.length - suggested} left unmatched; ${result.lines.length - fresh.length} already imported before (nothing done again).`,
  );
  return EXIT.ok;
}

function describeLine(line: BankLineReport): string {
  const text = line.text.length > TEXT_SHOWN ? `${line.text.slice(0, TEXT_SHOWN - 1)}…` : line.text;
  const head = `  line ${line.fileLine}: ${line.bookedOn} ${toDecimalString(line.amountMinor, line.currency)} ${line.currency}${line.payerName ? ` from ${line.payerName}` : ""} "${text}"`;
  const paid = line.paid
    .map((p) => `${p.number} (${toDecimalString(p.amountMinor, line.currency)})`)
    .join(", ");
  // The CLI speaks English (as every cobro command); the reasons come from the same catalogue as Slack's.
  const why = line.reason ? bankReasonText(line.reason, DEFAULT_LOCALE) : "no reason recorded";
  const verdict =
    line.outcome === "paid"
      ? `paid ${paid}: ${why}`
      : line.outcome === "suggested"
        ? `suggested, to confirm in Slack: ${why}`
        : line.outcome === "dismissed"
          ? "not ours"
          : `unmatched: ${why}`;
  return `${head} → ${line.alreadyImported ? `already imported (${verdict})` : verdict}`;
}
