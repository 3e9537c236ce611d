// `cobro aging`: the aged-receivables report as a table, the documented JSON shape, or CSV.

import { buildAgingReport } from "../aging/index.ts";
import { type AgingReport, toAgingCsv, toAgingJson } from "../domain/aging.ts";
import { DomainError } from "../domain/errors.ts";
import { toDecimalString } from "../domain/money.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { textColumns } from "./text-columns.ts";
import { type CliCommand, EXIT } from "./types.ts";

/** Amounts align right: every column after the currency in the buckets, after the name in top debtors. */
const BUCKET_AMOUNTS = (column: number) => column >= 1;
const DEBTOR_AMOUNTS = (column: number) => column >= 2;

const USAGE =
  "aging [--as-of YYYY-MM-DD] [--by due|issue] [--client X] [--project P] [--currency CUR] [--json|--csv] [--workspace W]";

export const agingCommand: CliCommand = {
  summary: "aged receivables by bucket, currency and client (table, --json or --csv)",
  usage: USAGE,
  run: async ({ openApp, out }, args) => {
    const parsed = parseArgs(args, {
      values: ["as-of", "by", "client", "project", "currency", "workspace"],
      booleans: ["json", "csv"],
    });
    const usageError = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (parsed.positional.length > 0) throw usageError(`Unexpected argument "${parsed.positional[0]}".`);
    if (parsed.flags.has("json") && parsed.flags.has("csv"))
      throw usageError("Choose one of --json or --csv.");
    const by = stringFlag(parsed, "by") ?? "due";
    if (by !== "due" && by !== "issue") throw usageError(`--by is "due" or "issue", not "${by}".`);

    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const client = stringFlag(parsed, "client");
    const project = stringFlag(parsed, "project");
    if (client && project) throw usageError("Filter by --client or --project, not both.");
    const { report, filters } = await buildAgingReport(cliCtx(app, workspace.id), {
      asOf: stringFlag(parsed, "as-of"),
      basis: by,
      currency: stringFlag(parsed, "currency")?.toUpperCase(),
      target: client ?? project,
      targetKind: client ? "client" : project ? "project" : "any",
    });

    if (parsed.flags.has("json")) {
      out(JSON.stringify(toAgingJson(report), null, 2));
    } else if (parsed.flags.has("csv")) {
      out(toAgingCsv(report).trimEnd());
    } else {
      const scope = Object.values(filters.labels).join(", ");
      for (const line of renderTable(report, scope)) out(line);
    }
    return EXIT.ok;
  },
};

const TOP = 20;

function renderTable(report: AgingReport, scope: string): string[] {
  const lines = [
    `Aged receivables as of ${report.asOf} (by ${report.basis === "due" ? "due date" : "issue date"})${scope ? ` · ${scope}` : ""}`,
    "",
  ];
  const currencies = Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return [...lines, "Nothing is open."];
  const header = ["", ...report.buckets, "total", "count"];
  const rows: string[][] = currencies.map(([currency, totals]) => [
    currency,
    ...[...totals.buckets, totals.total].map((amount) => toDecimalString(amount, currency)),
    String(totals.count),
  ]);
  const convertedNote = report.base.notConverted.length
    ? ` (without ${report.base.notConverted.join(", ")}: no stored rate)`
    : "";
  if (currencies.length > 1 || currencies[0]?.[0] !== report.baseCurrency) {
    rows.push([
      `= ${report.baseCurrency}`,
      ...[...report.base.buckets, report.base.total].map((a) => toDecimalString(a, report.baseCurrency)),
      "",
    ]);
  }
  lines.push(...textColumns([header, ...rows], BUCKET_AMOUNTS));
  if (convertedNote) lines.push(`${report.baseCurrency} total${convertedNote}`);
  for (const rate of report.base.ratesUsed) {
    lines.push(`rate ${rate.currency}→${report.baseCurrency} ${rate.rate} (${rate.onDate})`);
  }
  for (const [currency, m] of Object.entries(report.metrics)) {
    const show = (v: number | null, unit: string) => (v === null ? "n/a" : `${v}${unit}`);
    lines.push(
      `${currency}: DSO ${show(m.dso, " d")} (${m.periodDays} d), best possible ${show(m.bestPossibleDso, " d")}, ` +
        `ADD ${show(m.averageDaysDelinquent, " d")}, countback DSO ${m.dsoCountbackExhausted ? "≥ " : ""}${m.dsoCountback} d, ` +
        `CEI ${show(m.cei, " %")} (month to date)`,
    );
  }
  lines.push(
    "",
    `Top debtors (amount × age)${report.clients.length > TOP ? `, ${TOP} of ${report.clients.length}` : ""}:`,
  );
  lines.push(
    ...textColumns(
      [
        ["client", "name", "currency", "total", "oldest"],
        ...report.clients
          .slice(0, TOP)
          .map((c) => [
            c.externalId,
            c.name.slice(0, 40),
            c.currency,
            toDecimalString(c.total, c.currency),
            `${c.oldestDaysPastDue} d`,
          ]),
      ],
      DEBTOR_AMOUNTS,
    ),
  );
  return lines;
}
