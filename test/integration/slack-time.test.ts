import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { deliveries, invoices, timeEntries, timesheets } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;

beforeAll(async () => {
  database = await testDatabase();
  app = await startSlackTestApp({ db: database.db });
});
afterAll(() => app.close());
beforeEach(() => api.reset());

const fields = (project: string, hours: string, submit: boolean) => ({
  time_project: { value: { type: "static_select", selected_option: { value: project } } },
  time_date: { value: { type: "datepicker", selected_date: "2026-11-20" } },
  time_hours: { value: { type: "plain_text_input", value: hours } },
  time_description: { value: { type: "plain_text_input", value: "API design workshop" } },
  time_submit_week: {
    value: { type: "checkboxes", selected_options: submit ? [{ value: "submit" }] : [] },
  },
});

describe(`/cobro time on ${backend()}`, () => {
  it("opens the modal before any database work, refuses bad hours, logs and submits the week", async () => {
    const workspace = await createWorkspace(database.db);
    const person = await createMember(database.db, workspace.id, { slackUserId: "UDEV1", roles: [] });
    const client = await createClient(database.db, workspace.id);
    const project = await createProject(database.db, workspace.id, client.id, {
      code: "ATLAS",
      billingMode: "time",
    });

    await app.command({ teamId: workspace.slackTeamId!, userId: "UDEV1", command: "/cobro", text: "time" });
    await api.waitFor("views.update");
    const methods = api
      .calls()
      .map((c) => c.method)
      .filter((m) => m !== "auth.test" && m !== "users.info");
    expect(methods.slice(0, 2)).toEqual(["views.open", "views.update"]);
    const view = api.calls("views.update")[0]?.body.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe("timesheet_log_submit");
    expect(JSON.stringify(view.blocks)).toContain("ATLAS");

    const bad = await app.viewSubmission({
      teamId: workspace.slackTeamId!,
      userId: "UDEV1",
      callbackId: "timesheet_log_submit",
      values: fields("ATLAS", "seven", false),
    });
    expect(bad.json()).toMatchObject({
      response_action: "errors",
      errors: { time_hours: expect.any(String) },
    });
    expect(
      await database.db.select().from(timeEntries).where(eq(timeEntries.projectId, project.id)),
    ).toHaveLength(0);

    const ok = await app.viewSubmission({
      teamId: workspace.slackTeamId!,
      userId: "UDEV1",
      callbackId: "timesheet_log_submit",
      values: fields("ATLAS", "7:30", true),
    });
    expect(ok.json()).toMatchObject({ response_action: "update" });
    const [entry] = await database.db.select().from(timeEntries).where(eq(timeEntries.projectId, project.id));
    expect(entry).toMatchObject({ minutes: 450, workDate: "2026-11-20", personEmail: person.email });
    const [sheet] = await database.db.select().from(timesheets).where(eq(timesheets.projectId, project.id));
    expect(sheet?.status).toBe("submitted");
  });

  it("Issue & send all issues every draft of the digest once, names the refused one, and a second click sends nothing more", async () => {
    const workspace = await createWorkspace(database.db);
    await createMember(database.db, workspace.id, { slackUserId: "UBILL1", roles: ["billing"] });
    await createMember(database.db, workspace.id, { slackUserId: "UDEV2", roles: ["pm"] });
    const client = await createClient(database.db, workspace.id, { country: "ES", taxId: "B87654321" });
    const noTax = await createClient(database.db, workspace.id, {
      taxId: null,
      siren: null,
      name: "Sin NIF SL",
    });
    const deps = serviceDeps(database.db);
    const draft = async (clientId: string) =>
      (
        await createInvoiceDraft(testCtx(deps, workspace.id), {
          clientId,
          lines: [
            { description: "November hours", quantityMilli: 10_000, unitPriceMinor: 9000, vatRateBp: 2100 },
          ],
        })
      ).invoice.id;
    const ids = [await draft(client.id), await draft(noTax.id), await draft(client.id)];
    const click = (userId: string) =>
      app.action({
        teamId: workspace.slackTeamId!,
        userId,
        actionId: "billing_issue_send_all",
        value: ids.join(","),
      });

    await click("UDEV2");
    await api.waitFor("hook");
    expect(String(api.hooks().at(-1)?.body.text)).toMatch(/0 of 3 invoices issued and sent/);

    await click("UBILL1");
    await api.waitFor("hook", 2);
    const reply = String(api.hooks().at(-1)?.body.text);
    expect(reply).toMatch(/2 of 3 invoices issued and sent/);
    expect(reply).toMatch(/tax id|NIF|identif/i);
    const rows = await database.db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    expect(
      rows
        .filter((r) => r.status === "issued")
        .map((r) => r.number)
        .sort(),
    ).toEqual(["F-2026-00001", "F-2026-00002"]);
    const emails = async () =>
      (await database.db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).filter(
        (d) => d.kind === "email",
      );
    expect(await emails()).toHaveLength(2);

    await click("UBILL1");
    await api.waitFor("hook", 3);
    expect(await emails()).toHaveLength(2);
    expect(
      (await database.db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).filter(
        (r) => r.number !== null,
      ),
    ).toHaveLength(2);
  });
});
