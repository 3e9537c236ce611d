// What the day's collection runs (the overdue scan, the reminder run) take and report alike.
import { z } from "zod";
import { isCalendarDate } from "./calendar.ts";

/** Invoices read and claimed per transaction: a run holds one page in memory, whatever the ledger's size. */
const DAILY_RUN_PAGE_SIZE = 1000;

export const DailyRunInput = z.object({
  /** Workspace-local date to run as; defaults to today in the workspace's time zone. */
  asOf: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD").optional(),
  /** Scheduled runs claim (workspace, job, date) so any number of instances produce one run. */
  claimRun: z.boolean().default(false),
  /** Everything is rolled back: the result says what the run would have claimed. */
  dryRun: z.boolean().default(false),
  pageSize: z.number().int().positive().default(DAILY_RUN_PAGE_SIZE),
});
export type DailyRunInput = z.input<typeof DailyRunInput>;

export type DailyRunOutcome = {
  runDate: string;
  /** false when another instance (or an earlier run) already claimed this day's run. */
  ran: boolean;
  dryRun: boolean;
};
