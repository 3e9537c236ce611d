import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, clients, members, projects } from "../../src/db/schema/index.ts";
import { CALLBACKS } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

type InputBlock = {
  type: string;
  block_id?: string;
  element?: { type: string; initial_value?: string; initial_option?: { value: string } };
};
type ModalJson = { callback_id: string; private_metadata: string; blocks: InputBlock[] };

/** The state Slack sends back for a modal: each input as shown, with some fields retyped. */
function submitted(view: ModalJson, typed: Record<string, string> = {}) {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of view.blocks) {
    if (block.type !== "input" || !block.block_id || !block.element) continue;
    const typedValue = typed[block.block_id];
    values[block.block_id] =
      block.element.type === "static_select"
        ? {
            value: {
              type: "static_select",
              selected_option: { value: typedValue ?? block.element.initial_option?.value },
            },
          }
        : { value: { type: "plain_text_input", value: typedValue ?? block.element.initial_value ?? null } };
  }
  return values;
}

async function scenario() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db);
  const billing = await createMember(db, workspace.id, { roles: ["billing"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"], email: "ana.pm@consult.example" });
  const client = await createClient(db, workspace.id, {
    name: "Globex Ibérica SL",
    externalId: "C-GLOBEX",
    country: "ES",
    taxId: "B12345674",
    siren: null,
    address: null,
  });
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", name: "Atlas portal" });
  return { db, workspace, teamId: workspace.slackTeamId!, billing, pm, client, project };
}

async function open(teamId: string, userId: string, text: string) {
  await slack.app.command({ teamId, userId, command: "/cobro", text });
  await api.waitFor("views.update");
  expect(api.calls("views.open")[0]?.body.view).toMatchObject({ callback_id: "loading" });
  return api.calls("views.update")[0]!.body.view as ModalJson;
}

describe(`/cobro client and /cobro project on ${backend()}`, () => {
  it("billing completes a client in the modal; bad SIREN, NIF and VAT id are refused next to their fields", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.billing.slackUserId!, "client globex ibérica sl");
    expect(view.callback_id).toBe(CALLBACKS.editClient);
    const json = JSON.stringify(view);
    expect(json).toContain("C-GLOBEX");
    expect(json).toContain('"initial_value":"B12345674"'); // the bare NIF, in the NIF field

    const submit = (typed: Record<string, string>) =>
      slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.billing.slackUserId!,
        callbackId: CALLBACKS.editClient,
        privateMetadata: view.private_metadata,
        values: submitted(view, typed),
      });

    const bad = await submit({
      siren: "732829321",
      nif: "B12345678",
      tax_id: "FR41303265045",
      address_line1: "Paseo de Gracia 1",
    });
    expect(bad.json()).toEqual({
      response_action: "errors",
      errors: {
        siren: expect.stringMatching(/^Not a valid SIREN: its check digit is wrong/),
        nif: expect.stringMatching(/^Not a valid Spanish NIF\/CIF/),
        tax_id: expect.stringMatching(/^Not a valid FR VAT number/),
        postcode: "Required when an address is given.",
        city: "Required when an address is given.",
      },
    });
    expect((await submit({ einvoice_scheme: "0000", einvoice_id: "B12345674" })).json()).toEqual({
      response_action: "errors",
      errors: { einvoice_scheme: expect.stringMatching(/^Must be a scheme of the EAS code list/) },
    });
    const [unchanged] = await s.db.select().from(clients).where(eq(clients.id, s.client.id));
    expect(unchanged).toMatchObject({ address: null, siren: null, taxId: "B12345674" });

    const good = await submit({
      address_line1: "Paseo de Gracia 1",
      postcode: "08007",
      city: "Barcelona",
      purchase_order: "PO-77",
      irpf_rate: "15",
      collector_email: "Cobros@Consult.example",
      einvoice_scheme: "9920",
      einvoice_id: "ESB12345674",
      payment_method: "direct_debit",
      einvoice_attachments: "both",
      delivery_line1: "Carrer de la Marina 16",
      delivery_postcode: "08005",
      delivery_city: "Barcelona",
    });
    expect(good.json()).toMatchObject({ response_action: "update" });
    const [saved] = await s.db.select().from(clients).where(eq(clients.id, s.client.id));
    expect(saved).toMatchObject({
      address: { line1: "Paseo de Gracia 1", postcode: "08007", city: "Barcelona", country: "ES" },
      taxId: "B12345674",
      poReference: "PO-77",
      withholdingRateBp: 1500,
      electronicAddress: "9920:ESB12345674",
      paymentMethod: "direct_debit",
      einvoiceAttachments: "both",
      deliveryAddress: {
        line1: "Carrer de la Marina 16",
        postcode: "08005",
        city: "Barcelona",
        country: "ES",
      },
    });
    const [collector] = await s.db.select().from(members).where(eq(members.id, saved!.collectorMemberId!));
    expect(collector).toMatchObject({ email: "cobros@consult.example", roles: ["collector"] });
    const audit = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, s.workspace.id), eq(auditLog.action, "client.updated")));
    expect(audit).toHaveLength(1);
  });

  it("billing sets a project's PM, approver and rate; a bad rate or e-mail is refused next to its field", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.billing.slackUserId!, "project atlas");
    expect(view.callback_id).toBe(CALLBACKS.editProject);
    expect(JSON.stringify(view)).toContain('"initial_value":"90.00"');
    const submit = (typed: Record<string, string>) =>
      slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.billing.slackUserId!,
        callbackId: CALLBACKS.editProject,
        privateMetadata: view.private_metadata,
        values: submitted(view, typed),
      });
    const bad = await submit({ hourly_rate: "-5", approver_email: "not-mail", slack_channel: "#atlas" });
    expect(bad.json()).toEqual({
      response_action: "errors",
      errors: {
        hourly_rate: "Must not be negative.",
        approver_email: "Not an e-mail address.",
        slack_channel: expect.stringMatching(/Slack channel id/),
      },
    });
    const good = await submit({
      pm_email: "ana.pm@consult.example",
      approver_email: "dsi@globex.example",
      hourly_rate: "95.5",
    });
    expect(good.json()).toMatchObject({ response_action: "update" });
    const [saved] = await s.db.select().from(projects).where(eq(projects.id, s.project.id));
    expect(saved).toMatchObject({ pmMemberId: s.pm.id, hourlyRateMinor: 9550 });
    const [approver] = await s.db.select().from(members).where(eq(members.id, saved!.approverMemberId!));
    expect(approver).toMatchObject({ email: "dsi@globex.example", roles: ["approver"] });
  });

  it("someone without the billing role is told who can, in the modal", async () => {
    const s = await scenario();
    await slack.app.command({
      teamId: s.teamId,
      userId: s.pm.slackUserId!,
      command: "/cobro",
      text: "client C-GLOBEX",
    });
    await api.waitFor("views.update");
    expect(JSON.stringify(api.calls("views.update")[0]!.body.view)).toContain(
      "Only someone with the billing role or an admin can see and change client and project details.",
    );
  });

  it("a client is found by the start of its name, any case, accents optional, as projects are", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.billing.slackUserId!, "client globex iberica");
    expect(view.callback_id).toBe("client_edit");
    expect(JSON.stringify(view)).toContain("Globex Ibérica SL");
  });

  it("an unknown client is named in the modal", async () => {
    const s = await scenario();
    await slack.app.command({
      teamId: s.teamId,
      userId: s.billing.slackUserId!,
      command: "/cobro",
      text: "client Initech",
    });
    await api.waitFor("views.update");
    expect(JSON.stringify(api.calls("views.update")[0]!.body.view)).toContain(
      'No client \\"Initech\\" in this workspace',
    );
  });
});

describe(`/cobro in the reader's language, and forged modal metadata, on ${backend()}`, () => {
  const lastHook = () => String(api.hooks().at(-1)?.body.text);

  it("/cobro help answers a French member in French", async () => {
    const s = await scenario();
    api.slackUser(s.pm.slackUserId!, { locale: "fr-FR" });
    await slack.app.command({ teamId: s.teamId, userId: s.pm.slackUserId!, command: "/cobro", text: "aide" });
    await api.waitFor("hook");
    const help = api.hooks().at(-1)?.body;
    expect(JSON.stringify(help?.blocks)).toContain("Commandes de Cobro");
    expect(String(help?.text)).toContain("`/cobro link <project>`: Lier le canal");
  });

  it("a Spanish member's client modal is in Spanish, and saving it answers in Spanish", async () => {
    const s = await scenario();
    api.slackUser(s.billing.slackUserId!, { locale: "es-ES" });
    const view = await open(s.teamId, s.billing.slackUserId!, "client C-GLOBEX");
    expect(view).toMatchObject({ callback_id: CALLBACKS.editClient, title: { text: "Cliente" } });
    const json = JSON.stringify(view);
    for (const words of ["Nombre en las facturas", "Código postal", "Transferencia bancaria", "*Perfil*"]) {
      expect(json).toContain(words);
    }
    const saved = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.billing.slackUserId!,
      callbackId: CALLBACKS.editClient,
      privateMetadata: view.private_metadata,
      values: submitted(view, { purchase_order: "PO-77" }),
    });
    expect(JSON.stringify(saved.json())).toContain(
      "*Globex Ibérica SL* guardado. Las nuevas facturas usan estos datos.",
    );
  });

  it("/cobro link answers a French member in French", async () => {
    const s = await scenario();
    api.slackUser(s.billing.slackUserId!, { locale: "fr-FR" });
    await slack.app.command({
      teamId: s.teamId,
      userId: s.billing.slackUserId!,
      command: "/cobro",
      text: "link atlas",
      channelId: "CATLAS",
    });
    await api.waitFor("hook");
    expect(lastHook()).toBe(
      ":link: Ce canal est désormais lié à *ATLAS · Atlas portal* : ses factures de jalons y seront publiées.",
    );
  });

  it("a forged or garbled client or project private_metadata is refused in the modal, nothing saved", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.billing.slackUserId!, "client C-GLOBEX");
    const forged: [string, string][] = [
      [CALLBACKS.editClient, "{oops"],
      [CALLBACKS.editClient, JSON.stringify({ projectId: s.project.id })],
      [CALLBACKS.editProject, JSON.stringify({ projectId: "not-a-uuid" })],
    ];
    for (const [callbackId, privateMetadata] of forged) {
      const res = await slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.billing.slackUserId!,
        callbackId,
        privateMetadata,
        values: submitted(view, { name: "Hacked SL" }),
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.json())).toMatch(
        /This form is out of date: run `\/cobro (client|project)` again./,
      );
    }
    const [row] = await s.db.select().from(clients).where(eq(clients.id, s.client.id));
    expect(row?.name).toBe("Globex Ibérica SL");
  });
});
