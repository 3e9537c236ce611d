// `cobro run billing-cycle [--as-of D]`: approved, unbilled time → T&M drafts, one digest.
import { toDecimalString } from "../domain/money.ts";
import { formatHours } from "../domain/timesheet-billing.ts";
import { runBillingCycle } from "../timesheets/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliRuntime, EXIT } from "./types.ts";

export const BILLING_CYCLE_USAGE =
  "run billing-cycle [--as-of YYYY-MM-DD] [--by person|task] [--workspace W]";

export async function runBillingCycleCommand(
  { openApp, out, err }: CliRuntime,
  args: string[],
): Promise<number> {
  const parsed = parseArgs(args, { values: ["as-of", "by", "workspace"] });
  const by = stringFlag(parsed, "by") ?? "person";
  if (parsed.positional.length > 0 || (by !== "person" && by !== "task")) {
    err(`Usage: cobro ${BILLING_CYCLE_USAGE}`);
    return EXIT.usage;
  }
  const app = await openApp();
  const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
  const result = await runBillingCycle(cliCtx(app, workspace.id), {
    asOf: stringFlag(parsed, "as-of"),
    groupBy: by,
  });
  if (result.drafts.length === 0) {
    out(`No approved, unbilled time up to ${result.cutoff} (${result.cadence} cycle as of ${result.asOf}).`);
    return EXIT.ok;
  }
  out(
    `${result.drafts.length} draft invoice(s) from ${result.entriesBilled} entries up to ${result.cutoff} (${result.cadence} cycle as of ${result.asOf}):`,
  );
  for (const d of result.drafts) {
    out(
      `  ${d.projectCode}  ${d.clientName}  ${formatHours(d.minutes)}  ${toDecimalString(d.totalMinor, d.currency)} ${d.currency}`,
    );
  }
  out(result.digestDeliveryId ? "Digest queued for the billing channel." : "Digest already posted.");
  return EXIT.ok;
}

export const billingCycleCommand = {
  summary: "bill approved, unbilled time as draft invoices (same as `run billing-cycle`)",
  usage: BILLING_CYCLE_USAGE,
  run: (runtime: CliRuntime, args: string[]) =>
    runBillingCycleCommand(runtime, args[0] === "billing-cycle" ? args.slice(1) : args),
};
