// Refusals in the reader's language over signed Slack requests: the Edit draft modal's field errors
// (an amount with too many decimals), why Issue & send all left a draft out (the client's missing
// tax id), an empty milestone pick, and an issued invoice that can no longer be edited.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices } from "../../src/db/schema/index.ts";
import { ACTIONS, CALLBACKS, draftLineField, encodeInvoiceValue, FIELDS } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

const READERS = [
  {
    language: "es" as const,
    decimals: "EUR tiene 2 decimales",
    description: "Escribe una descripción.",
    issued: "0 de 1 factura emitida y enviada.",
    missing: "Faltan datos de este cliente para una factura legal: el NIF o número de IVA.",
    pick: "Elige un hito.",
    vatUnknown: "Cobro no puede elegir el IVA de la línea 1: aún no consta el país de tu empresa.",
    alreadyIssued: "ya está emitida y no se puede editar: corrígela con una factura rectificativa.",
  },
  {
    language: "fr" as const,
    decimals: "EUR a 2 décimales",
    description: "Saisissez une description.",
    issued: "0 sur 1 facture émise et envoyée.",
    missing:
      "Les coordonnées de ce client sont incomplètes pour une facture conforme : il manque le NIF ou numéro de TVA.",
    pick: "Choisissez un jalon.",
    vatUnknown:
      "Cobro ne peut pas choisir la TVA de la ligne 1 : le pays de votre entreprise n'est pas encore renseigné.",
    alreadyIssued: "est déjà émise et ne peut pas être modifiée : corrigez-la par un avoir.",
  },
  {
    language: "en" as const,
    decimals: "EUR has 2 decimals",
    description: "Write a description.",
    issued: "0 of 1 invoice issued and sent.",
    missing: "This client's details are incomplete for a legal invoice: NIF / VAT number missing.",
    pick: "Pick a milestone.",
    vatUnknown: "Cobro cannot choose the VAT of line 1: your company's country is not set yet.",
    alreadyIssued: "is already issued and cannot be edited: correct it with a credit note.",
  },
];

/** A PM marks a milestone done for a client without tax id: billing (speaking `language`) finds its draft. */
async function draftWithoutTaxId(language: "en" | "es" | "fr") {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { locale: "en" });
  const pm = await createMember(db, workspace.id, { roles: ["pm"], language });
  const billing = await createMember(db, workspace.id, { roles: ["billing"], language });
  const client = await createClient(db, workspace.id, { name: "Sin NIF SL", taxId: null, siren: null });
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });
  await createMilestone(db, workspace.id, project.id, { name: "Design phase", amountMinor: 500_000 });
  const teamId = workspace.slackTeamId!;
  await slack.app.command({
    teamId,
    userId: pm.slackUserId!,
    command: "/milestone",
    text: "done atlas design",
  });
  await api.waitFor("hook");
  const [draft] = await db.select().from(invoices).where(eq(invoices.projectId, project.id));
  api.reset();
  return { db, workspace, teamId, pm, billing, client, draft: draft! };
}

const lastHookText = () => String(api.hooks().at(-1)?.body.text);

describe(`refusals in the reader's language on ${backend()}`, () => {
  it.each(READERS)(
    "a milestone done before the company's country is known says what to do in $language",
    async (reader) => {
      const db = slack.database.db;
      // Imported before /cobro setup: no seller identity, so no country and no default VAT.
      const workspace = await createWorkspace(db, { locale: "en", seller: null });
      const pm = await createMember(db, workspace.id, { roles: ["pm"], language: reader.language });
      const client = await createClient(db, workspace.id, { name: "Nube Cliente SL" });
      const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });
      await createMilestone(db, workspace.id, project.id, { name: "Design phase", amountMinor: 500_000 });
      api.reset();
      await slack.app.command({
        teamId: workspace.slackTeamId!,
        userId: pm.slackUserId!,
        command: "/milestone",
        text: "done atlas design",
      });
      await api.waitFor("hook");
      expect(lastHookText()).toContain(reader.vatUnknown);
      expect(lastHookText()).toContain("/cobro setup");
    },
  );

  it.each(READERS)("Edit draft and Issue & send all refuse in $language", async (reader) => {
    const s = await draftWithoutTaxId(reader.language);
    const billing = s.billing.slackUserId!;
    await slack.app.action({
      teamId: s.teamId,
      userId: billing,
      actionId: ACTIONS.editDraft,
      value: encodeInvoiceValue({ invoiceId: s.draft.id }),
    });
    await api.waitFor("views.update");
    const modal = api.calls("views.update")[0]?.body.view as { private_metadata: string };
    const line = (key: "description" | "quantity" | "unitPrice" | "vatRate", value: string) => ({
      [draftLineField(0, key).block]: { value: { type: "plain_text_input", value } },
    });
    const bad = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: billing,
      callbackId: CALLBACKS.editDraft,
      privateMetadata: modal.private_metadata,
      values: {
        ...line("description", ""),
        ...line("quantity", "1"),
        ...line("unitPrice", "12.345"),
        ...line("vatRate", "21"),
      },
    });
    const { errors } = bad.json() as { errors: Record<string, string> };
    expect(errors[draftLineField(0, "unitPrice").block]).toContain(reader.decimals);
    expect(errors[draftLineField(0, "description").block]).toBe(reader.description);

    await slack.app.action({
      teamId: s.teamId,
      userId: billing,
      actionId: "billing_issue_send_all",
      value: s.draft.id,
    });
    await api.waitFor("hook");
    expect(lastHookText()).toContain(reader.issued);
    expect(lastHookText()).toContain(reader.missing);
  });

  it.each(READERS)(
    "an empty milestone pick and an issued invoice's Edit refuse in $language",
    async (reader) => {
      const s = await draftWithoutTaxId(reader.language);
      const pick = await slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.pm.slackUserId!,
        callbackId: "milestone_pick",
        values: {},
      });
      expect(pick.json()).toEqual({
        response_action: "errors",
        errors: { [FIELDS.milestone.block]: reader.pick },
      });

      const issued = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, { number: "F-2026-0007" });
      await slack.app.action({
        teamId: s.teamId,
        userId: s.billing.slackUserId!,
        actionId: ACTIONS.editDraft,
        value: encodeInvoiceValue({ invoiceId: issued.id }),
      });
      await api.waitFor("views.update");
      const refusal = JSON.stringify(api.calls("views.update")[0]?.body.view);
      expect(refusal).toContain(`F-2026-0007 ${reader.alreadyIssued}`);
    },
  );

  it.each([
    {
      language: "es" as const,
      noProject: "Ningún proyecto coincide con «nada».",
      ambiguous: "«at» coincide con 2 proyectos (ATLAS, ATOM): usa el código del proyecto.",
      badName:
        "El nombre del hito contiene un carácter de cambio de dirección del texto (U+202A–U+202E o U+2066–U+2069)",
    },
    {
      language: "fr" as const,
      noProject: "Aucun projet ne correspond à « nada ».",
      ambiguous: "« at » correspond à 2 projets (ATLAS, ATOM) : utilisez le code du projet.",
      badName:
        "Le nom du jalon contient un caractère d’inversion du sens du texte (U+202A–U+202E ou U+2066–U+2069)",
    },
  ])(
    "a project not found or ambiguous and a disguised milestone name refuse in $language",
    async (reader) => {
      const db = slack.database.db;
      const workspace = await createWorkspace(db, { locale: "en" });
      const pm = await createMember(db, workspace.id, { roles: ["pm"], language: reader.language });
      const client = await createClient(db, workspace.id, { name: "Globex" });
      await createProject(db, workspace.id, client.id, { code: "ATLAS", name: "Atlas", pmMemberId: pm.id });
      await createProject(db, workspace.id, client.id, { code: "ATOM", name: "Atom", pmMemberId: pm.id });
      const command = async (text: string) => {
        api.reset();
        await slack.app.command({
          teamId: workspace.slackTeamId!,
          userId: pm.slackUserId!,
          command: "/milestone",
          text,
        });
        await api.waitFor("hook");
        return lastHookText();
      };
      expect(await command("list nada")).toContain(reader.noProject);
      expect(await command("list at")).toContain(reader.ambiguous);
      expect(await command('add ATLAS "Design\u202E" 5000')).toContain(reader.badName);
    },
  );
});
