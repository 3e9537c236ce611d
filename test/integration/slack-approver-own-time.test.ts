// A PM who is also their project's timesheet approver logs time too: their week goes to someone else
// with the approver role, over signed HTTP (App Home, Approve all). Before, it was designated to them,
// who may not approve their own time, and nobody else was allowed to: the week could never be approved.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { timesheets } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

describe(`a PM-approver's own timesheet on ${backend()}`, () => {
  it("is listed to another approver, who approves it; the PM cannot", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db);
    const teamId = ws.slackTeamId as string;
    const ana = await createMember(db, ws.id, { slackUserId: "UANA", roles: ["pm", "approver"] });
    await createMember(db, ws.id, { slackUserId: "UJEROME", roles: ["pm", "approver"] });
    const client = await createClient(db, ws.id);
    const project = await createProject(db, ws.id, client.id, {
      code: "p01-es-001",
      billingMode: "time",
      pmMemberId: ana.id,
      approverMemberId: ana.id,
    });

    const logged = await slack.app.viewSubmission({
      teamId,
      userId: "UANA",
      callbackId: "timesheet_log_submit",
      values: {
        time_project: { value: { type: "static_select", selected_option: { value: "p01-es-001" } } },
        time_date: { value: { type: "datepicker", selected_date: "2026-11-20" } },
        time_hours: { value: { type: "plain_text_input", value: "3:30" } },
        time_description: { value: { type: "plain_text_input", value: "Pilotage" } },
        time_submit_week: { value: { type: "checkboxes", selected_options: [{ value: "submit" }] } },
      },
    });
    expect(logged.json()).toMatchObject({ response_action: "update" });
    const [sheet] = await db.select().from(timesheets).where(eq(timesheets.projectId, project.id));
    expect(sheet?.status).toBe("submitted");

    const homeOf = async (user: string) => {
      api.reset();
      await slack.app.event({ teamId, event: { type: "app_home_opened", user, tab: "home" } });
      await api.waitFor("views.publish");
      const home = JSON.stringify(api.calls("views.publish")[0]?.body.view);
      return home.match(/"action_id":"timesheet_approve_all","value":"([^"]+)"/)?.[1];
    };
    expect(await homeOf("UANA")).toBeUndefined();
    const all = await homeOf("UJEROME");
    expect(all).toContain(sheet?.id);

    await slack.app.action({
      teamId,
      userId: "UJEROME",
      actionId: "timesheet_approve_all",
      value: all as string,
    });
    await api.waitFor("hook");
    const [decided] = await db.select().from(timesheets).where(eq(timesheets.projectId, project.id));
    expect(decided?.status).toBe("approved");
  });
});
