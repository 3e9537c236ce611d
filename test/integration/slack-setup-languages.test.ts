// The setup modal speaks its reader's language (labels, options, refusals), and a submission whose
// private_metadata or option values Cobro never wrote is refused, saving nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { workspaces } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import { createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

const text = (value: string) => ({ value: { type: "plain_text_input", value } });
const picked = (type: string, value: string) => ({ value: { type, selected_option: { value } } });
const users = (...ids: string[]) => ({ value: { type: "multi_users_select", selected_users: ids } });

function values(admin: string, overrides: Record<string, Record<string, unknown>> = {}) {
  return {
    billing_channel: { value: { type: "conversations_select", selected_conversation: "CFACT1" } },
    collections_channel: { value: { type: "conversations_select", selected_conversation: "CRECO1" } },
    time_zone: text("Europe/Paris"),
    base_currency: text("EUR"),
    locale: picked("static_select", "fr"),
    seller_legal_name: text("Atelier Dupont SARL"),
    seller_address_line1: text("12 rue de la Paix"),
    seller_postcode: text("75002"),
    seller_city: text("Paris"),
    seller_country: text("FR"),
    seller_vat_id: text(""),
    seller_siren: text(""),
    seller_nif: text(""),
    seller_iban: text(""),
    auto_issue: picked("radio_buttons", "wait"),
    monthly_statements: picked("radio_buttons", "manual"),
    role_admin: users(admin),
    role_billing: users(),
    role_collector: users(),
    role_approver: users(),
    role_pm: users(),
    ...overrides,
  };
}

describe(`the setup modal in the reader's language on ${backend()}`, () => {
  it("opens in French for a French admin, refuses bad fields in French, and saves good ones", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "en" });
    const teamId = ws.slackTeamId as string;
    const admin = await createMember(db, ws.id, { roles: ["admin"] });
    const userId = admin.slackUserId as string;
    api.slackUser(userId, { locale: "fr-FR" });

    await slack.app.command({ teamId, userId, command: "/cobro", text: "setup" });
    await api.waitFor("views.update");
    const view = api.calls("views.update")[0]?.body.view as {
      title: { text: string };
      submit: { text: string };
    };
    const json = JSON.stringify(view);
    expect(view.title.text).toBe("Réglages de Cobro");
    expect(view.submit.text).toBe("Enregistrer");
    for (const words of [
      "Canal de facturation",
      "Fuseau horaire",
      "Raison sociale",
      "Émettre et envoyer la facture aussitôt",
      "Chargés de recouvrement",
      "Les personnes sans rôle ne peuvent utiliser que",
    ]) {
      expect(json).toContain(words);
    }
    expect(json).not.toContain("Billing channel");

    const bad = await slack.app.viewSubmission({
      teamId,
      userId,
      callbackId: "cobro_setup",
      values: values(userId, { time_zone: text("Mars/Olympus"), role_admin: users() }),
    });
    expect(bad.json()).toEqual({
      response_action: "errors",
      errors: {
        time_zone: "Indiquez un fuseau horaire comme Europe/Paris ou America/New_York.",
        role_admin: "Gardez au moins un administrateur.",
      },
    });

    const good = await slack.app.viewSubmission({
      teamId,
      userId,
      callbackId: "cobro_setup",
      values: values(userId),
    });
    expect(JSON.stringify(good.json())).toContain("Réglages enregistrés.");
    const [saved] = await db.select().from(workspaces).where(eq(workspaces.id, ws.id));
    expect(saved).toMatchObject({ locale: "fr", billingChannelId: "CFACT1", timeZone: "Europe/Paris" });
  });

  it("refuses a garbled or altered private_metadata, and an option the modal never offered, saving nothing", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "es", timeZone: "Europe/Madrid" });
    const teamId = ws.slackTeamId as string;
    const admin = await createMember(db, ws.id, { roles: ["admin"] });
    const userId = admin.slackUserId as string;
    const submit = (privateMetadata: string, overrides = {}) =>
      slack.app.viewSubmission({
        teamId,
        userId,
        callbackId: "cobro_setup",
        privateMetadata,
        values: values(userId, overrides),
      });

    for (const metadata of ['{"channelId":"C1', '{"channelId":"C123","workspaceId":"another"}', "[]"]) {
      const refused = await submit(metadata);
      expect(refused.status).toBe(200);
      expect(refused.json()).toMatchObject({ response_action: "update" });
      expect(JSON.stringify(refused.json())).toContain(
        "Este formulario se ha alterado o está desactualizado, así que no se ha guardado nada: vuelve a abrir `/cobro setup`.",
      );
    }

    const forged = await submit('{"channelId":"C123"}', {
      auto_issue: picked("radio_buttons", "issue_twice"),
      locale: picked("static_select", "de"),
    });
    expect(forged.json()).toEqual({
      response_action: "errors",
      errors: {
        auto_issue: "Elige una de las opciones que se muestran.",
        locale: "Elige inglés, francés o español.",
      },
    });
    const [unchanged] = await db.select().from(workspaces).where(eq(workspaces.id, ws.id));
    expect(unchanged).toMatchObject({
      locale: "es",
      timeZone: "Europe/Madrid",
      billingChannelId: ws.billingChannelId,
    });
  });
});
