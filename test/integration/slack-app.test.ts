import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import {
  members,
  projects,
  slackEventsSeen,
  slackInstallations,
  workspaces,
} from "../../src/db/schema/index.ts";
import { reserveChannelSlot } from "../../src/delivery/repo.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;
let oauthApp: SlackTestApp;

beforeAll(async () => {
  database = await testDatabase();
  app = await startSlackTestApp({ db: database.db });
  oauthApp = await startSlackTestApp({ db: database.db, mode: "oauth" });
});
afterAll(async () => {
  await app.close();
  await oauthApp.close();
});
beforeEach(() => {
  api.reset();
});

const input = (value: string) => ({ value: { type: "plain_text_input", value } });
const setupValues = (overrides: Record<string, Record<string, unknown>> = {}) => ({
  billing_channel: { value: { type: "conversations_select", selected_conversation: "CBILL2" } },
  collections_channel: { value: { type: "conversations_select", selected_conversation: "CCOLL2" } },
  time_zone: input("Europe/Madrid"),
  base_currency: input("eur"),
  locale: { value: { type: "static_select", selected_option: { value: "es" } } },
  seller_legal_name: input("Acme Consulting SL"),
  seller_address_line1: input("Calle Mayor 1"),
  seller_postcode: input("28013"),
  seller_city: input("Madrid"),
  seller_country: input("es"),
  seller_vat_id: input("ESB12345674"),
  seller_siren: input(""),
  seller_nif: input("B12345674"),
  seller_iban: input("ES91 2100 0418 4502 0005 1332"),
  auto_issue: { value: { type: "radio_buttons", selected_option: { value: "auto" } } },
  monthly_statements: { value: { type: "radio_buttons", selected_option: { value: "monthly" } } },
  role_admin: { value: { type: "multi_users_select", selected_users: ["UADMIN1"] } },
  role_billing: { value: { type: "multi_users_select", selected_users: ["UBILL1", "UADMIN1"] } },
  role_collector: { value: { type: "multi_users_select", selected_users: [] } },
  role_approver: { value: { type: "multi_users_select", selected_users: [] } },
  role_pm: { value: { type: "multi_users_select", selected_users: ["UPM1"] } },
  ...overrides,
});

describe(`Slack setup, links, installs and events on ${backend()}`, () => {
  it("/cobro setup opens the modal at once and fills it; invalid fields come back as field errors", async () => {
    const workspace = await createWorkspace(database.db);
    await createMember(database.db, workspace.id, { slackUserId: "UADMIN1", roles: ["admin"] });
    await app.command({
      teamId: workspace.slackTeamId!,
      userId: "UADMIN1",
      command: "/cobro",
      text: "setup",
    });
    await api.waitFor("views.update");
    expect(api.calls().filter((c) => !["auth.test", "users.info"].includes(c.method))[0]?.method).toBe(
      "views.open",
    );
    expect((api.calls("views.update")[0]!.body.view as { callback_id: string }).callback_id).toBe(
      "cobro_setup",
    );

    const bad = await app.viewSubmission({
      teamId: workspace.slackTeamId!,
      userId: "UADMIN1",
      callbackId: "cobro_setup",
      values: setupValues({
        time_zone: input("Mars/Olympus"),
        seller_iban: input("ES00 1234"),
        seller_nif: input("B12345678"),
        role_admin: { value: { selected_users: [] } },
      }),
    });
    expect(bad.status).toBe(200);
    expect(bad.json()).toMatchObject({
      response_action: "errors",
      errors: {
        time_zone: expect.stringMatching(/time zone/),
        seller_iban: expect.stringMatching(/IBAN/),
        seller_nif: expect.stringMatching(/^Not a valid Spanish NIF\/CIF: its check digit is wrong/),
        role_admin: expect.stringMatching(/at least one admin/),
      },
    });

    const good = await app.viewSubmission({
      teamId: workspace.slackTeamId!,
      userId: "UADMIN1",
      callbackId: "cobro_setup",
      values: setupValues(),
    });
    expect(good.json()).toMatchObject({ response_action: "update" });
    const [saved] = await database.db.select().from(workspaces).where(eq(workspaces.id, workspace.id));
    expect(saved).toMatchObject({
      billingChannelId: "CBILL2",
      baseCurrency: "EUR",
      locale: "es",
      timeZone: "Europe/Madrid",
    });
    expect(saved?.settings).toMatchObject({ autoIssueOnMilestone: true, monthlyStatements: true });
    expect(saved?.seller?.iban).toBe("ES9121000418450200051332");
    const roles = await database.db.select().from(members).where(eq(members.workspaceId, workspace.id));
    expect(Object.fromEntries(roles.map((m) => [m.slackUserId, [...m.roles].sort()]))).toMatchObject({
      UADMIN1: ["admin", "billing"],
      UBILL1: ["billing"],
      UPM1: ["pm"],
    });
  });

  it("refuses setup to a non-admin, in the modal", async () => {
    const workspace = await createWorkspace(database.db);
    await createMember(database.db, workspace.id, { slackUserId: "UADMIN9", roles: ["admin"] });
    await createMember(database.db, workspace.id, { slackUserId: "UPM9", roles: ["pm"] });
    await app.command({ teamId: workspace.slackTeamId!, userId: "UPM9", command: "/cobro", text: "setup" });
    await api.waitFor("views.update");
    expect(JSON.stringify(api.calls("views.update")[0]?.body.view)).toMatch(/Only a Cobro admin/);
  });

  it("/cobro link links the current channel to the project", async () => {
    const workspace = await createWorkspace(database.db);
    const pm = await createMember(database.db, workspace.id, { roles: ["pm"] });
    const client = await createClient(database.db, workspace.id);
    const project = await createProject(database.db, workspace.id, client.id, {
      code: "ORION",
      pmMemberId: pm.id,
    });
    await app.command({
      teamId: workspace.slackTeamId!,
      userId: pm.slackUserId!,
      command: "/cobro",
      text: "link orion",
      channelId: "CORION",
    });
    await api.waitFor("hook");
    expect(String(api.hooks()[0]?.body.text)).toMatch(/now linked to \*ORION/);
    const [linked] = await database.db.select().from(projects).where(eq(projects.id, project.id));
    expect(linked?.slackChannelId).toBe("CORION");
  });

  it("/cobro help explains every command", async () => {
    const workspace = await createWorkspace(database.db);
    await app.command({ teamId: workspace.slackTeamId!, userId: "UANY", command: "/cobro", text: "help" });
    await api.waitFor("hook");
    const text = String(api.hooks()[0]?.body.text);
    for (const usage of [
      "/milestone done",
      "/milestone list",
      "/milestone add",
      "/milestone undo",
      "/aging",
      "/cobro setup",
      "/cobro link",
    ]) {
      expect(text).toContain(usage);
    }
  });

  it("publishes the App Home once per event, even when Slack retries the event", async () => {
    const workspace = await createWorkspace(database.db);
    await createMember(database.db, workspace.id, { slackUserId: "UHOME1", roles: ["billing"] });
    const event = {
      type: "app_home_opened",
      user: "UHOME1",
      channel: "DHOME",
      tab: "home",
      event_ts: "1700000000.1",
    };
    const eventId = `EvHOME${Date.now()}`;
    expect((await app.event({ teamId: workspace.slackTeamId!, event, eventId })).status).toBe(200);
    await api.waitFor("views.publish");
    expect((await app.event({ teamId: workspace.slackTeamId!, event, eventId, retryNum: 1 })).status).toBe(
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.calls("views.publish")).toHaveLength(1);
    expect(
      await database.db.select().from(slackEventsSeen).where(eq(slackEventsSeen.eventId, eventId)),
    ).toHaveLength(1);
    expect(JSON.stringify(api.calls("views.publish")[0]?.body.view)).toContain(
      "Invoices waiting for your click",
    );
  });

  it("OAuth: an installation is stored encrypted, makes the installer admin, and app_uninstalled deletes it", async () => {
    const teamId = `TOAUTH${Date.now()}`;
    const store = oauthApp.slack.installationStore!;
    await store.storeInstallation({
      team: { id: teamId, name: "Initech" },
      enterprise: undefined,
      user: { id: "UINSTALLER", token: undefined, scopes: undefined },
      bot: { token: "xoxb-secret-bot-token", scopes: ["commands"], id: "BOAUTH", userId: "UBOTOAUTH" },
      isEnterpriseInstall: false,
      appId: "ACOBRO",
      tokenType: "bot",
      authVersion: "v2",
    });
    const [row] = await database.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.teamId, teamId));
    expect(row?.data).not.toContain("xoxb-secret-bot-token");
    const [workspace] = await database.db.select().from(workspaces).where(eq(workspaces.slackTeamId, teamId));
    expect(workspace?.name).toBe("Initech");
    const [installer] = await database.db.select().from(members).where(eq(members.slackUserId, "UINSTALLER"));
    expect(installer?.roles).toEqual(["admin"]);

    // Requests of that team are authorized with the stored token.
    await oauthApp.command({ teamId, userId: "UINSTALLER", command: "/cobro", text: "setup" });
    await api.waitFor("views.update");
    expect(api.calls("views.open")[0]?.token).toBe("xoxb-secret-bot-token");

    const res = await oauthApp.event({
      teamId,
      event: { type: "app_uninstalled", event_ts: "1700000000.2" },
    });
    expect(res.status).toBe(200);
    const until = Date.now() + 3000;
    while (
      (await database.db.select().from(slackInstallations).where(eq(slackInstallations.teamId, teamId)))
        .length > 0
    ) {
      if (Date.now() > until) throw new Error("installation not deleted");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("paces posts to one a second per channel: waiting posts get successive slots, other channels are not held", async () => {
    const workspace = await createWorkspace(database.db);
    const now = new Date("2026-11-23T09:00:00Z");
    const reserve = (channelId: string, afterMs: number) =>
      reserveChannelSlot(database.db, {
        workspaceId: workspace.id,
        channelId,
        now: new Date(now.getTime() + afterMs),
        intervalMs: 1000,
      }).then((slot) => slot.getTime() - now.getTime());
    expect(await reserve("CPACE", 0)).toBe(0);
    expect(await reserve("CPACE", 300)).toBe(1000);
    expect(await reserve("COTHER", 300)).toBe(300);
    expect(await reserve("CPACE", 400)).toBe(2000);
    // An idle channel posts at once again.
    expect(await reserve("CPACE", 10_000)).toBe(10_000);
  });
});
