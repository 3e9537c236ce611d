// Slack answering 429 and 500 for ten minutes, SendGrid down for an hour: every alert and reminder
// is delivered once they recover, none twice. A fake clock drives the delivery worker (runDelivery).
import { eq, inArray } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { reminderEmailHandler } from "../../src/collections/jobs/send-reminder-email.ts";
import { collectionsSlackHandlers } from "../../src/collections/jobs/slack-collections.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { scanOverdue } from "../../src/collections/scan-overdue.ts";
import type { Db } from "../../src/db/client.ts";
import { deliveries } from "../../src/db/schema/index.ts";
import type { MailMessage } from "../../src/delivery/email/mailer.ts";
import {
  byPayloadType,
  createSlackSender,
  type DeliveryHandlers,
  fixedBotToken,
  runDelivery,
} from "../../src/delivery/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
const SENDGRID = "https://sendgrid.test/v3/mail/send";

beforeEach(() => api.reset());
afterAll(() => api.reset());

/** Runs deliveries like the pg-boss worker: retry-later waits its seconds, unexpected errors back off. */
async function drain(
  db: Db,
  handlers: DeliveryHandlers,
  ids: string[],
  clock: ReturnType<typeof fixedClock>,
) {
  const due = new Map(ids.map((id) => [id, clock().getTime()]));
  const failures = new Map<string, number>();
  let rounds = 0;
  while (due.size > 0) {
    if (++rounds > 5000) throw new Error("deliveries never settled");
    const [id, at] = [...due.entries()].sort((a, b) => a[1] - b[1])[0]!;
    if (at > clock().getTime()) clock.set(new Date(at).toISOString());
    due.delete(id);
    try {
      const outcome = await runDelivery(db, handlers, id, silentLogger);
      if (outcome.status === "retryLater") due.set(id, clock().getTime() + outcome.seconds * 1000);
    } catch {
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      // pg-boss: retryDelay 15 s with backoff
      due.set(id, clock().getTime() + Math.min(15 * 2 ** (n - 1), 600) * 1000);
    }
  }
}

async function setup(db: Db) {
  const workspace = await createWorkspace(db, {
    timeZone: "Europe/Madrid",
    settings: { jurisdiction: "ES" },
  });
  const collector = await createMember(db, workspace.id);
  const pm = await createMember(db, workspace.id);
  const clients = [
    await createClient(db, workspace.id, { collectorMemberId: collector.id }),
    await createClient(db, workspace.id, { collectorMemberId: collector.id }),
  ];
  const projects = [
    await createProject(db, workspace.id, clients[0]!.id, { pmMemberId: pm.id, slackChannelId: "CPROJA" }),
    await createProject(db, workspace.id, clients[1]!.id, { pmMemberId: pm.id, slackChannelId: "CPROJB" }),
  ];
  return { workspace, collector, pm, clients, projects };
}

describe(`collections deliveries through outages on ${backend()}`, () => {
  it("Slack answering 429 then 500 for ten minutes: every digest posted exactly once afterwards", async () => {
    const { db } = await testDatabase();
    const s = await setup(db);
    for (let i = 0; i < 12; i++) {
      await createIssuedInvoice(db, s.workspace.id, s.clients[i % 2]!.id, {
        projectId: s.projects[i % 2]!.id,
        dueDate: "2026-11-10",
      });
    }
    const clock = fixedClock("2026-11-23T07:00:00Z");
    const deps = serviceDeps(db, clock);
    await scanOverdue(testCtx(deps, s.workspace.id), { claimRun: true });
    const digestIds = (await db.select().from(deliveries).where(eq(deliveries.workspaceId, s.workspace.id)))
      .filter((d) => (d.payload as { type: string }).type === "overdue_digest")
      .map((d) => d.id);
    expect(digestIds).toHaveLength(5); // collector, PM, collections, two project channels

    const outageEnds = clock().getTime() + 10 * 60_000;
    const posted: string[] = [];
    let refused = 0;
    api.respond("chat.postMessage", (call) => {
      const now = clock().getTime();
      if (now < outageEnds) {
        refused++;
        return refused % 2 === 0
          ? api.rateLimited(30)
          : HttpResponse.json({ ok: false, error: "internal_error" }, { status: 500 });
      }
      posted.push(String(call.body.channel));
      return { ok: true, channel: call.body.channel, ts: `${posted.length}.0001` };
    });
    const sender = createSlackSender({
      db,
      now: clock,
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
    });
    const slack = byPayloadType(collectionsSlackHandlers(sender, db, clock));
    await drain(db, { slack_message: slack, slack_dm: slack }, digestIds, clock);

    expect(refused).toBeGreaterThan(5);
    expect(clock().getTime()).toBeGreaterThanOrEqual(outageEnds);
    expect(posted.sort()).toEqual(
      ["CCOLLECT", "CPROJA", "CPROJB", s.collector.slackUserId, s.pm.slackUserId].sort(),
    );
    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, digestIds));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const digest = api
      .calls("chat.postMessage")
      .filter((c) => c.body.channel === "CCOLLECT")
      .at(-1);
    expect(JSON.stringify(digest?.body.blocks)).toContain("12 invoices went overdue");
  }, 120_000);

  it("SendGrid down for an hour: every reminder e-mail goes once it is back, none twice", async () => {
    const { db } = await testDatabase();
    const s = await setup(db);
    for (let i = 0; i < 4; i++) {
      await createIssuedInvoice(db, s.workspace.id, s.clients[i % 2]!.id, { dueDate: "2026-11-26" });
    }
    const clock = fixedClock("2026-11-22T08:00:00Z");
    const deps = serviceDeps(db, clock);
    await runReminders(testCtx(deps, s.workspace.id), { asOf: "2026-11-22" }); // heads-up for L1 (due − 3)
    clock.set("2026-11-23T08:00:00Z");
    await runReminders(testCtx(deps, s.workspace.id), { asOf: "2026-11-23" });
    const emailIds = (await db.select().from(deliveries).where(eq(deliveries.workspaceId, s.workspace.id)))
      .filter((d) => d.kind === "email")
      .map((d) => d.id);
    expect(emailIds).toHaveLength(4);

    const backAt = clock().getTime() + 60 * 60_000;
    const accepted: string[] = [];
    let refused = 0;
    api.server.use(
      http.post(SENDGRID, async ({ request }) => {
        if (clock().getTime() < backAt) {
          refused++;
          return HttpResponse.json({ errors: [{ message: "Service Unavailable" }] }, { status: 503 });
        }
        const body = (await request.json()) as { to: string[]; subject: string };
        accepted.push(`${body.to.join()}|${body.subject}`);
        return new HttpResponse(null, { status: 202, headers: { "x-message-id": `m${accepted.length}` } });
      }),
    );
    const mailer = {
      send: async (mail: MailMessage) => {
        const response = await fetch(SENDGRID, { method: "POST", body: JSON.stringify(mail) });
        if (!response.ok)
          throw Object.assign(new Error(`SendGrid ${response.status}`), { code: response.status });
        return { provider: "sendgrid" as const, messageId: response.headers.get("x-message-id") };
      },
    };
    await drain(
      db,
      { email: reminderEmailHandler({ db, now: clock, mailer, mailFrom: "billing@cobro.test" }) },
      emailIds,
      clock,
    );

    expect(refused).toBeGreaterThan(4);
    expect(accepted).toHaveLength(4);
    expect(new Set(accepted).size).toBe(4);
    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, emailIds));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  }, 120_000);

  it("a refused address fails the reminder for good with a reason, instead of retrying forever", async () => {
    const { db } = await testDatabase();
    const s = await setup(db);
    await createIssuedInvoice(db, s.workspace.id, s.clients[0]!.id, { dueDate: "2026-11-26" });
    const clock = fixedClock("2026-11-22T08:00:00Z");
    await runReminders(testCtx(serviceDeps(db, clock), s.workspace.id), { asOf: "2026-11-22" });
    await runReminders(testCtx(serviceDeps(db, clock), s.workspace.id), { asOf: "2026-11-23" });
    const [email] = (
      await db.select().from(deliveries).where(eq(deliveries.workspaceId, s.workspace.id))
    ).filter((d) => d.kind === "email");
    const mailer = {
      send: async () => {
        throw Object.assign(new Error("Bad Request"), { code: 400 });
      },
    };
    const outcome = await runDelivery(
      db,
      { email: reminderEmailHandler({ db, now: clock, mailer, mailFrom: "billing@cobro.test" }) },
      email!.id,
      silentLogger,
    );
    expect(outcome.status).toBe("failed");
    expect(email!.payload).toMatchObject({ type: "reminder", level: 1 });
  });
});
