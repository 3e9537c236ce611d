import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { deliveries, scheduledRuns } from "../../src/db/schema/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";

const INVOICES = 7;
const PAGE = 3;

/** Seven invoices due 2026-11-20: the business policy's first level (due − 3) is heard of on the 16th. */
async function setup() {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { timeZone: "Europe/Paris", settings: { jurisdiction: "FR" } });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id);
  const project = await createProject(db, workspace.id, client.id, {
    pmMemberId: pm.id,
    slackChannelId: "CPAGE",
  });
  const invoices = [];
  for (let n = 0; n < INVOICES; n++) {
    invoices.push(
      await createIssuedInvoice(db, workspace.id, client.id, {
        projectId: project.id,
        dueDate: "2026-11-20",
        totalMinor: 100_000,
        openMinor: 100_000,
      }),
    );
  }
  const deps = serviceDeps(db, fixedClock("2026-11-16T09:00:00Z"));
  const headsUps = async () =>
    (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id)))
      .filter((d) => (d.payload as { type: string }).type === "reminder_heads_up")
      .map((d) => d.invoiceId)
      .sort();
  const ids = invoices.map((i) => i.id).sort();
  return { db, workspace, deps, headsUps, ids };
}

describe(`the reminder run in pages on ${backend()}`, () => {
  it("over more invoices than one page, warns about each invoice once; a second run claims nothing new", async () => {
    const s = await setup();
    const run = () =>
      runReminders(s.deps, { workspaceId: s.workspace.id, asOf: "2026-11-16", pageSize: PAGE });
    expect(await run()).toMatchObject({ ran: true, headsUp: INVOICES });
    expect(await s.headsUps()).toEqual(s.ids);
    expect(new Set(s.deps.enqueued).size).toBe(INVOICES);
    expect(await run()).toMatchObject({ ran: true, headsUp: 0 });
    expect(await s.headsUps()).toEqual(s.ids);
    expect(s.deps.enqueued).toHaveLength(INVOICES);
  });

  it("a run that dies after its first page keeps that page; the run that takes over finishes the rest, repeating nothing", async () => {
    const s = await setup();
    const crashing = {
      ...s.deps,
      enqueue: async () => {
        throw new Error("the process died");
      },
    };
    const input = { workspaceId: s.workspace.id, asOf: "2026-11-16", claimRun: true, pageSize: PAGE };
    await expect(runReminders(crashing, input)).rejects.toThrow("the process died");
    expect(await s.headsUps()).toHaveLength(PAGE);

    // While the dead run's lease lasts, nobody else runs the day.
    expect(await runReminders(s.deps, input)).toMatchObject({ ran: false, headsUp: 0 });
    await s.db
      .update(scheduledRuns)
      .set({ startedAt: sql`now() - interval '11 minutes'` })
      .where(and(eq(scheduledRuns.workspaceId, s.workspace.id), eq(scheduledRuns.job, "reminders")));

    expect(await runReminders(s.deps, input)).toMatchObject({ ran: true, headsUp: INVOICES - PAGE });
    expect(await s.headsUps()).toEqual(s.ids);
    expect(await runReminders(s.deps, input)).toMatchObject({ ran: false, headsUp: 0 });
    expect(await s.headsUps()).toEqual(s.ids);
  });
});
