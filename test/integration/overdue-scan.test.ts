import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { OverdueDigestPayload } from "../../src/collections/collection-payloads.ts";
import { scanOverdue } from "../../src/collections/scan-overdue.ts";
import type { Db } from "../../src/db/client.ts";
import {
  deliveries,
  invoiceCollections,
  overdueDigestLines,
  scheduledRuns,
} from "../../src/db/schema/index.ts";
import { recordPost } from "../../src/delivery/index.ts";
import { notifyInvoiceEvent } from "../../src/invoicing/repo.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";

async function setup(timeZone = "Europe/Madrid") {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { timeZone });
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id, { collectorMemberId: collector.id });
  const project = await createProject(db, workspace.id, client.id, {
    pmMemberId: pm.id,
    slackChannelId: "CPROJECT",
  });
  return { db, workspace, collector, pm, client, project };
}

/** The invoice has a message in Slack whose thread named `actor` (who then follows it), or only Cobro. */
async function threadOf(db: Db, workspaceId: string, invoiceId: string, actor: string) {
  await recordPost(db, {
    workspaceId,
    subjectType: "invoice",
    subjectId: invoiceId,
    channelId: "CBILLING",
    ts: "1.0001",
  });
  const noteId = await notifyInvoiceEvent(db, { workspaceId, invoiceId, event: "issued", actor });
  await db.update(deliveries).set({ status: "sent" }).where(eq(deliveries.id, noteId!));
}

async function digestsOf(db: Awaited<ReturnType<typeof setup>>["db"], workspaceId: string) {
  // In the order claimed (PostgreSQL returns unordered rows in any order).
  const rows = await db
    .select()
    .from(deliveries)
    .where(eq(deliveries.workspaceId, workspaceId))
    .orderBy(asc(deliveries.createdAt));
  return {
    digests: rows.filter((r) => (r.payload as { type: string }).type === "overdue_digest"),
    events: rows.filter((r) => (r.payload as { type: string }).type === "invoice_event"),
  };
}

describe(`overdue scan on ${backend()}`, () => {
  it("turns each past-due invoice overdue once and alerts collector, PM, collections and project channel once", async () => {
    const { db, workspace, collector, pm, client, project } = await setup();
    const due = await createIssuedInvoice(db, workspace.id, client.id, {
      projectId: project.id,
      dueDate: "2026-11-20",
    });
    await createIssuedInvoice(db, workspace.id, client.id, { projectId: project.id, dueDate: "2026-11-23" });
    await createIssuedInvoice(db, workspace.id, client.id, {
      dueDate: "2026-11-01",
      openMinor: 0,
      status: "paid",
    });
    await threadOf(db, workspace.id, due.id, collector.id);
    const deps = serviceDeps(db, fixedClock("2026-11-23T08:00:00Z"));

    const first = await scanOverdue(testCtx(deps, workspace.id), { claimRun: true });
    const second = await scanOverdue(testCtx(deps, workspace.id), { claimRun: true });
    const manual = await scanOverdue(testCtx(deps, workspace.id), {});

    expect(first).toMatchObject({ ran: true, overdue: 1, runDate: "2026-11-23" });
    expect(second).toMatchObject({ ran: false, overdue: 0 });
    expect(manual).toMatchObject({ ran: true, overdue: 0, deliveriesClaimed: 0 });
    const { digests, events } = await digestsOf(db, workspace.id);
    const recipients = digests.map((d) => (d.payload as OverdueDigestPayload).channel).sort();
    expect(recipients).toEqual(["CCOLLECT", "CPROJECT", collector.slackUserId, pm.slackUserId].sort());
    expect(digests.every((d) => (d.payload as OverdueDigestPayload).invoiceIds.join() === due.id)).toBe(true);
    expect(events.map((e) => (e.payload as { event: string }).event)).toEqual(["issued", "overdue"]);
    events.shift();
    // The bulk-claimed thread note is the one notifyInvoiceEvent would claim: a second notify is a no-op.
    expect(events[0]!.payload).toEqual({
      type: "invoice_event",
      invoiceId: due.id,
      event: "overdue",
      actor: "system",
      detail: { dueDate: "2026-11-20", openMinor: 121000, currency: "EUR" },
    });
    expect(
      await notifyInvoiceEvent(db, { workspaceId: workspace.id, invoiceId: due.id, event: "overdue" }),
    ).toBeNull();
    expect(deps.enqueued).toHaveLength(5);
    const runs = await db.select().from(scheduledRuns).where(eq(scheduledRuns.workspaceId, workspace.id));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.finishedAt).not.toBeNull();
  });

  it("announces invoices that fall overdue after the day's scan in a later scan of that day", async () => {
    const { db, workspace, client, project } = await setup();
    const first = await createIssuedInvoice(db, workspace.id, client.id, {
      projectId: project.id,
      dueDate: "2026-11-20",
    });
    const deps = serviceDeps(db, fixedClock("2026-11-23T08:00:00Z"));
    await scanOverdue(testCtx(deps, workspace.id), { claimRun: true });
    // Imported in the afternoon, already past due: `cobro run overdue-scan` announces it.
    const late = await createIssuedInvoice(db, workspace.id, client.id, {
      projectId: project.id,
      dueDate: "2026-11-21",
    });
    const again = await scanOverdue(testCtx(deps, workspace.id), {});

    expect(again).toMatchObject({ ran: true, overdue: 1 });
    const listed = (await digestsOf(db, workspace.id)).digests.map(
      (d) => (d.payload as OverdueDigestPayload).invoiceIds,
    );
    // Collector, PM, #collections and the project channel, each once per scan.
    expect(listed.filter((ids) => ids.includes(late.id))).toHaveLength(4);
    expect(listed.filter((ids) => ids.includes(first.id))).toHaveLength(4);
    expect(listed.every((ids) => ids.length === 1)).toBe(true);
  });

  it("sends one digest per person and channel when 30 invoices go overdue at once", async () => {
    const { db, workspace, client, project } = await setup();
    const other = await createProject(db, workspace.id, client.id, { slackChannelId: "COTHER" });
    for (let i = 0; i < 30; i++) {
      await createIssuedInvoice(db, workspace.id, client.id, {
        projectId: i % 3 === 0 ? other.id : project.id,
        dueDate: "2026-11-10",
      });
    }
    const result = await scanOverdue(testCtx(serviceDeps(db), workspace.id), { claimRun: true });
    expect(result.overdue).toBe(30);
    const { digests, events } = await digestsOf(db, workspace.id);
    const byChannel = Object.fromEntries(
      digests.map((d) => [
        (d.payload as OverdueDigestPayload).channel,
        (d.payload as OverdueDigestPayload).invoiceIds.length,
      ]),
    );
    expect(digests).toHaveLength(5); // collector, PM, collections, two project channels
    expect(byChannel.CCOLLECT).toBe(30);
    expect(byChannel.COTHER).toBe(10);
    expect(byChannel.CPROJECT).toBe(20);
    expect(events).toHaveLength(0);
    expect(result).toMatchObject({ threadNotes: 0, notesFolded: 30 });
  });

  it("folds an invoice's overdue thread note into the digests that list it, unless someone follows its thread", async () => {
    const { db, workspace, collector, client, project } = await setup();
    const invoices = [];
    for (let i = 0; i < 40; i++) {
      invoices.push(
        await createIssuedInvoice(db, workspace.id, client.id, {
          projectId: project.id,
          dueDate: "2026-11-10",
        }),
      );
    }
    // Every invoice has its message in the billing channel; a person was named in two threads only.
    for (const [n, invoice] of invoices.entries()) {
      await threadOf(db, workspace.id, invoice.id, n === 3 || n === 17 ? collector.id : "system");
    }
    // An invoice that no digest lists (no collector, PM, project, nor collections channel) keeps
    // its note: it is its only notice.
    const lone = await createWorkspace(db, { collectionsChannelId: null });
    const loneClient = await createClient(db, lone.id);
    const unlisted = await createIssuedInvoice(db, lone.id, loneClient.id, { dueDate: "2026-11-10" });

    const result = await scanOverdue(testCtx(serviceDeps(db), workspace.id), { claimRun: true });
    const loneResult = await scanOverdue(testCtx(serviceDeps(db), lone.id), { claimRun: true });

    const overdueNotes = (await digestsOf(db, workspace.id)).events.filter(
      (e) => (e.payload as { event: string }).event === "overdue",
    );
    expect(overdueNotes.map((e) => e.invoiceId).sort()).toEqual([invoices[3]!.id, invoices[17]!.id].sort());
    expect(result).toMatchObject({ overdue: 40, threadNotes: 2, notesFolded: 38 });
    expect(loneResult).toMatchObject({ overdue: 1, digests: [], threadNotes: 1, notesFolded: 0 });
    const loneNotes = (await digestsOf(db, lone.id)).events.filter(
      (e) => (e.payload as { event: string }).event === "overdue",
    );
    expect(loneNotes.map((e) => e.invoiceId)).toEqual([unlisted.id]);
  });

  it("gives one digest to a person who is both collector and PM", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { collectionsChannelId: null });
    const both = await createMember(db, workspace.id);
    const client = await createClient(db, workspace.id, { collectorMemberId: both.id });
    const project = await createProject(db, workspace.id, client.id, { pmMemberId: both.id });
    await createIssuedInvoice(db, workspace.id, client.id, { projectId: project.id, dueDate: "2026-11-10" });
    await scanOverdue(testCtx(serviceDeps(db), workspace.id), {});
    const { digests } = await digestsOf(db, workspace.id);
    expect(digests).toHaveLength(1);
    expect((digests[0]!.payload as OverdueDigestPayload).recipient.roles).toEqual(["collector", "pm"]);
  });

  it("decides 'today' in the workspace time zone: due the 28th is overdue at 00:30 Madrid, not yet in UTC", async () => {
    const madrid = await setup("Europe/Madrid");
    const utc = await setup("UTC");
    for (const s of [madrid, utc])
      await createIssuedInvoice(s.db, s.workspace.id, s.client.id, { dueDate: "2026-03-28" });
    const clock = fixedClock("2026-03-28T23:30:00Z");
    expect((await scanOverdue(testCtx(serviceDeps(madrid.db, clock), madrid.workspace.id), {})).overdue).toBe(
      1,
    );
    expect((await scanOverdue(testCtx(serviceDeps(utc.db, clock), utc.workspace.id), {})).overdue).toBe(0);
    clock.set("2026-03-29T00:00:00Z");
    expect((await scanOverdue(testCtx(serviceDeps(utc.db, clock), utc.workspace.id), {})).runDate).toBe(
      "2026-03-29",
    );
  });

  it("a dry run reports without changing anything", async () => {
    const { db, workspace, client } = await setup();
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, { dueDate: "2026-11-10" });
    const dry = await scanOverdue(testCtx(serviceDeps(db), workspace.id), { dryRun: true, claimRun: true });
    expect(dry).toMatchObject({ ran: true, dryRun: true, overdue: 1 });
    const rows = await db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, invoice.id));
    expect(rows).toHaveLength(0);
    expect((await digestsOf(db, workspace.id)).digests).toHaveLength(0);
  });

  it("two instances scanning at the same moment produce one transition and one alert per recipient", async () => {
    const { db, workspace, collector, client, project } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        (
          await createIssuedInvoice(db, workspace.id, client.id, {
            projectId: project.id,
            dueDate: "2026-11-10",
          })
        ).id,
      );
      await threadOf(db, workspace.id, ids.at(-1)!, collector.id);
    }
    const other = secondConnection();
    try {
      const clock = fixedClock("2026-11-23T08:00:00Z");
      // Without the run claim too: the overdue transition alone must split the set.
      const results = await Promise.all([
        scanOverdue(testCtx(serviceDeps(db, clock), workspace.id), { claimRun: true }),
        scanOverdue(testCtx(serviceDeps(other?.db ?? db, clock), workspace.id), { claimRun: true }),
        scanOverdue(testCtx(serviceDeps(db, clock), workspace.id), {}),
        scanOverdue(testCtx(serviceDeps(other?.db ?? db, clock), workspace.id), {}),
      ]);
      expect(results.reduce((sum, r) => sum + r.overdue, 0)).toBe(20);
      const { digests, events } = await digestsOf(db, workspace.id);
      expect(events.filter((e) => (e.payload as { event: string }).event === "overdue")).toHaveLength(20);
      const perRecipient = new Map<string, string[]>();
      for (const d of digests) {
        const p = d.payload as OverdueDigestPayload;
        perRecipient.set(p.channel, [...(perRecipient.get(p.channel) ?? []), ...p.invoiceIds]);
      }
      for (const invoiceIds of perRecipient.values()) expect([...invoiceIds].sort()).toEqual([...ids].sort());
      const collections = await db
        .select()
        .from(invoiceCollections)
        .where(
          and(eq(invoiceCollections.workspaceId, workspace.id), inArray(invoiceCollections.invoiceId, ids)),
        );
      expect(collections.filter((c) => c.overdueAt)).toHaveLength(20);
    } finally {
      await other?.close();
    }
  });

  describe("in pages", () => {
    const INVOICES = 7;
    const PAGE = 3;
    async function pagedSetup() {
      const s = await setup();
      const ids: string[] = [];
      for (let i = 0; i < INVOICES; i++) {
        const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
          projectId: s.project.id,
          dueDate: "2026-11-10",
        });
        // Someone follows every thread: each page claims its thread notes (and hands them to the queue).
        await threadOf(s.db, s.workspace.id, invoice.id, s.collector.id);
        ids.push(invoice.id);
      }
      const lists = async () =>
        (await digestsOf(s.db, s.workspace.id)).digests.map((d) =>
          [...(d.payload as OverdueDigestPayload).invoiceIds].sort().join(),
        );
      return { ...s, ids: ids.sort(), lists };
    }

    it("over more invoices than one page, each recipient still gets one digest listing them all", async () => {
      const s = await pagedSetup();
      const result = await scanOverdue(testCtx(serviceDeps(s.db), s.workspace.id), { pageSize: PAGE });
      expect(result).toMatchObject({ overdue: INVOICES, threadNotes: INVOICES });
      expect(result.digests.map((d) => d.invoices)).toEqual([INVOICES, INVOICES, INVOICES, INVOICES]);
      expect(await s.lists()).toEqual(Array(4).fill(s.ids.join()));
      expect(await s.db.select().from(overdueDigestLines)).toHaveLength(0);
    });

    it("a scan that dies after its first page keeps it; the scan that takes over finishes, repeating nothing", async () => {
      const s = await pagedSetup();
      const clock = fixedClock("2026-11-23T08:00:00Z");
      const crashing = {
        ...serviceDeps(s.db, clock),
        enqueue: async () => {
          throw new Error("the process died");
        },
      };
      const input = { workspaceId: s.workspace.id, claimRun: true, pageSize: PAGE };
      await expect(scanOverdue(testCtx(crashing, input.workspaceId), input)).rejects.toThrow(
        "the process died",
      );
      const overdue = async () =>
        (
          await s.db
            .select()
            .from(invoiceCollections)
            .where(eq(invoiceCollections.workspaceId, s.workspace.id))
        ).filter((c) => c.overdueAt).length;
      expect(await overdue()).toBe(PAGE);
      expect(await s.lists()).toEqual([]);

      // While the dead scan's lease lasts, nobody else scans the day.
      expect(await scanOverdue(testCtx(serviceDeps(s.db, clock), input.workspaceId), input)).toMatchObject({
        ran: false,
        overdue: 0,
      });
      await s.db
        .update(scheduledRuns)
        .set({ startedAt: sql`now() - interval '11 minutes'` })
        .where(and(eq(scheduledRuns.workspaceId, s.workspace.id), eq(scheduledRuns.job, "overdue-scan")));

      const deps = serviceDeps(s.db, clock);
      expect(await scanOverdue(testCtx(deps, input.workspaceId), input)).toMatchObject({
        ran: true,
        overdue: INVOICES - PAGE,
      });
      expect(await overdue()).toBe(INVOICES);
      expect(await s.lists()).toEqual(Array(4).fill(s.ids.join()));
      const notes = (await digestsOf(s.db, s.workspace.id)).events.filter(
        (e) => (e.payload as { event: string }).event === "overdue",
      );
      expect(notes.map((n) => n.invoiceId).sort()).toEqual(s.ids);
      expect(await scanOverdue(testCtx(deps, input.workspaceId), input)).toMatchObject({
        ran: false,
        overdue: 0,
      });
      expect(await s.lists()).toEqual(Array(4).fill(s.ids.join()));
    });
  });
});
