// When scheduled work runs (collections, then timesheet reminders and the billing cycle; once a day
// the Slack event dedupe rows are pruned, the VERI*FACTU chains are proven and the ECB rates fetched):
// node-cron wakes every few minutes and checks which workspaces have reached their local scan hour;
// the database decides once (scheduled_runs claim per local day).
import { schedule } from "node-cron";
import { rollAgingBalances } from "./aging/index.ts";
import {
  type RunRemindersResult,
  runReminders,
  type ScanOverdueResult,
  scanOverdue,
  sendMonthlyStatements,
} from "./collections/index.ts";
import type { EcbSources } from "./config.ts";
import { contextFor, type ServiceDeps } from "./context.ts";
import { resolveScanHour, scanHourReached } from "./domain/overdue.ts";
import { systemActor } from "./domain/permissions.ts";
import { checkVerifactuChains, warnVerifactuBacklog } from "./invoicing/index.ts";
import { refreshEcbRates } from "./rates/index.ts";
import { runTimesheetJobs } from "./timesheets/index.ts";
import { findWorkspaceById, listWorkspaces, pruneSlackEvents } from "./workspace/index.ts";

export const COLLECTION_JOBS = ["overdue-scan", "reminders"] as const;
export type CollectionJob = (typeof COLLECTION_JOBS)[number];

export type JobRun =
  | { workspaceId: string; workspaceName: string; job: "overdue-scan"; result: ScanOverdueResult }
  | { workspaceId: string; workspaceName: string; job: "reminders"; result: RunRemindersResult };

/** Runs one job for one workspace or all, by hand (`cobro run`) or from the scheduler (claimRun). */
export async function runCollectionJob(
  deps: ServiceDeps,
  job: CollectionJob,
  options: { workspaceId?: string; asOf?: string; dryRun?: boolean; claimRun?: boolean } = {},
): Promise<JobRun[]> {
  const workspaces = options.workspaceId
    ? [await findWorkspaceById(deps.db, options.workspaceId)].filter((w) => w !== null)
    : await listWorkspaces(deps.db);
  const runs: JobRun[] = [];
  for (const workspace of workspaces) {
    const input = {
      ...(options.asOf ? { asOf: options.asOf } : {}),
      dryRun: options.dryRun ?? false,
      claimRun: options.claimRun ?? false,
    };
    if (job === "overdue-scan") {
      runs.push({
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        job,
        result: await scanOverdue(contextFor(deps, workspace.id, systemActor("overdue-scan")), input),
      });
    } else {
      runs.push({
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        job,
        result: await runReminders(contextFor(deps, workspace.id, systemActor("reminders")), input),
      });
    }
  }
  return runs;
}

/**
 * One tick: every workspace whose local hour has reached its scan hour gets today's scan, then its
 * reminders (each claimed once per local day, so ticks after the first do nothing).
 */
export async function runSchedulerTick(
  deps: ServiceDeps,
  options: { ecb?: EcbSources | null; workspaceIds?: string[] } = {},
): Promise<number> {
  const now = deps.now();
  let started = 0;
  const only = options.workspaceIds ? new Set(options.workspaceIds) : null;
  for (const workspace of await listWorkspaces(deps.db)) {
    if (only && !only.has(workspace.id)) continue;
    // Every tick, not only at the scan hour: the open balances follow the workspace's midnight. A
    // failure only makes /aging read more invoices, so it must not hold up the collections run.
    await rollAgingBalances(contextFor(deps, workspace.id, systemActor("aging-roll"))).catch(
      (error: unknown) =>
        deps.logger.error({ err: error, workspaceId: workspace.id }, "aging roll-forward failed"),
    );
    try {
      const hour = resolveScanHour(workspace.settings.overdueScanHour);
      if (!scanHourReached(now, workspace.timeZone, hour)) continue;
      // Before /cobro setup there is no channel for the digest and no seller for the e-mails: the
      // day's scan would mark invoices overdue that #cobros then never hears of. It runs once set up.
      const setUp = workspace.collectionsChannelId !== null;
      if (!setUp) noteWaitingForSetup(deps, workspace);
      const scan = setUp
        ? await scanOverdue(contextFor(deps, workspace.id, systemActor("overdue-scan")), { claimRun: true })
        : { ran: false };
      const reminders = setUp
        ? await runReminders(contextFor(deps, workspace.id, systemActor("reminders")), { claimRun: true })
        : { ran: false };
      if (setUp) {
        await sendMonthlyStatements(contextFor(deps, workspace.id, systemActor("scheduler")), { workspace });
      }
      const timesheets = await runTimesheetJobs(
        contextFor(deps, workspace.id, systemActor("timesheet-reminders")),
      );
      await pruneSlackEvents(contextFor(deps, workspace.id, systemActor("scheduler")), {});
      const verifactu = contextFor(deps, workspace.id, systemActor("scheduler"));
      await checkVerifactuChains(verifactu, { timeZone: workspace.timeZone });
      // Every tick, not once a day: records refused at noon are warned about that day (the claim
      // is per local day, so the channel hears it once).
      await warnVerifactuBacklog(verifactu, {});
      if (options.ecb) {
        await refreshEcbRates(contextFor(deps, workspace.id, systemActor("scheduler")), {
          sources: options.ecb,
          claimRun: true,
        });
      }
      if (scan.ran || reminders.ran || timesheets.draftsBilled !== null) started++;
    } catch (error) {
      // One broken workspace must not stop the others; the next tick tries again (nothing was claimed).
      deps.logger.error({ err: error, workspaceId: workspace.id }, "scheduled collections run failed");
    }
  }
  return started;
}

const waitingForSetup = new Set<string>();

/** Said once per workspace and process, not at every tick. */
function noteWaitingForSetup(deps: ServiceDeps, workspace: { id: string; name: string }): void {
  if (waitingForSetup.has(workspace.id)) return;
  waitingForSetup.add(workspace.id);
  deps.logger.info(
    { workspaceId: workspace.id },
    `workspace "${workspace.name}": the overdue scan and reminders wait for /cobro setup (no collections channel yet)`,
  );
}

export type Scheduler = { stop: () => Promise<void> };

export function startScheduler(
  deps: ServiceDeps,
  options: { cron?: string; ecb?: EcbSources | null } = {},
): Scheduler {
  const task = schedule(
    options.cron ?? "*/5 * * * *",
    async () => {
      await runSchedulerTick(deps, options).catch((error: unknown) =>
        deps.logger.error({ err: error }, "scheduler tick failed"),
      );
    },
    { name: "cobro-collections", noOverlap: true },
  );
  // A fresh instance starting after the hour catches up at once instead of waiting for the next tick.
  void runSchedulerTick(deps, options).catch((error: unknown) =>
    deps.logger.error({ err: error }, "scheduler tick failed"),
  );
  return { stop: async () => void (await task.stop()) };
}
