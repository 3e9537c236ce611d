// `cobro verifactu export`: the records waiting for the AEAT, or all records of a period, as XML.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import { verifactuWarnings } from "../domain/verifactu-backlog.ts";
import { exportVerifactuSubmissions, loadVerifactuBacklog } from "../invoicing/index.ts";
import { COBRO_VERSION } from "../version.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";

export const verifactuExport: VerifactuSubcommand = {
  usage: "export [--from YYYY-MM-DD --to YYYY-MM-DD] [--out DIR] [--workspace W]",
  values: ["out", "workspace", "from", "to"],
  run: async ({ openApp, out, config }, parsed) => {
    const period = periodOf(stringFlag(parsed, "from"), stringFlag(parsed, "to"));
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const scope = verifactuScope(workspace.seller);
    if (!scope.applies && scope.spanish) out(`No new VERI*FACTU records for this seller: ${scope.reason}.`);
    const submissions = await exportVerifactuSubmissions(cliCtx(app, workspace.id), {
      version: COBRO_VERSION,
      producer: config.verifactuProducer,
      period,
    });
    if (submissions.length === 0) {
      out(
        period
          ? `No VERI*FACTU record was generated from ${period.from} to ${period.to}.`
          : "No VERI*FACTU record is waiting to be sent.",
      );
      for (const line of await sendingStatus(app, workspace.id)) out(line);
      return EXIT.ok;
    }
    const dir = stringFlag(parsed, "out") ?? ".";
    await mkdir(dir, { recursive: true });
    for (const [index, submission] of submissions.entries()) {
      const name = period
        ? `verifactu-${submission.issuerNif}-${period.from}-${period.to}-${index + 1}.xml`
        : `verifactu-${submission.issuerNif}-${index + 1}.xml`;
      const file = join(dir, name);
      await writeFile(file, submission.xml);
      out(
        period
          ? `Wrote ${file}: ${submission.records} record(s) of ${submission.issuerNif} generated from ${period.from} to ${period.to}, oldest first.`
          : `Wrote ${file}: ${submission.records} record(s) of ${submission.issuerNif}, waiting to be sent to the AEAT.`,
      );
    }
    for (const line of await sendingStatus(app, workspace.id)) out(line);
    return EXIT.ok;
  },
};

/** The AEAT's answers so far and what needs someone, after the files. */
async function sendingStatus(app: Pick<ServiceDeps, "db" | "now">, workspaceId: string): Promise<string[]> {
  const backlog = await loadVerifactuBacklog(app.db, workspaceId);
  const warnings = verifactuWarnings(backlog, app.now());
  if (backlog.unsent === 0 && warnings.length === 0) return [];
  return [
    `Sending: ${backlog.unsent} waiting${backlog.nextSendAt && backlog.unsent > 0 ? ` (next request from ${backlog.nextSendAt.toISOString()})` : ""}, ${backlog.rejected} refused, ${backlog.withErrors} accepted with errors.`,
    ...warnings.map((w) => `Warning: ${w}`),
  ];
}

function periodOf(from: string | undefined, to: string | undefined) {
  if (!from && !to) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const bad = (message: string) =>
    new DomainError("cli.usage", message, {
      userMessage: `${message} Give both, as dates: --from 2026-01-01 --to 2026-03-31.`,
    });
  if (!from || !to) throw bad(`--${from ? "to" : "from"} is missing.`);
  for (const value of [from, to]) {
    if (!date.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw bad(`"${value}" is not a date.`);
    }
  }
  if (from > to) throw bad(`--from ${from} is after --to ${to}.`);
  return { from, to };
}
