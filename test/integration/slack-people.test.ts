// People imported by e-mail are recognised in Slack: whoever acts is linked (once, audited) to the
// member with their Slack e-mail; setup's role pickers link the same way; a stranger is told whom to ask.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, members, milestones, timeEntries } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

async function importedPm() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db);
  const admin = await createMember(db, workspace.id, { roles: ["admin"], slackUserId: `UADM${Date.now()}` });
  // As `cobro import projects` leaves a PM known by pm_email only.
  const pm = await createMember(db, workspace.id, {
    email: "ana.pm@consult.example",
    slackUserId: null,
    roles: ["pm"],
  });
  const client = await createClient(db, workspace.id);
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });
  const milestone = await createMilestone(db, workspace.id, project.id, {
    name: "Design",
    amountMinor: 100000,
  });
  return { workspace, teamId: workspace.slackTeamId!, admin, pm, milestone };
}

const lastHook = () => String(api.hooks().at(-1)?.body.text);

describe(`Slack users linked to members by e-mail on ${backend()}`, () => {
  it("a PM imported with pm_email who runs /milestone done is recognised as the PM, linked once", async () => {
    const s = await importedPm();
    api.slackUser("UANA", { email: "Ana.PM@Consult.example", name: "Ana García" });

    await slack.app.command({
      teamId: s.teamId,
      userId: "UANA",
      command: "/milestone",
      text: "done atlas design",
    });
    await api.waitFor("hook");
    expect(lastHook()).not.toContain("not the project manager");
    const [done] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(done?.status).toBe("done");
    expect(done?.doneByMemberId).toBe(s.pm.id);

    await slack.app.command({ teamId: s.teamId, userId: "UANA", command: "/milestone", text: "list" });
    await api.waitFor("hook", 2);
    expect(api.calls("users.info")).toHaveLength(1);
    const linked = await slack.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.pm.id), eq(auditLog.action, "member.slack_linked")));
    expect(linked).toHaveLength(1);
    expect(linked[0]?.after).toMatchObject({ slackUserId: "UANA" });
    expect(
      await slack.database.db.select().from(members).where(eq(members.workspaceId, s.workspace.id)),
    ).toHaveLength(2);
  });

  it("a Slack user whose e-mail matches nobody is told whom to ask and what the admin runs", async () => {
    const s = await importedPm();
    api.slackUser("UZOE", { email: "zoe@elsewhere.example" });
    await slack.app.command({
      teamId: s.teamId,
      userId: "UZOE",
      command: "/milestone",
      text: "done atlas design",
    });
    await api.waitFor("hook");
    const hook = api.hooks()[0]!;
    expect(hook.body.response_type).toBe("ephemeral");
    expect(lastHook()).toContain("No member of this workspace has your Slack e-mail (zoe@elsewhere.example)");
    expect(lastHook()).toContain(`Ask an admin (<@${s.admin.slackUserId}>)`);
    expect(lastHook()).toContain("`cobro import people people.csv` with a line for zoe@elsewhere.example");
    const [planned] = await slack.database.db
      .select()
      .from(milestones)
      .where(eq(milestones.id, s.milestone.id));
    expect(planned?.status).toBe("planned");
  });

  it("a Slack user whose e-mail matches nobody and who runs /aging is told whom to ask, not only which roles see it", async () => {
    const s = await importedPm();
    api.slackUser("UYVES", { email: "yves@elsewhere.example" });
    await slack.app.command({ teamId: s.teamId, userId: "UYVES", command: "/aging", text: "" });
    await api.waitFor("hook");
    expect(lastHook()).toContain(
      "No member of this workspace has your Slack e-mail (yves@elsewhere.example)",
    );
    expect(lastHook()).toContain(`Ask an admin (<@${s.admin.slackUserId}>)`);
  });

  it("/cobro time knows the e-mail of someone imported by e-mail who never used Slack before", async () => {
    const s = await importedPm();
    const db = slack.database.db;
    await createMember(db, s.workspace.id, {
      email: "pablo@consult.example",
      slackUserId: null,
      name: "Pablo",
    });
    api.slackUser("UPABLO", { email: "pablo@consult.example" });
    const res = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: "UPABLO",
      callbackId: "timesheet_log_submit",
      values: {
        time_project: { value: { type: "static_select", selected_option: { value: "ATLAS" } } },
        time_date: { value: { type: "datepicker", selected_date: "2026-11-20" } },
        time_hours: { value: { type: "plain_text_input", value: "2" } },
        time_description: { value: { type: "plain_text_input", value: "Workshop" } },
        time_submit_week: { value: { type: "checkboxes", selected_options: [] } },
      },
    });
    expect(res.json()).toMatchObject({ response_action: "update" });
    const [entry] = await db.select().from(timeEntries).where(eq(timeEntries.workspaceId, s.workspace.id));
    expect(entry).toMatchObject({ personEmail: "pablo@consult.example", minutes: 120 });
  });

  it("a person picked in /cobro setup is linked to the member with their e-mail and keeps imported roles", async () => {
    const s = await importedPm();
    const db = slack.database.db;
    const collector = await createMember(db, s.workspace.id, {
      email: "lea@consult.example",
      slackUserId: null,
      roles: ["collector"],
    });
    api.slackUser("ULEA", { email: "lea@consult.example" });
    const picked = (users: string[]) => ({ value: { type: "multi_users_select", selected_users: users } });
    const input = (value: string) => ({ value: { type: "plain_text_input", value } });
    const res = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.admin.slackUserId!,
      callbackId: "cobro_setup",
      values: {
        billing_channel: { value: { type: "conversations_select", selected_conversation: "CBILL" } },
        collections_channel: { value: { type: "conversations_select", selected_conversation: "CCOLL" } },
        time_zone: input("Europe/Madrid"),
        base_currency: input("EUR"),
        locale: { value: { type: "static_select", selected_option: { value: "en" } } },
        seller_legal_name: input("Consult SL"),
        seller_address_line1: input("Calle Mayor 1"),
        seller_postcode: input("28013"),
        seller_city: input("Madrid"),
        seller_country: input("ES"),
        seller_vat_id: input("ESB12345674"),
        seller_siren: input(""),
        seller_nif: input("B12345674"),
        seller_iban: input(""),
        auto_issue: { value: { type: "radio_buttons", selected_option: { value: "wait" } } },
        monthly_statements: { value: { type: "radio_buttons", selected_option: { value: "manual" } } },
        role_admin: picked([s.admin.slackUserId!]),
        role_billing: picked([s.admin.slackUserId!, "ULEA"]),
        role_collector: picked([]),
        role_approver: picked([]),
        role_pm: picked([]),
      },
    });
    expect(res.text).toContain("Settings saved");
    const people = await db.select().from(members).where(eq(members.workspaceId, s.workspace.id));
    expect(people).toHaveLength(3);
    const lea = people.find((m) => m.id === collector.id);
    expect(lea).toMatchObject({ slackUserId: "ULEA", roles: ["collector", "billing"] });
  });
});
