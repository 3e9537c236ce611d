// Why Cobro paid, suggested or left a bank credit, in the reader's language: the App Home of a
// Spanish and a French collector in an English workspace, and the card and its answer in a Spanish
// and a French workspace, all over signed HTTP.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bankLines, deliveries } from "../../src/db/schema/index.ts";
import { createSlackSender, fixedBotToken } from "../../src/delivery/index.ts";
import { BANK_SUGGESTION_PAYLOAD, bankSlackHandlers, importBankStatement } from "../../src/imports/index.ts";
import { BANK_ACTIONS } from "../../src/imports/slack/bank-card-view.ts";
import { camt053 } from "../helpers/bank-statements.ts";
import { backend } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { SLACK_API_URL } from "../helpers/slack-api.ts";

const slack = useSlackTestApp();
const { api } = slack;

/** Intl's no-break spaces (in amounts, before "€" and a French ":") as plain ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

/** A workspace with two invoices of 300.00 open, and two credits: one of 300.00, one of 77.70. */
async function imported(locale: "en" | "es" | "fr") {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { locale });
  const client = await createClient(db, workspace.id, { name: "Initech Iberia SA" });
  for (const [number, dueDate] of [
    ["F-2026-0301", "2026-11-01"],
    ["F-2026-0302", "2026-11-15"],
  ] as const)
    await createIssuedInvoice(db, workspace.id, client.id, { number, totalMinor: 30_000, dueDate });
  await importBankStatement(testCtx(serviceDeps(db), workspace.id), {
    bytes: camt053([
      { amount: "300.00", payer: "INITECH IBERIA SA", ref: "R1", text: "TRANSFERENCIA NOVIEMBRE" },
      { amount: "77.70", payer: "Unknown Ltd", ref: "R2", text: "TRANSFERENCIA NOVIEMBRE" },
    ]),
    fileName: "s.xml",
  });
  return { db, workspace, teamId: workspace.slackTeamId as string };
}

async function openHome(teamId: string, userId: string) {
  api.reset();
  const res = await slack.app.event({
    teamId,
    event: { type: "app_home_opened", user: userId, tab: "home" },
  });
  expect(res.status).toBe(200);
  await api.waitFor("views.publish");
  return plain(JSON.stringify(api.calls("views.publish")[0]?.body.view));
}

const ENGLISH = {
  suggested: "no invoice named and the payer's IBAN is not known; 2 invoices have exactly €300.00 open",
  unmatched:
    "unknown payer: no invoice named in the text, the payer's IBAN is not known, and no invoice has exactly €77.70 open (from Unknown Ltd)",
};

describe(`a bank credit's reason in the reader's language on ${backend()}`, () => {
  it.each([
    {
      language: "es" as const,
      suggested:
        "no se menciona ninguna factura y no conocemos el IBAN del pagador; 2 facturas tienen exactamente 300,00 € pendientes",
      unmatched:
        "pagador desconocido: no se menciona ninguna factura en el concepto, no conocemos el IBAN del pagador y ninguna factura tiene exactamente 77,70 € pendientes (de Unknown Ltd)",
    },
    {
      language: "fr" as const,
      suggested:
        "aucune facture citée et l’IBAN du payeur est inconnu ; 2 factures ont exactement 300,00 € à régler",
      unmatched:
        "payeur inconnu : aucune facture citée dans le libellé, l’IBAN du payeur est inconnu, et aucune facture n’a exactement 77,70 € à régler (de Unknown Ltd)",
    },
  ])("a collector who reads $language sees why each credit waits in their App Home", async (reader) => {
    const { db, workspace, teamId } = await imported("en");
    const collector = await createMember(db, workspace.id, {
      roles: ["collector"],
      language: reader.language,
    });
    const english = await createMember(db, workspace.id, { roles: ["collector"], language: "en" });

    const home = await openHome(teamId, collector.slackUserId as string);
    expect(home).toContain(reader.suggested);
    expect(home).toContain(reader.unmatched);
    expect(home).not.toContain("unknown payer");
    expect(home).not.toContain("no invoice named");

    // The same lines, for an English-speaking colleague of the same workspace.
    const theirs = await openHome(teamId, english.slackUserId as string);
    expect(theirs).toContain(ENGLISH.suggested);
    expect(theirs).toContain(ENGLISH.unmatched);
  });

  it("a reason stored as English words before reasons were codes still shows, as written", async () => {
    const { db, workspace, teamId } = await imported("en");
    const collector = await createMember(db, workspace.id, { roles: ["collector"], language: "es" });
    await db
      .update(bankLines)
      .set({ reason: { code: "text", values: { text: "unknown payer: written by an older Cobro" } } })
      .where(and(eq(bankLines.workspaceId, workspace.id), eq(bankLines.bankRef, "R2")));
    const home = await openHome(teamId, collector.slackUserId as string);
    expect(home).toContain("unknown payer: written by an older Cobro");
  });

  it.each([
    {
      language: "es" as const,
      why: "Motivo: no se menciona ninguna factura y no conocemos el IBAN del pagador; 2 facturas tienen exactamente 300,00 € pendientes",
      settled: "cobro aplicado a F-2026-0301, confirmado por un gestor de cobro en Slack",
    },
    {
      language: "fr" as const,
      why: "Pourquoi : aucune facture citée et l’IBAN du payeur est inconnu ; 2 factures ont exactement 300,00 € à régler",
      settled: "règlement de F-2026-0301, confirmé par un chargé de recouvrement dans Slack",
    },
  ])("the card in a $language workspace says why, and what was done once confirmed", async (lang) => {
    const { db, workspace, teamId } = await imported(lang.language);
    const collector = await createMember(db, workspace.id, { roles: ["collector"], language: lang.language });
    const [card] = (
      await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))
    ).filter((d) => (d.payload as { type?: string }).type === BANK_SUGGESTION_PAYLOAD);
    const sender = createSlackSender({
      db,
      now: () => new Date("2026-11-23T09:00:00Z"),
      botToken: fixedBotToken("xoxb-test-token"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    api.reset();
    await bankSlackHandlers(sender, serviceDeps(db))[BANK_SUGGESTION_PAYLOAD]?.(card as never);
    const blocks = plain(JSON.stringify(api.calls("chat.postMessage")[0]?.body.blocks));
    expect(blocks).toContain(lang.why);
    expect(blocks).not.toContain("no invoice named");

    const [line] = await db
      .select()
      .from(bankLines)
      .where(and(eq(bankLines.workspaceId, workspace.id), eq(bankLines.bankRef, "R1")));
    await slack.app.action({
      teamId,
      userId: collector.slackUserId as string,
      actionId: BANK_ACTIONS.confirm,
      value: line?.id as string,
      channelId: "CCOLLECT",
    });
    await api.waitFor("hook", 1);
    const settled = plain(String(api.hooks()[0]?.body.text));
    expect(settled).toContain(lang.settled);
    expect(settled).not.toContain("confirmed by");
  });
});
