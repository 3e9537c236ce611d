import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  AGING_ACTIONS,
  COLLECTION_CALLBACKS,
  encodeAgingMenuValue,
  encodeAgingState,
} from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { debtorMenuChoice, postBlockAction, postBlockSuggestion } from "../helpers/slack-payloads.ts";

const slack = useSlackTestApp();
const { api } = slack;
const STATE = { a: "2026-11-23", b: "due" as const };
const NOT_YOURS = "That project is not one of yours";

/** The PM manages Atlas and Orion (Acme); another PM manages Zeus (Acme) and Boreas (Beta). */
async function scenario() {
  const db = slack.database.db;
  const ws = await createWorkspace(db);
  const pm = await createMember(db, ws.id, { slackUserId: "UPM", roles: ["pm"] });
  const otherPm = await createMember(db, ws.id, { slackUserId: "UOTHER", roles: ["pm"] });
  await createMember(db, ws.id, { slackUserId: "UCOLL", roles: ["collector"] });
  const acme = await createClient(db, ws.id, { externalId: "ACME", name: "Acme SA" });
  const beta = await createClient(db, ws.id, { externalId: "BETA", name: "Beta Industries" });
  const atlas = await createProject(db, ws.id, acme.id, { code: "ATLAS", name: "Atlas", pmMemberId: pm.id });
  const orion = await createProject(db, ws.id, acme.id, { code: "ORION", name: "Orion", pmMemberId: pm.id });
  const zeus = await createProject(db, ws.id, acme.id, {
    code: "ZEUS",
    name: "Zeus",
    pmMemberId: otherPm.id,
  });
  const boreas = await createProject(db, ws.id, beta.id, {
    code: "BOREAS",
    name: "Boreas",
    pmMemberId: otherPm.id,
  });
  const invoice = (
    clientId: string,
    projectId: string,
    number: string,
    totalMinor: number,
    dueDate: string,
  ) => createIssuedInvoice(db, ws.id, clientId, { projectId, number, totalMinor, dueDate });
  const atlasInvoice = await invoice(acme.id, atlas.id, "F-ATLAS-1", 30_000, "2026-10-01");
  await invoice(acme.id, orion.id, "F-ORION-1", 15_000, "2026-11-30");
  await invoice(acme.id, zeus.id, "F-ZEUS-1", 99_900, "2026-10-01");
  await invoice(beta.id, boreas.id, "F-BOREAS-1", 400_000, "2026-10-01");
  return { ws, teamId: ws.slackTeamId as string, acme, beta, zeus, atlasInvoice };
}

const lastHook = () =>
  slack.api.hooks().at(-1)?.body as { text: string; blocks?: unknown[]; replace_original?: boolean };
const shown = () => JSON.stringify(lastHook());

/** Nothing of the other PM's projects: not their amounts, invoices or client. */
function expectNoOtherProjects(text: string) {
  for (const leak of ["€999.00", "F-ZEUS-1", "€4,000.00", "F-BOREAS-1", "Beta Industries"]) {
    expect(text).not.toContain(leak);
  }
}

describe(`/aging for a project manager over signed HTTP on ${backend()}`, () => {
  it("shows the PM the totals of their own projects only; a collector still sees everything", async () => {
    const s = await scenario();
    await slack.app.command({ teamId: s.teamId, userId: "UPM", command: "/aging", text: "" });
    await api.waitFor("hook");
    const pmReply = shown();
    expect(pmReply).toContain("Aged receivables of your projects · Nov 23, 2026");
    expect(pmReply).toContain("only the projects you manage");
    expect(pmReply).toContain("€450.00"); // Atlas 300 + Orion 150
    expect(pmReply).toContain("Acme SA");
    expectNoOtherProjects(pmReply);

    api.reset(); // in the past the report comes from the full aggregate, cut the same way
    await slack.app.command({ teamId: s.teamId, userId: "UPM", command: "/aging", text: "as-of 2026-11-20" });
    await api.waitFor("hook");
    expect(shown()).toContain("€450.00");
    expectNoOtherProjects(shown());

    api.reset();
    await slack.app.command({ teamId: s.teamId, userId: "UCOLL", command: "/aging", text: "" });
    await api.waitFor("hook");
    expect(shown()).toContain("€5,449.00");
    expect(shown()).not.toContain("your projects");
  });

  it("drills into a bucket with the PM's invoices only", async () => {
    const s = await scenario();
    await postBlockAction(
      slack.app,
      s.teamId,
      {
        type: "button",
        action_id: `${AGING_ACTIONS.bucket}_2`,
        block_id: "b",
        value: encodeAgingState({ ...STATE, k: 2, n: 0 }),
      },
      "UPM",
    );
    await api.waitFor("hook");
    expect(shown()).toContain("F-ATLAS-1");
    expect(shown()).toContain("1 invoice");
    expectNoOtherProjects(shown());
  });

  /** The PM picks an option in one of the report's filter menus. */
  const chooseFilter = (teamId: string, actionId: string, text: string, value: string) =>
    postBlockAction(
      slack.app,
      teamId,
      {
        type: "external_select",
        action_id: actionId,
        block_id: `98|${encodeAgingState(STATE)}`,
        selected_option: { text: { type: "plain_text", text }, value },
      },
      "UPM",
    );

  it("refuses another project's filter, typed or crafted, with a message saying what to do", async () => {
    const s = await scenario();
    await chooseFilter(s.teamId, AGING_ACTIONS.filterProject, "ZEUS · Zeus", s.zeus.id);
    await api.waitFor("hook");
    expect(lastHook().text).toContain(NOT_YOURS);
    expect(lastHook().text).toContain("Pick one of them in the Project menu");
    expect(lastHook().blocks).toBeUndefined();
    expectNoOtherProjects(shown());

    api.reset();
    const tampered = encodeAgingState({ ...STATE, p: s.zeus.id, k: 2, n: 0 });
    await postBlockAction(
      slack.app,
      s.teamId,
      { type: "button", action_id: `${AGING_ACTIONS.bucket}_2`, block_id: "b", value: tampered },
      "UPM",
    );
    await api.waitFor("hook");
    expect(lastHook().text).toContain(NOT_YOURS);
    expectNoOtherProjects(shown());

    api.reset();
    await slack.app.command({ teamId: s.teamId, userId: "UPM", command: "/aging", text: "zeus" });
    await api.waitFor("hook");
    expect(lastHook().text).toContain(NOT_YOURS);
    expectNoOtherProjects(shown());
  });

  it("refuses another project's client and keeps View invoices inside the PM's projects", async () => {
    const s = await scenario();
    await chooseFilter(s.teamId, AGING_ACTIONS.filterClient, "Beta", s.beta.id);
    await api.waitFor("hook");
    expect(lastHook().text).toContain("That client has no project of yours");
    expect(lastHook().text).toContain("Pick one of them in the Client menu");
    expectNoOtherProjects(shown());

    api.reset();
    await slack.app.command({ teamId: s.teamId, userId: "UPM", command: "/aging", text: "BETA" });
    await api.waitFor("hook");
    expect(lastHook().text).toContain("That client has no project of yours");

    api.reset();
    await postBlockAction(slack.app, s.teamId, debtorMenuChoice("invoices", s.acme.id, STATE), "UPM");
    await api.waitFor("hook");
    expect(shown()).toContain("€450.00");
    expectNoOtherProjects(shown());
  });

  it("offers only the PM's projects and their clients in the filter menus", async () => {
    const s = await scenario();
    const ask = (actionId: string) =>
      postBlockSuggestion(slack.app, {
        teamId: s.teamId,
        userId: "UPM",
        actionId,
        blockId: `98|${encodeAgingState(STATE)}`,
        value: "",
      });
    const projects = (await ask(AGING_ACTIONS.filterProject)).options.map((o) => o.text.text);
    expect(projects).toEqual(["All projects", "ATLAS · Atlas", "ORION · Orion"]);
    const clients = (await ask(AGING_ACTIONS.filterClient)).options.map((o) => o.text.text);
    expect(clients).toEqual(["All clients", "Acme SA (ACME)"]);
  });

  it("exports the PM's projects only to the CSV", async () => {
    const s = await scenario();
    const uploaded = api.acceptFileUploads();
    await postBlockAction(
      slack.app,
      s.teamId,
      {
        type: "button",
        action_id: AGING_ACTIONS.exportCsv,
        block_id: "99|x",
        value: encodeAgingState(STATE),
      },
      "UPM",
    );
    await api.waitFor("files.completeUploadExternal");
    expect(uploaded()).toContain("ACME,Acme SA,EUR,150.00,0.00,300.00,0.00,0.00,450.00");
    expect(uploaded()).not.toContain("BETA");
    expect(uploaded()).not.toContain("999.00");
  });

  it("keeps refusing collection actions to a PM, before listing any invoice", async () => {
    const s = await scenario();
    for (const verb of ["pay", "remind"] as const) {
      api.reset();
      await postBlockAction(slack.app, s.teamId, debtorMenuChoice(verb, s.acme.id, STATE), "UPM");
      await api.waitFor("hook");
      expect(lastHook().text).toContain("Only a collector, someone in billing or an admin");
      expect(lastHook().text).toContain("/cobro setup");
      expectNoOtherProjects(shown());
      expect(api.calls("views.open")).toHaveLength(0);
    }
  });

  it("refuses a PM Record payment from a bucket's invoice menu in the modal, before the form", async () => {
    const s = await scenario();
    const value = encodeAgingMenuValue({ verb: "pay", target: "invoice", id: s.atlasInvoice.id });
    await postBlockAction(
      slack.app,
      s.teamId,
      {
        type: "overflow",
        action_id: AGING_ACTIONS.invoiceMenu,
        block_id: `1|${encodeAgingState({ ...STATE, k: 2, n: 0 })}`,
        selected_option: { text: { type: "plain_text", text: "pay" }, value },
      },
      "UPM",
    );
    await api.waitFor("views.update");
    const modal = api.calls("views.update")[0]?.body.view as { callback_id?: string };
    expect(JSON.stringify(modal)).toContain("Only a collector, someone in billing or an admin");
    expect(modal.callback_id).not.toBe(COLLECTION_CALLBACKS.recordPayment);
  });

  it("refuses a PM the statement of account: no preview of the client's other projects, nothing sent", async () => {
    const s = await scenario();
    const value = encodeAgingState({ ...STATE, c: s.acme.id });
    for (const action_id of [AGING_ACTIONS.statement, AGING_ACTIONS.statementSend]) {
      api.reset();
      await postBlockAction(slack.app, s.teamId, { type: "button", action_id, block_id: "x", value }, "UPM");
      await api.waitFor("hook");
      expect(lastHook().text).toContain("Only a collector, someone in billing or an admin");
      expect(lastHook().blocks).toBeUndefined();
      expectNoOtherProjects(shown());
    }
    const db = slack.database.db;
    expect(await db.select().from(deliveries).where(eq(deliveries.workspaceId, s.ws.id))).toEqual([]);
  });
});
