import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { loadHome } from "../../src/home/load-home.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { verifactuSlackHandlers } from "../../src/invoicing/verifactu/jobs/slack-verifactu-warning.ts";
import { sendVerifactuRecords } from "../../src/invoicing/verifactu/send-verifactu-records.ts";
import { warnVerifactuBacklog } from "../../src/invoicing/verifactu/warn-verifactu-backlog.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { acceptAllAnswer, refuseAllAnswer } from "../helpers/aeat-stand-in.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";
import { issueSpanishRecords } from "../helpers/verifactu.ts";

const api = slackApi();

type TestDb = Awaited<ReturnType<typeof testDatabase>>["db"];

function warningsOf(db: TestDb, workspaceId: string) {
  return db
    .select()
    .from(deliveries)
    .where(
      and(eq(deliveries.workspaceId, workspaceId), sql`${deliveries.dedupeKey} like 'verifactu-warning:%'`),
    );
}

/** Delivers a claimed warning to the Slack stand-in, as the worker does. */
function postWarning(db: TestDb, clock: ReturnType<typeof fixedClock>, deliveryId: string) {
  const sender = createSlackSender({
    db,
    now: clock,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
  });
  const handlers = { slack_message: byPayloadType(verifactuSlackHandlers(sender, db, clock)) };
  return runDelivery(db, handlers, deliveryId, silentLogger);
}

describe(`VERI*FACTU warning until records are sent, on ${backend()}`, () => {
  beforeEach(() => api.reset());

  it("the scheduler claims the warning on its own once the workspace's scan hour has come", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { timeZone: "Europe/Madrid" });
    const clock = fixedClock("2026-11-23T09:00:00Z"); // 10:00 in Madrid
    const deps = serviceDeps(db, clock);
    await issueSpanishRecords(db, workspace, 2, clock());
    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    const claimed = await db
      .select({ dedupeKey: deliveries.dedupeKey })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.workspaceId, workspace.id),
          sql`${deliveries.dedupeKey} like 'verifactu-warning:%'`,
        ),
      );
    expect(claimed).toEqual([{ dedupeKey: "verifactu-warning:2026-11-23" }]);
  });

  it("posts the count of unsent records in the billing channel once a day, shows it to admins on the App Home, and stops when they are sent", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const clock = fixedClock("2026-11-23T09:00:00Z");
    const deps = serviceDeps(db, clock);
    await issueSpanishRecords(db, workspace, 3, clock());
    const homeText = async (roles: ("admin" | "billing")[]) => {
      const data = await loadHome(
        testCtx(deps, workspace.id, { kind: "member", memberId: randomUUID(), slackUserId: "U1", roles }),
        {},
      );
      return JSON.stringify(buildHomeView({ ...data, roles, isAdmin: roles.includes("admin") }).blocks);
    };

    // Twice the same day (two instances, two checks): one warning.
    const [first, second] = await Promise.all([
      warnVerifactuBacklog(testCtx(deps, workspace.id), {}),
      warnVerifactuBacklog(testCtx(deps, workspace.id), {}),
    ]);
    expect([first.claimed, second.claimed].sort()).toEqual([false, true]);
    const claimed = await warningsOf(db, workspace.id);
    expect(claimed.map((d) => d.dedupeKey)).toEqual(["verifactu-warning:2026-11-23"]);
    expect(await postWarning(db, clock, claimed[0]!.id)).toEqual({ status: "sent" });
    const [post] = api.calls("chat.postMessage");
    expect(post?.body.channel).toBe("CBILLING");
    expect(post?.body.text).toBe(
      "VERI*FACTU needs attention: 3 VERI*FACTU records are not sent to the AEAT: no certificate is imported (`cobro verifactu cert import FILE --password …`).",
    );
    expect(await homeText(["admin"])).toContain("VERI*FACTU needs attention");
    expect(await homeText(["billing"])).not.toContain("VERI*FACTU");

    // The next day it is still so: the warning again.
    clock.set("2026-11-24T09:00:00Z");
    expect((await warnVerifactuBacklog(testCtx(deps, workspace.id), {})).claimed).toBe(true);

    // Sent and accepted: no warning any more, nowhere.
    const outcome = await sendVerifactuRecords(
      {
        ...testCtx(deps, workspace.id),
        aeatFor: async () => async (envelope) => ({ status: 200, body: acceptAllAnswer(envelope) }),
        system: { version: "0.1.0" },
        instanceId: "test",
      },
      { issuerNif: "B12345678" },
    );
    expect(outcome).toMatchObject({ status: "sent", accepted: 3 });
    clock.set("2026-11-25T09:00:00Z");
    expect(await warnVerifactuBacklog(testCtx(deps, workspace.id), {})).toEqual({
      claimed: false,
      warnings: [],
    });
    expect(await homeText(["admin"])).not.toContain("VERI*FACTU");
  });
  it("says it in the workspace's language: a Spanish team reads the AEAT's refusal and what to do in Spanish", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { locale: "es" });
    const clock = fixedClock("2026-11-23T09:00:00Z");
    const deps = serviceDeps(db, clock);
    await issueSpanishRecords(db, workspace, 2, clock());
    const outcome = await sendVerifactuRecords(
      {
        ...testCtx(deps, workspace.id),
        aeatFor: async () => async (envelope) => ({
          status: 200,
          body: refuseAllAnswer(envelope, "1189", "El bloque FacturasRectificadas es obligatorio."),
        }),
        system: { version: "0.1.0" },
        instanceId: "test",
      },
      { issuerNif: "B12345678" },
    );
    expect(outcome).toMatchObject({ status: "sent", rejected: 2 });
    expect((await warnVerifactuBacklog(testCtx(deps, workspace.id), {})).claimed).toBe(true);
    const [claimed] = await warningsOf(db, workspace.id);
    expect(await postWarning(db, clock, claimed!.id)).toEqual({ status: "sent" });
    const [post] = api.calls("chat.postMessage");
    expect(post?.body.text).toMatch(
      /^VERI\*FACTU requiere atención: La AEAT ha rechazado 2 registros y ha aceptado 0 registros con errores: \S+ \(1189 El bloque FacturasRectificadas es obligatorio\.\);/,
    );
    expect(post?.body.text).toContain("Corrige la causa y después `cobro verifactu correct NÚMERO`");
    expect(JSON.stringify(post?.body.blocks)).toContain("Se repite cada día hasta que se resuelva.");
    expect(JSON.stringify(post?.body.blocks)).not.toContain("refused");
  });
});
