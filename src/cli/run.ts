// `cobro run overdue-scan|reminders`: the scheduled collections jobs, by hand (no run claim).

import { isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { COLLECTION_JOBS, type CollectionJob, runCollectionJob } from "../scheduler.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { BILLING_CYCLE_USAGE, runBillingCycleCommand } from "./billing-cycle.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "run overdue-scan|reminders|billing-cycle [--as-of YYYY-MM-DD] [--dry-run] [--workspace W]";

export const runCommand: CliCommand = {
  summary: "run the overdue scan or the reminders now (--dry-run shows what would happen)",
  usage: USAGE,
  help: `Also: cobro ${BILLING_CYCLE_USAGE}`,
  run: async (runtime, args) => {
    // `cobro run billing-cycle …` is the timesheets command under the same verb.
    if (args[0] === "billing-cycle") return runBillingCycleCommand(runtime, args.slice(1));
    const { openApp, out } = runtime;
    const parsed = parseArgs(args, { values: ["as-of", "workspace"], booleans: ["dry-run"] });
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    const [job, extra] = parsed.positional;
    if (!job || !(COLLECTION_JOBS as readonly string[]).includes(job)) {
      throw usage(job ? `Unknown job "${job}".` : "Which job? overdue-scan or reminders.");
    }
    if (extra) throw usage(`Unexpected argument "${extra}".`);
    const asOf = stringFlag(parsed, "as-of");
    if (asOf && !isCalendarDate(asOf)) throw usage(`--as-of "${asOf}" is not a date YYYY-MM-DD.`);
    const dryRun = parsed.flags.has("dry-run");
    const app = await openApp();
    const selector = stringFlag(parsed, "workspace");
    const workspaceId = selector ? (await resolveWorkspace(app.db, selector)).id : undefined;
    const runs = await runCollectionJob(app, job as CollectionJob, {
      ...(workspaceId ? { workspaceId } : {}),
      ...(asOf ? { asOf } : {}),
      dryRun,
    });
    const prefix = dryRun ? "[dry run, nothing saved] " : "";
    for (const run of runs) {
      if (run.job === "overdue-scan") {
        const r = run.result;
        out(
          `${prefix}${run.workspaceName} ${r.runDate}: ${r.overdue} invoice(s) became overdue; ${r.digests.length} digest(s): ${
            r.digests.map((d) => `${d.recipient} (${d.invoices})`).join(", ") || "none"
          }; ${r.threadNotes} invoice-thread note(s), ${r.notesFolded} folded into the digests`,
        );
      } else {
        const r = run.result;
        out(
          `${prefix}${run.workspaceName} ${r.runDate}: ${r.headsUp} heads-up, ${r.sent} sent, ${r.awaitingApproval} awaiting approval, ${r.skipped} skipped (paid), ${r.brokenPromises} broken promise(s)`,
        );
      }
    }
    if (runs.length === 0) out("No workspace yet: nothing to do.");
    if (!dryRun) out("Deliveries are sent by `cobro serve` (its queue worker picks them up).");
    return EXIT.ok;
  },
};
