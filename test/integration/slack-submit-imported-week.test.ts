// Time imported from a tracker (Clockify, Harvest, Toggl) is submitted for approval from /cobro time
// without logging more hours, over signed HTTP: the hours may be left empty when "Submit this week"
// is ticked. Before, the hours were required, so an imported week could only be submitted by adding
// an entry that was never worked.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { timeEntries, timesheets } from "../../src/db/schema/index.ts";
import type { TimeEntryDraft } from "../../src/domain/time-entry-formats.ts";
import { recordTimeEntries } from "../../src/timesheets/record-time-entries.ts";
import { backend } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

type Block = { block_id?: string; optional?: boolean };

const submitOnly = (project: string, day: string) => ({
  time_project: { value: { type: "static_select", selected_option: { value: project } } },
  time_date: { value: { type: "datepicker", selected_date: day } },
  time_hours: { value: { type: "plain_text_input", value: null } },
  time_description: { value: { type: "plain_text_input", value: null } },
  time_submit_week: { value: { type: "checkboxes", selected_options: [{ value: "submit" }] } },
});

describe(`submitting an imported week from /cobro time on ${backend()}`, () => {
  it("submits the week as imported, adds no entry, and says so in the reader's language", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "es" });
    const teamId = ws.slackTeamId as string;
    const approver = await createMember(db, ws.id, { roles: ["pm", "approver"] });
    const person = await createMember(db, ws.id, { slackUserId: "UBEGO", email: "begona@bravo.example" });
    api.slackUser("UBEGO", { locale: "fr-FR" });
    const client = await createClient(db, ws.id);
    const project = await createProject(db, ws.id, client.id, {
      code: "p01-es-001",
      billingMode: "time",
      approverMemberId: approver.id,
    });
    const clockify = (line: number, workDate: string, minutes: number): TimeEntryDraft => ({
      line,
      source: "clockify",
      externalId: null,
      identity: `${workDate}|${minutes}`,
      projectCode: "p01-es-001",
      projectName: null,
      personEmail: person.email,
      personName: null,
      workDate,
      minutes,
      description: "Réunion de suivi",
      task: null,
      billable: true,
    });
    await recordTimeEntries(testCtx(serviceDeps(db), ws.id), {
      entries: [clockify(1, "2026-11-16", 120), clockify(2, "2026-11-18", 465)],
    });

    await slack.app.command({ teamId, userId: "UBEGO", command: "/cobro", text: "time" });
    await api.waitFor("views.update");
    const form = api.calls("views.update")[0]?.body.view as { blocks: Block[] };
    const optional = (id: string) => form.blocks.find((b) => b.block_id === id)?.optional;
    expect([optional("time_hours"), optional("time_description")]).toEqual([true, true]);

    const empty = await slack.app.viewSubmission({
      teamId,
      userId: "UBEGO",
      callbackId: "timesheet_log_submit",
      values: submitOnly("p01-es-001", "2026-11-09"),
    });
    expect(empty.json()).toEqual({
      response_action: "errors",
      errors: {
        time_hours:
          "Vous n’avez aucune heure sur p01-es-001 la semaine du 2026-11-09 : saisissez les heures pour les enregistrer.",
      },
    });

    const sent = await slack.app.viewSubmission({
      teamId,
      userId: "UBEGO",
      callbackId: "timesheet_log_submit",
      values: submitOnly("p01-es-001", "2026-11-20"),
    });
    const answer = sent.json() as { response_action: string; view: { blocks: unknown[] } };
    expect(answer.response_action).toBe("update");
    expect(JSON.stringify(answer.view.blocks).replace(/\u202f/g, " ")).toContain(
      "La semaine du 16 nov. 2026 est soumise pour approbation.",
    );
    const [sheet] = await db.select().from(timesheets).where(eq(timesheets.projectId, project.id));
    expect(sheet?.status).toBe("submitted");
    const entries = await db.select().from(timeEntries).where(eq(timeEntries.projectId, project.id));
    expect(entries.map((e) => e.minutes).sort()).toEqual([120, 465]);
  });
});
