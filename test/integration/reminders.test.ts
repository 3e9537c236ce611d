import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveFormalNotice } from "../../src/collections/approve-formal-notice.ts";
import { assignCollector } from "../../src/collections/assign-collector.ts";
import type { ReminderEmailPayload } from "../../src/collections/collection-payloads.ts";
import { disputeInvoice } from "../../src/collections/dispute-invoice.ts";
import { reminderEmailHandler } from "../../src/collections/jobs/send-reminder-email.ts";
import { pauseCollection } from "../../src/collections/pause-collection.ts";
import { promiseToPay } from "../../src/collections/promise-to-pay.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { sendReminderNow } from "../../src/collections/send-reminder-now.ts";
import { auditLog, clients, deliveries, lateInterestRates, reminders } from "../../src/db/schema/index.ts";
import { runDelivery } from "../../src/delivery/index.ts";
import { addDays } from "../../src/domain/calendar.ts";
import type { Actor } from "../../src/domain/permissions.ts";
import type { Role } from "../../src/domain/roles.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { upsertInterestRates } from "../../src/rates/repo.ts";
import { capturingMailer } from "../helpers/capturing-mailer.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";

async function setup(profile: "business" | "public" | "individual" = "business") {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { timeZone: "Europe/Paris", settings: { jurisdiction: "FR" } });
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id, { collectorMemberId: collector.id, profile });
  const project = await createProject(db, workspace.id, client.id, {
    pmMemberId: pm.id,
    slackChannelId: "CPROJ",
  });
  // business default policy: L1 due−3, L2 due+3, L3 +7, L4 call +7, L5 formal +10
  const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
    projectId: project.id,
    dueDate: "2026-11-20",
    totalMinor: 1_210_000,
    openMinor: 1_210_000,
  });
  const clock = fixedClock("2026-11-16T09:00:00Z");
  const deps = serviceDeps(db, clock);
  const run = (asOf: string) => {
    clock.set(`${asOf}T09:00:00Z`);
    return runReminders(testCtx(deps, workspace.id), { asOf });
  };
  const claimed = async (type: string) =>
    (await db.select().from(deliveries).where(eq(deliveries.invoiceId, invoice.id))).filter(
      (d) => (d.payload as { type: string }).type === type,
    );
  const levels = async () =>
    (await db.select().from(reminders).where(eq(reminders.invoiceId, invoice.id))).sort(
      (a, b) => a.level - b.level,
    );
  /** The client pays part of the invoice (in minor units) on a date. */
  const pay = (amountMinor: number, paidOn: string) =>
    recordPayment(testCtx(deps, workspace.id), { invoiceId: invoice.id, amountMinor, paidOn });
  /** The ctx of a member of this workspace clicking in Slack. */
  const as = (member: typeof collector) => {
    const slackUserId = member.slackUserId ?? "";
    const actor: Actor = { kind: "member", memberId: member.id, slackUserId, roles: member.roles as Role[] };
    return testCtx(deps, workspace.id, actor);
  };
  return {
    db,
    workspace,
    collector,
    pm,
    client,
    project,
    invoice,
    clock,
    deps,
    run,
    claimed,
    levels,
    pay,
    as,
  };
}

// The late-interest table is shared by every workspace: what a test here changes, it puts back.
let shippedRates: (typeof lateInterestRates.$inferSelect)[] = [];
beforeAll(async () => {
  shippedRates = await (await testDatabase()).db.select().from(lateInterestRates);
});
afterAll(async () => {
  const { db } = await testDatabase();
  await db.delete(lateInterestRates);
  await db.insert(lateInterestRates).values(shippedRates);
});

describe(`reminders on ${backend()}`, () => {
  it("warns the PM the day before, sends the next day once, whatever the number of runs", async () => {
    const s = await setup();
    expect(await s.run("2026-11-15")).toMatchObject({ headsUp: 0, sent: 0 });
    expect(await s.run("2026-11-16")).toMatchObject({ headsUp: 1, sent: 0 });
    expect(await s.run("2026-11-16")).toMatchObject({ headsUp: 0, sent: 0 });
    const headsUp = await s.claimed("reminder_heads_up");
    expect(headsUp).toHaveLength(1);
    expect(headsUp[0]!.payload).toMatchObject({
      channel: s.pm.slackUserId,
      sendOn: "2026-11-17",
      reminders: [{ invoiceId: s.invoice.id, level: 1 }],
    });
    expect(await s.run("2026-11-17")).toMatchObject({ sent: 1 });
    await s.run("2026-11-17");
    const emails = await s.claimed("reminder");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.kind).toBe("email");
    expect(emails[0]!.payload).toMatchObject({ level: 1, tone: "courteous", template: "due_soon" });
    expect((await s.levels()).map((r) => [r.level, r.status])).toEqual([[1, "sent"]]);
  });

  it("a payment that clears the balance between the heads-up and the send stops the reminder", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    await s.pay(1_000_000, "2026-11-16");
    await s.pay(210_000, "2026-11-16");
    expect(await s.run("2026-11-17")).toMatchObject({ sent: 0 });
    expect(await s.claimed("reminder")).toHaveLength(0);
  });

  it("a partial payment that leaves something open still sends, stating the new open amount", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    await s.pay(1_000_000, "2026-11-16");
    expect(await s.run("2026-11-17")).toMatchObject({ sent: 1 });
    expect((await s.levels())[0]).toMatchObject({ status: "sent", openMinorAtSend: 210_000 });
  });

  it("a broken promise to pay resumes reminders and alerts the collector, PM and channel", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    await s.run("2026-11-17"); // L1 sent
    s.clock.set("2026-11-21T09:00:00Z");
    const promise = { invoiceId: s.invoice.id, promisedOn: "2026-11-25" };
    const { number } = s.invoice;
    expect(await promiseToPay(s.as(s.collector), promise)).toEqual({
      alreadyDone: false,
      promisedOn: "2026-11-25",
      number,
    });
    expect(await promiseToPay(s.as(s.collector), promise)).toEqual({
      alreadyDone: true,
      promisedOn: "2026-11-25",
      number,
    });
    for (const day of ["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"]) {
      expect(await s.run(day)).toMatchObject({ headsUp: 0, sent: 0 });
    }
    expect(await s.run("2026-11-26")).toMatchObject({ brokenPromises: 1, headsUp: 1 });
    expect(await s.run("2026-11-26")).toMatchObject({ brokenPromises: 0, headsUp: 0 });
    const alerts = await s.claimed("promise_broken");
    expect(alerts.map((a) => (a.payload as { channel: string }).channel).sort()).toEqual(
      [s.collector.slackUserId, s.pm.slackUserId, "CCOLLECT"].sort(),
    );
    expect(await s.run("2026-11-27")).toMatchObject({ sent: 1 });
  });

  it("dispute stops everything and tells the PM once, even on a double click", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    const dispute = { invoiceId: s.invoice.id, reason: "Wrong hours" };
    const [a, b] = await Promise.all([
      disputeInvoice(s.as(s.collector), dispute),
      disputeInvoice(s.as(s.collector), dispute),
    ]);
    expect([a.alreadyDone, b.alreadyDone].sort()).toEqual([false, true]);
    for (let day = "2026-11-17"; day <= "2027-01-31"; day = addDays(day, 1)) await s.run(day);
    expect(await s.claimed("reminder")).toHaveLength(0);
    expect(await s.claimed("dispute_notice")).toHaveLength(1);
    await expect(
      sendReminderNow(testCtx(s.deps, s.workspace.id), { invoiceId: s.invoice.id }),
    ).rejects.toThrow(/disputed/);
    const audits = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.invoice.id), eq(auditLog.action, "collection.disputed")));
    expect(audits).toHaveLength(1);
  });

  it("pause stops reminders until the date, then they resume", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    await pauseCollection(s.as(s.pm), {
      invoiceId: s.invoice.id,
      until: "2026-11-30",
      reason: "client changing ERP",
    });
    for (let day = "2026-11-17"; day <= "2026-11-30"; day = addDays(day, 1)) await s.run(day);
    expect(await s.claimed("reminder")).toHaveLength(0);
    expect(await s.run("2026-12-01")).toMatchObject({ sent: 1 });
  });

  it("the formal notice never goes before three reminders nor without the click, and states interest and €40", async () => {
    const s = await setup();
    await upsertInterestRates(s.db, [
      {
        jurisdiction: "FR",
        halfYearStart: "2026-07-01",
        referenceRateBp: 215,
        totalRateBp: 1215,
        source: "test",
      },
      {
        jurisdiction: "FR",
        halfYearStart: "2027-01-01",
        referenceRateBp: 215,
        totalRateBp: 1215,
        source: "test",
      },
    ]);
    const approve = () => approveFormalNotice(s.as(s.collector), { invoiceId: s.invoice.id });
    s.clock.set("2026-11-25T09:00:00Z");
    await expect(approve()).rejects.toThrow(/formal notice/i);
    let awaitingOn = "";
    for (let day = "2026-11-16"; day <= "2027-01-03"; day = addDays(day, 1)) {
      const result = await s.run(day);
      if (result.awaitingApproval) awaitingOn = day;
    }
    const sentLevels = (await s.levels()).filter((r) => r.status === "sent").map((r) => r.level);
    expect(sentLevels).toEqual([1, 2, 3, 4]);
    expect((await s.levels())[4]).toMatchObject({ level: 5, status: "awaiting_approval" });
    expect(await s.claimed("formal_notice_approval")).toHaveLength(1);
    const emailedLevels = (await s.claimed("reminder")).map((d) => (d.payload as ReminderEmailPayload).level);
    expect(emailedLevels.sort()).toEqual([1, 2, 3]);
    expect(await s.claimed("collection_task")).toHaveLength(1);
    await expect(
      sendReminderNow(testCtx(s.deps, s.workspace.id), { invoiceId: s.invoice.id }),
    ).rejects.toThrow(/needs approval/);
    expect(awaitingOn).not.toBe("");
    s.clock.set("2027-01-04T09:00:00Z");
    await expect(approveFormalNotice(s.as(s.pm), { invoiceId: s.invoice.id })).rejects.toThrow(
      /collector, billing or admin/,
    );
    const [first, second] = await Promise.all([approve(), approve()]);
    expect([first.sent, second.sent].sort()).toEqual([false, true]);
    const formal = (await s.claimed("reminder")).find((d) => (d.payload as ReminderEmailPayload).level === 5);
    const interest = (formal!.payload as ReminderEmailPayload).interest!;
    // 12,100 € × 12.15 % × 45 days (21 Nov 2026 – 4 Jan 2027) / 365 = 181.2514 → 181.25
    expect(interest).toMatchObject({
      interestMinor: 18125,
      compensationMinor: 4000,
      currency: "EUR",
      asOf: "2027-01-04",
    });
  });

  it("a French public body's formal notice claims intérêts moratoires under the public procurement code, a business's under L441-10", async () => {
    const formalNoticeOf = async (profile: "business" | "public") => {
      const s = await setup(profile);
      await s.db.update(clients).set({ language: "fr" }).where(eq(clients.id, s.client.id));
      let day = "2026-11-16";
      while (!(await s.run(day)).awaitingApproval) day = addDays(day, 1);
      s.clock.set(`${day}T09:00:00Z`);
      await approveFormalNotice(s.as(s.collector), { invoiceId: s.invoice.id });
      const formal = (await s.claimed("reminder")).find(
        (d) => (d.payload as ReminderEmailPayload).tone === "formal",
      );
      const { sent, mailer } = capturingMailer();
      const handler = reminderEmailHandler({
        db: s.db,
        now: s.clock,
        mailer,
        mailFrom: "billing@cobro.test",
      });
      await runDelivery(s.db, { email: handler }, formal!.id, silentLogger);
      return sent[0]!.text;
    };
    const publicNotice = await formalNoticeOf("public");
    expect(publicNotice).toContain(
      "Conformément aux articles L2192-13 et R2192-31 du Code de la commande publique, des intérêts moratoires de",
    );
    expect(publicNotice).toMatch(
      /l'indemnité forfaitaire pour frais de recouvrement de 40,00\s€ \(art\. D2192-35\)/,
    );
    expect(publicNotice).not.toContain("L441-10");
    expect(publicNotice).toContain(", échue le 20/11/2026,");
    expect(await formalNoticeOf("business")).toContain(
      "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard de",
    );
  });

  it("a formal notice whose half-year has no rate says which one is missing, for the reader's language", async () => {
    const s = await setup();
    await s.db.delete(lateInterestRates).where(eq(lateInterestRates.jurisdiction, "FR"));
    let day = "2026-11-16";
    while (!(await s.run(day)).awaitingApproval) day = addDays(day, 1);
    const [approval] = await s.claimed("formal_notice_approval");
    expect((approval!.payload as { interest: unknown }).interest).toMatchObject({
      problem: expect.stringMatching(/^No late-interest rate for FR 2026 H2/),
      missingRate: { jurisdiction: "FR", year: "2026", half: 2 },
    });
  });

  it("send reminder now counts as the level, so the scheduled run does not send it again; assign to me is idempotent", async () => {
    const s = await setup();
    s.clock.set("2026-11-16T09:00:00Z");
    const now = { invoiceId: s.invoice.id, expectedLevel: 0 };
    expect(await sendReminderNow(testCtx(s.deps, s.workspace.id), now)).toEqual({
      alreadyDone: false,
      level: 1,
    });
    expect(await sendReminderNow(testCtx(s.deps, s.workspace.id), now)).toEqual({
      alreadyDone: true,
      level: 1,
    });
    await s.run("2026-11-16");
    await s.run("2026-11-17");
    expect(await s.claimed("reminder")).toHaveLength(1);
    const me = { invoiceId: s.invoice.id, memberId: s.pm.id };
    expect(await assignCollector(testCtx(s.deps, s.workspace.id), me)).toEqual({ alreadyDone: false });
    expect(await assignCollector(testCtx(s.deps, s.workspace.id), me)).toEqual({ alreadyDone: true });
  });
});
