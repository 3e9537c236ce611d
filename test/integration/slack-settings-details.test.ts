// The Invoicing details modal pushed from /cobro setup, over signed Slack requests.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { workspaces } from "../../src/db/schema/index.ts";
import { SETTING_KEYS, SETTINGS } from "../../src/domain/workspace-settings.ts";
import { ACTIONS, CALLBACKS } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import { createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

type InputBlock = {
  type: string;
  block_id?: string;
  label?: { text: string };
  hint?: { text: string };
  element?: { initial_value?: string };
};
type ModalJson = { callback_id: string; blocks: InputBlock[] };

async function scenario() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { settings: { agingEdges: [30, 60, 90, 120] } });
  const admin = await createMember(db, workspace.id, { roles: ["admin"] });
  const billing = await createMember(db, workspace.id, { roles: ["billing"] });
  return { db, workspace, teamId: workspace.slackTeamId!, admin, billing };
}

async function pushDetails(teamId: string, userId: string) {
  await slack.app.action({
    teamId,
    userId,
    actionId: ACTIONS.openSettingsDetails,
    value: "details",
    container: "view",
  });
  await api.waitFor("views.push");
  return api.calls("views.push")[0]!.body.view as ModalJson;
}

const state = (view: ModalJson, typed: Record<string, string>) =>
  Object.fromEntries(
    view.blocks
      .filter((b) => b.type === "input" && b.block_id)
      .map((b) => [
        b.block_id!,
        {
          value: { type: "plain_text_input", value: typed[b.block_id!] ?? b.element?.initial_value ?? null },
        },
      ]),
  );

describe(`Invoicing details from /cobro setup on ${backend()}`, () => {
  it("setup offers the details; they open over it with current values, refuse bad ones by field, and save", async () => {
    const s = await scenario();
    await slack.app.command({
      teamId: s.teamId,
      userId: s.admin.slackUserId!,
      command: "/cobro",
      text: "setup",
    });
    await api.waitFor("views.update");
    const setup = JSON.stringify(api.calls("views.update")[0]!.body.view);
    expect(setup).toContain(ACTIONS.openSettingsDetails);

    const view = await pushDetails(s.teamId, s.admin.slackUserId!);
    expect(view.callback_id).toBe(CALLBACKS.settingsDetails);
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual(SETTING_KEYS);
    expect(view.blocks.find((b) => b.block_id === "aging_edges")?.element?.initial_value).toBe(
      "30,60,90,120",
    );

    const submit = (typed: Record<string, string>) =>
      slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.admin.slackUserId!,
        callbackId: CALLBACKS.settingsDetails,
        values: state(view, typed),
      });
    const bad = await submit({ overdue_scan_hour: "25", bic: "BNP", jurisdiction: "FR" });
    expect(bad.json()).toEqual({
      response_action: "errors",
      errors: {
        overdue_scan_hour: "The overdue scan hour must be a whole hour between 0 and 23.",
        bic: "A BIC has 8 or 11 letters and digits, such as BNPAFRPPXXX.",
      },
    });
    const [untouched] = await s.db.select().from(workspaces).where(eq(workspaces.id, s.workspace.id));
    expect(untouched?.settings.jurisdiction).toBeUndefined();

    const good = await submit({
      overdue_scan_hour: "6",
      bic: "caixesbbxxx",
      jurisdiction: "es",
      aging_edges: "",
      trade_name: "Norte Consulting",
    });
    expect(good.json()).toMatchObject({ response_action: "update" });
    const [saved] = await s.db.select().from(workspaces).where(eq(workspaces.id, s.workspace.id));
    expect(saved?.settings).toMatchObject({ overdueScanHour: 6, jurisdiction: "ES" });
    expect(saved?.settings.agingEdges).toBeUndefined();
    expect(saved?.seller).toMatchObject({ bic: "CAIXESBBXXX", tradeName: "Norte Consulting" });
  });

  it("someone who is not admin is told so in the pushed view", async () => {
    const s = await scenario();
    await pushDetails(s.teamId, s.billing.slackUserId!);
    expect(JSON.stringify(api.calls("views.push")[0]!.body.view)).toContain(
      "Only a Cobro admin can change the settings and roles.",
    );
  });

  it.each([
    {
      slackLocale: "fr-FR",
      title: "Détails de facturation",
      words: [
        "Droit des retards de paiement",
        "Heure de l’analyse des impayés",
        "{YYYY} ou {YY} pour l’année, {NNNNN} pour le compteur",
        "Tolérance de frais bancaires",
        "TVA sur les débits (France)",
      ],
      saved: ":white_check_mark: Enregistré : Heure de l’analyse des impayés et Nom commercial.",
      refused: {
        overdue_scan_hour: "L’heure de l’analyse des impayés doit être une heure entière entre 0 et 23.",
        bic: "Un BIC compte 8 ou 11 lettres et chiffres, comme BNPAFRPPXXX.",
        trade_name: "Ne dépassez pas 200 caractères.",
        bank_fee_tolerance:
          "Indiquez un montant comme 2.50 ou une part comme 0.5 % (vous avez écrit « beaucoup »).",
      },
    },
    {
      slackLocale: "es-ES",
      title: "Detalles de facturación",
      words: [
        "Normativa de morosidad",
        "Hora de revisión de vencidas",
        "{YYYY} o {YY} para el año, {NNNNN} para el contador",
        "Tolerancia de comisiones bancarias",
        "Nombre comercial",
      ],
      saved: ":white_check_mark: Guardado: Hora de revisión de vencidas y Nombre comercial.",
      refused: {
        overdue_scan_hour: "La hora de revisión de vencidas debe ser una hora entera entre 0 y 23.",
        bic: "Un BIC tiene 8 u 11 letras y cifras, como CAIXESBBXXX.",
        trade_name: "No pases de 200 caracteres.",
        bank_fee_tolerance:
          "Escribe un importe como 2.50 o un porcentaje como 0.5% (has escrito «beaucoup»).",
      },
    },
  ])(
    "every setting's label, help and refusal speak $slackLocale, and so does the answer",
    async (speaker) => {
      const s = await scenario();
      api.slackUser(s.admin.slackUserId!, { locale: speaker.slackLocale });
      // The reader's Slack language is learnt on their first request (as /cobro setup is).
      await slack.app.command({
        teamId: s.teamId,
        userId: s.admin.slackUserId!,
        command: "/cobro",
        text: "setup",
      });
      await api.waitFor("views.update");
      const view = (await pushDetails(s.teamId, s.admin.slackUserId!)) as ModalJson & {
        title: { text: string };
      };
      expect(view.title.text).toBe(speaker.title);
      const json = JSON.stringify(view.blocks);
      for (const words of speaker.words) expect(json).toContain(words);
      // No setting keeps its English label or help (BIC is BIC everywhere).
      for (const key of SETTING_KEYS.filter((k) => k !== "bic")) {
        const block = view.blocks.find((b) => b.block_id === key);
        expect(block?.label?.text).not.toBe(SETTINGS[key].label);
        expect(block?.hint?.text).not.toBe(SETTINGS[key].help);
      }
      const refused = await slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.admin.slackUserId!,
        callbackId: CALLBACKS.settingsDetails,
        values: state(view, {
          overdue_scan_hour: "25",
          bic: "BNP",
          trade_name: "N".repeat(201),
          bank_fee_tolerance: "beaucoup",
        }),
      });
      expect(refused.json()).toEqual({ response_action: "errors", errors: speaker.refused });
      const saved = await slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.admin.slackUserId!,
        callbackId: CALLBACKS.settingsDetails,
        values: state(view, { trade_name: "Norte", overdue_scan_hour: "6" }),
      });
      expect(JSON.stringify(saved.json())).toContain(speaker.saved);
    },
  );
});
