// Timesheets in the reader's language over signed Slack requests: why Approve all (App Home) left
// some timesheets out, and what is wrong with a `/cobro time` entry, beside each field.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { timeEntries, timesheets } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

const slack = useSlackTestApp();
const { api } = slack;

const SPEAKERS = [
  {
    locale: "es-ES",
    approved: [
      "1 parte de horas aprobado. 2 omitidos (",
      "reenviado desde entonces: revísalo de nuevo",
      "ya aprobado",
    ],
    hours: "Las horas no son una duración: escríbelas como 7,5 o 7:30, o 07:30:00.",
    project: "Ningún proyecto tiene el código «NOPE».",
    locked: "El parte de horas de esa semana ya está enviado: no admite más horas.",
  },
  {
    locale: "fr-FR",
    approved: [
      "1 feuille de temps approuvée. 2 ignorées (",
      "soumise à nouveau entre-temps : revoyez-la",
      "déjà approuvée",
    ],
    hours: "Les heures ne sont pas une durée : écrivez-les comme 7,5 ou 7:30, ou 07:30:00.",
    project: "Aucun projet n’a le code « NOPE ».",
    locked: "La feuille de temps de cette semaine est déjà soumise : on ne peut plus y ajouter de temps.",
  },
  {
    locale: "en-US",
    approved: ["1 timesheet approved. 2 skipped (", "resubmitted since; look again", "already approved"],
    hours: "Hours is not a duration: write hours like 7.5 or 7:30, or 07:30:00.",
    project: 'No project has the code "NOPE".',
    locked: "The timesheet of that week is submitted: no new time can be added to it.",
  },
] as const;

const fields = (project: string, date: string, hours: string) => ({
  time_project: { value: { type: "static_select", selected_option: { value: project } } },
  time_date: { value: { type: "datepicker", selected_date: date } },
  time_hours: { value: { type: "plain_text_input", value: hours } },
  time_description: { value: { type: "plain_text_input", value: "Workshop" } },
  time_submit_week: { value: { type: "checkboxes", selected_options: [] } },
});

/** Ada's, Grace's and Otto's weeks on ATLAS, submitted to Paula (its PM); everyone speaks `locale`. */
async function submittedWeeks(locale: string) {
  const db = slack.database.db;
  const world = await timesheetWorld(db);
  for (const m of [world.approver, world.ada, world.grace, world.outsider])
    api.slackUser(m.slackUserId!, { locale });
  await logEntries(db, world.workspace.id, [
    entry(),
    entry({ personEmail: "grace@acme.example", personName: "Grace Hopper" }),
    entry({ personEmail: "otto@acme.example", personName: "Otto Other" }),
  ]);
  await db
    .update(timesheets)
    .set({ status: "submitted", submittedAt: sql`now()` })
    .where(eq(timesheets.workspaceId, world.workspace.id));
  const sheetOf = async (email: string) =>
    (
      await db
        .select()
        .from(timesheets)
        .where(and(eq(timesheets.workspaceId, world.workspace.id), eq(timesheets.personEmail, email)))
    )[0]!;
  return { db, world, teamId: world.workspace.slackTeamId!, sheetOf };
}

describe(`timesheets in the reader's language on ${backend()}`, () => {
  it.each(SPEAKERS)(
    "Approve all tells a $locale approver why the others were skipped, in their language",
    async (speaker) => {
      const s = await submittedWeeks(speaker.locale);
      const approver = s.world.approver.slackUserId!;
      await slack.app.event({
        teamId: s.teamId,
        event: { type: "app_home_opened", user: approver, tab: "home" },
      });
      await api.waitFor("views.publish");
      const home = JSON.stringify(api.calls("views.publish")[0]?.body.view);
      const all = home.match(/"action_id":"timesheet_approve_all","value":"([^"]+)"/)?.[1];
      expect(all?.split(",")).toHaveLength(3);

      // Meanwhile Grace resubmitted (a new version) and someone approved Otto's week.
      const grace = await s.sheetOf("grace@acme.example");
      await s.db
        .update(timesheets)
        .set({ version: grace.version + 1 })
        .where(eq(timesheets.id, grace.id));
      const otto = await s.sheetOf("otto@acme.example");
      await s.db.update(timesheets).set({ status: "approved" }).where(eq(timesheets.id, otto.id));

      await slack.app.action({
        teamId: s.teamId,
        userId: approver,
        actionId: "timesheet_approve_all",
        value: all!,
        container: "view",
      });
      await api.waitFor("chat.postMessage");
      const said = String(api.calls("chat.postMessage").find((c) => c.body.channel === approver)?.body.text);
      for (const words of speaker.approved) expect(said).toContain(words);
      expect((await s.sheetOf("ada@acme.example")).status).toBe("approved");
    },
  );

  it.each(SPEAKERS)(
    "/cobro time says what is wrong beside each field, in a $locale person's language",
    async (speaker) => {
      const s = await submittedWeeks(speaker.locale);
      const ada = s.world.ada.slackUserId!;
      await slack.app.command({ teamId: s.teamId, userId: ada, command: "/cobro", text: "time" });
      await api.waitFor("views.update");
      const submit = async (project: string, date: string, hours: string) =>
        (
          await slack.app.viewSubmission({
            teamId: s.teamId,
            userId: ada,
            callbackId: "timesheet_log_submit",
            values: fields(project, date, hours),
          })
        ).json();

      expect(await submit("ATLAS", "2026-11-23", "seven")).toEqual({
        response_action: "errors",
        errors: { time_hours: speaker.hours },
      });
      expect(await submit("NOPE", "2026-11-23", "7:30")).toEqual({
        response_action: "errors",
        errors: { time_project: speaker.project },
      });
      // Her week of 16 November is submitted: a day in it is refused beside the date.
      const locked = (await submit("ATLAS", "2026-11-18", "7:30")) as { errors: Record<string, string> };
      expect(Object.keys(locked.errors)).toEqual(["time_date"]);
      expect(locked.errors.time_date).toContain(speaker.locked);
      const entries = await s.db
        .select()
        .from(timeEntries)
        .where(eq(timeEntries.workspaceId, s.world.workspace.id));
      expect(entries).toHaveLength(3);
    },
  );
});
