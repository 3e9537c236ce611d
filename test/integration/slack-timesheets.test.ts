// The approval flow over signed Slack requests, each message in its reader's language: a Spanish
// approver's request and its buttons, a French person's rejection DM, and forged button values.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries, members, timesheets } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { timesheetSlackHandlers } from "../../src/timesheets/index.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { backend } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { SLACK_API_URL } from "../helpers/slack-api.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

const slack = useSlackTestApp();
const { api } = slack;

/** Ada (French) submitted her week on ATLAS; Paula, its PM, reads Cobro in Spanish. */
async function submittedWeek() {
  const db = slack.database.db;
  const world = await timesheetWorld(db);
  await db.update(members).set({ language: "es" }).where(eq(members.id, world.approver.id));
  await db.update(members).set({ language: "fr" }).where(eq(members.id, world.ada.id));
  await logEntries(db, world.workspace.id, [entry(), entry({ workDate: "2026-11-17", minutes: 90 })]);
  const [sheet] = await db.select().from(timesheets).where(eq(timesheets.workspaceId, world.workspace.id));
  const submitted = await submitTimesheet(
    testCtx(
      {
        db,
        now: slack.app.now,
        logger: silentLogger,
        enqueue: async (ids) => void slack.app.enqueued.push(...ids),
      },
      world.workspace.id,
      world.actorOf(world.ada),
    ),
    { timesheetId: sheet!.id },
  );
  return { world, teamId: world.workspace.slackTeamId!, sheetId: sheet!.id, version: submitted.version };
}

/** Runs the timesheet DMs claimed so far, as the delivery worker would. */
async function deliverTimesheetDms() {
  const db = slack.database.db;
  const sender = createSlackSender({
    db,
    now: slack.app.now,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
    channelIntervalMs: 0,
  });
  const handler = byPayloadType(timesheetSlackHandlers(sender, serviceDeps(db, slack.app.now)));
  for (const id of slack.app.enqueued.splice(0)) {
    await runDelivery(db, { slack_dm: handler }, id, silentLogger);
  }
}

const dmTo = (userId: string | null) =>
  api.calls("chat.postMessage").filter((c) => c.body.channel === userId);
const lastHook = () => api.hooks().at(-1)?.body ?? {};

describe(`timesheet approval in Slack on ${backend()}`, () => {
  it("a Spanish approver gets the request in Spanish, with the week's days as a table, and approves it", async () => {
    const s = await submittedWeek();
    await deliverTimesheetDms();
    const [request] = dmTo(s.world.approver.slackUserId);
    expect(String(request?.body.text)).toMatch(
      /^Ada Lovelace ha enviado 2 h 30 en ATLAS para la semana del 16 nov 2026/,
    );
    const blocks = request?.body.blocks as { type: string; rows?: { text: string }[][] }[];
    const table = blocks.find((b) => b.type === "table");
    expect(table?.rows?.map((row) => row.map((c) => c.text))).toEqual([
      ["Día", "Horas"],
      ["lun, 16 nov", "1 h"],
      ["mar, 17 nov", "1 h 30"],
      ["Total", "2 h 30"],
    ]);
    expect(JSON.stringify(blocks)).toContain("Aprobar");

    const approve = JSON.stringify(blocks).match(/"action_id":"timesheet_approve","value":"([^"]+)"/)?.[1];
    await slack.app.action({
      teamId: s.teamId,
      userId: s.world.approver.slackUserId!,
      actionId: "timesheet_approve",
      value: approve!,
      channelId: `D${s.world.approver.slackUserId}`,
    });
    await api.waitFor("hook");
    expect(lastHook()).toMatchObject({ replace_original: true });
    expect(JSON.stringify(lastHook().blocks)).toContain(":white_check_mark: Aprobado por Paula PM");
    const [sheet] = await slack.database.db.select().from(timesheets).where(eq(timesheets.id, s.sheetId));
    expect(sheet?.status).toBe("approved");

    // A second click approves nothing more, and says so in Spanish.
    await slack.app.action({
      teamId: s.teamId,
      userId: s.world.approver.slackUserId!,
      actionId: "timesheet_approve",
      value: approve!,
    });
    await api.waitFor("hook", 2);
    expect(String(lastHook().text)).toMatch(/ya está aprobado: no se ha cambiado nada/);

    await deliverTimesheetDms();
    expect(String(dmTo(s.world.ada.slackUserId).at(-1)?.body.text)).toMatch(
      /^Votre feuille de temps sur ATLAS, semaine du 16 nov\. 2026, a été approuvée\.$/,
    );
  });

  it("the French person's rejection DM says why, in French, and the request shows the decision", async () => {
    const s = await submittedWeek();
    const value = `t:${s.sheetId}:${s.version}`;
    await slack.app.action({
      teamId: s.teamId,
      userId: s.world.approver.slackUserId!,
      actionId: "timesheet_reject",
      value,
      channelId: "DPAULA",
      messageTs: "1700000123.000100",
    });
    await api.waitFor("views.open");
    const modal = api.calls("views.open")[0]?.body.view as {
      title: { text: string };
      private_metadata: string;
    };
    expect(modal.title.text).toBe("Rechazar horas");

    const empty = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.world.approver.slackUserId!,
      callbackId: "timesheet_reject_submit",
      privateMetadata: modal.private_metadata,
      values: { reject_reason: { value: { type: "plain_text_input", value: "  " } } },
    });
    expect(empty.json()).toEqual({
      response_action: "errors",
      errors: { reject_reason: "Indica el motivo, para que puedan corregirlo." },
    });

    const reason = "El martes son 30 min de más";
    const submitted = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.world.approver.slackUserId!,
      callbackId: "timesheet_reject_submit",
      privateMetadata: modal.private_metadata,
      values: { reject_reason: { value: { type: "plain_text_input", value: reason } } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe("");
    await api.waitFor("chat.update");
    const update = api.calls("chat.update")[0]?.body;
    expect(update).toMatchObject({ channel: "DPAULA", ts: "1700000123.000100" });
    expect(JSON.stringify(update?.blocks)).toContain(`:x: Rechazado por Paula PM: ${reason}`);

    await deliverTimesheetDms();
    const dm = dmTo(s.world.ada.slackUserId).at(-1)?.body;
    expect(String(dm?.text)).toBe(
      `Votre feuille de temps sur ATLAS, semaine du 16 nov. 2026, a été refusée : ${reason}`,
    );
    expect(JSON.stringify(dm?.blocks)).toContain("Corrigez vos saisies avec `/cobro time`");
  });

  it("refuses a forged Approve: another workspace's timesheet, or garbage, changes nothing", async () => {
    const mine = await submittedWeek();
    const theirs = await submittedWeek();
    const approver = mine.world.approver.slackUserId!;
    await slack.app.action({
      teamId: mine.teamId,
      userId: approver,
      actionId: "timesheet_approve",
      value: `t:${theirs.sheetId}:${theirs.version}`,
    });
    await api.waitFor("hook");
    expect(String(lastHook().text)).toBe(
      ":warning: Cobro no tiene ese parte de horas en este espacio de trabajo (puede que se haya eliminado): usa la solicitud de aprobación más reciente o la pestaña Inicio.",
    );

    for (const [i, garbage] of ["t:not-a-uuid:1", `t:${mine.sheetId}:-1`, "i:whatever", ""].entries()) {
      await slack.app.action({
        teamId: mine.teamId,
        userId: approver,
        actionId: "timesheet_approve",
        value: garbage,
      });
      await api.waitFor("hook", i + 2);
      expect(String(lastHook().text)).toBe(
        "Este botón está desactualizado: abre la solicitud de aprobación más reciente (o la pestaña Inicio) y vuelve a intentarlo.",
      );
    }
    const sheets = await slack.database.db
      .select({ status: timesheets.status })
      .from(timesheets)
      .where(and(eq(timesheets.id, theirs.sheetId)));
    expect(sheets).toEqual([{ status: "submitted" }]);
    const [still] = await slack.database.db.select().from(timesheets).where(eq(timesheets.id, mine.sheetId));
    expect(still?.status).toBe("submitted");
    const decisions = (
      await slack.database.db
        .select()
        .from(deliveries)
        .where(eq(deliveries.workspaceId, mine.world.workspace.id))
    ).filter((d) => (d.payload as { type: string }).type === "timesheet_decision");
    expect(decisions).toEqual([]);
  });
});
