// Names refused with a clear message wherever they enter (CSV and Slack), NUL bytes refused before
// they reach the database, and project codes accepted in any case by `/cobro time`.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clients, milestones, timeEntries } from "../../src/db/schema/index.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { backend } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

describe(`names and codes on ${backend()}`, () => {
  it("a CSV with disguised, invisible, multi-line or NUL names imports nothing and names each line", async () => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const csv = [
      "external_id,name,profile,currency,country",
      "C1,Acme SA,business,EUR,ES",
      "C2,Acme\u202Eexe.SA,business,EUR,ES",
      "C3,\u200B\u200B,business,EUR,ES",
      'C4,"Acme\nSA",business,EUR,ES',
      "C5,Acme\u0000SA,business,EUR,ES",
      "C6,Acme\u2066SA\u2069,business,EUR,ES",
    ].join("\n");
    const result = await importCsv(testCtx(serviceDeps(db), workspace.id), { kind: "clients", csv });
    expect(result.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [3, "name", expect.stringContaining("text-direction override")],
      [4, "name", expect.stringContaining("only invisible characters")],
      [5, "name", expect.stringContaining("line break")],
      [7, "name", expect.stringContaining("NUL byte")],
      [8, "name", expect.stringContaining("text-direction override")],
    ]);
    expect(await db.select().from(clients).where(eq(clients.workspaceId, workspace.id))).toHaveLength(0);

    const people = await importCsv(testCtx(serviceDeps(db), workspace.id), {
      kind: "people",
      csv: "email,name\nana@acme.example,Ana\u202E\n",
    });
    expect(people.errors).toEqual([
      { line: 2, column: "name", message: expect.stringContaining("text-direction override") },
    ]);
  });

  it("a NUL byte in a command is refused with a clear message, and a bidi milestone name too", async () => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const teamId = workspace.slackTeamId as string;
    const pm = await createMember(db, workspace.id, { roles: ["pm", "billing"] });
    const client = await createClient(db, workspace.id);
    const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });

    const nul = await slack.app.command({
      teamId,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: "done atlas de\u0000sign",
    });
    expect(nul.status).toBe(200);
    expect(JSON.parse(nul.text)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("NUL byte"),
    });

    await slack.app.command({
      teamId,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: 'add ATLAS "Design\u202E" 5000',
    });
    await api.waitFor("hook");
    expect(String(api.hooks()[0]?.body.text)).toMatch(/milestone name contains a text-direction override/);
    expect(await db.select().from(milestones).where(eq(milestones.projectId, project.id))).toHaveLength(0);
  });

  it("/cobro time accepts the project it offers, whatever the case its code was imported in", async () => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const teamId = workspace.slackTeamId as string;
    await createMember(db, workspace.id, { slackUserId: "UDEV9", email: "dev9@acme.example", roles: [] });
    const client = await createClient(db, workspace.id);
    const project = await createProject(db, workspace.id, client.id, { code: "atlas", billingMode: "time" });

    await slack.app.command({ teamId, userId: "UDEV9", command: "/cobro", text: "time" });
    await api.waitFor("views.update");
    const view = api.calls("views.update")[0]?.body.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('"value":"atlas"');

    const submitted = await slack.app.viewSubmission({
      teamId,
      userId: "UDEV9",
      callbackId: "timesheet_log_submit",
      values: {
        time_project: { value: { type: "static_select", selected_option: { value: "atlas" } } },
        time_date: { value: { type: "datepicker", selected_date: "2026-11-20" } },
        time_hours: { value: { type: "plain_text_input", value: "2" } },
        time_description: { value: { type: "plain_text_input", value: "Workshop" } },
        time_submit_week: { value: { type: "checkboxes", selected_options: [] } },
      },
    });
    expect(submitted.json()).toMatchObject({ response_action: "update" });
    const entries = await db.select().from(timeEntries).where(eq(timeEntries.projectId, project.id));
    expect(entries.map((e) => e.minutes)).toEqual([120]);
  });

  it.each([
    { language: "es" as const, refusal: "Ese texto contiene un byte NUL (\\0)" },
    { language: "fr" as const, refusal: "Ce texte contient un octet NUL (\\0)" },
  ])("a NUL byte in a command is refused in the reader's language ($language)", async (reader) => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const pm = await createMember(db, workspace.id, { roles: ["pm"], language: reader.language });
    const nul = await slack.app.command({
      teamId: workspace.slackTeamId as string,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: "done atlas de\u0000sign",
    });
    expect(JSON.parse(nul.text)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining(reader.refusal),
    });
  });
});
