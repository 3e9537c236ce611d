import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bankLines, deliveries, invoices, payments } from "../../src/db/schema/index.ts";
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

const PAYER_IBAN = "FR7630006000011234567890189";

/** A camt.053.001.08 with credits that name no invoice, from one payer account. */
const statement = (credits: { amount: string; ref: string }[]) =>
  camt053(
    credits.map((c) => ({
      ...c,
      payer: "INITECH IBERIA SA",
      iban: PAYER_IBAN,
      text: "TRANSFERENCIA NOVIEMBRE",
    })),
  );

async function scenario(locale: "en" | "es" | "fr" = "en") {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { locale });
  const collector = await createMember(db, workspace.id, { roles: ["collector"], language: locale });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id, { name: "Initech Iberia SA" });
  const older = await createIssuedInvoice(db, workspace.id, client.id, {
    number: "F-2026-0301",
    totalMinor: 30_000,
    dueDate: "2026-11-01",
  });
  const newer = await createIssuedInvoice(db, workspace.id, client.id, {
    number: "F-2026-0302",
    totalMinor: 30_000,
    dueDate: "2026-11-15",
  });
  const deps = serviceDeps(db);
  await importBankStatement(testCtx(deps, workspace.id), {
    bytes: statement([
      { amount: "300.00", ref: "X1" },
      { amount: "300.00", ref: "X2" },
      { amount: "300.00", ref: "X3" },
    ]),
    fileName: "s.xml",
  });
  const lines = await db
    .select()
    .from(bankLines)
    .where(eq(bankLines.workspaceId, workspace.id))
    .orderBy(bankLines.bankRef);
  const cards = (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).filter(
    (d) => (d.payload as { type?: string }).type === BANK_SUGGESTION_PAYLOAD,
  );
  const state = async () =>
    Object.fromEntries(
      (await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).map((i) => [
        i.number,
        [i.status, i.openMinor],
      ]),
    );
  const teamId = workspace.slackTeamId as string;
  const click = (userId: string, actionId: string, value: string, select = false) =>
    slack.app.action({ teamId, userId, actionId, value, channelId: "CCOLLECT", select });
  return { db, workspace, collector, pm, older, newer, lines, cards, state, click };
}

const hookBodies = () => slack.api.hooks().map((h) => h.body);

describe(`a doubtful bank credit's card in Slack on ${backend()}`, () => {
  it("posts the candidates with Confirm, Pick another and Not ours; each settles the line once", async () => {
    const s = await scenario();
    expect(s.lines.map((l) => l.outcome)).toEqual(["suggested", "suggested", "suggested"]);
    expect(s.cards).toHaveLength(3);

    // The card as the queue worker posts it, through the real sender to the Slack stand-in.
    const sender = createSlackSender({
      db: s.db,
      now: () => new Date("2026-11-23T09:00:00Z"),
      botToken: fixedBotToken("xoxb-test-token"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    const post = bankSlackHandlers(sender, serviceDeps(s.db))[BANK_SUGGESTION_PAYLOAD];
    await post?.(s.cards[0] as never);
    const [posted] = slack.api.calls("chat.postMessage");
    expect(posted?.body.channel).toBe("CCOLLECT");
    expect(String(posted?.body.text)).toBe(
      "Bank credit of €300.00 from INITECH IBERIA SA on Nov 20, 2026: is it F-2026-0301 (€300.00)?",
    );
    const blocks = JSON.stringify(posted?.body.blocks);
    for (const shown of [
      "Confirm F-2026-0301 (€300.00)",
      "Pick another…",
      "Not ours",
      "F-2026-0302 · Initech Iberia SA · €300.00 open",
      "2 invoices have exactly €300.00 open",
    ])
      expect(blocks).toContain(shown);

    // A PM may not settle money; a collector confirms, and a double click pays once.
    await s.click(s.pm.slackUserId as string, BANK_ACTIONS.confirm, s.lines[0]?.id as string);
    await slack.api.waitFor("hook", 1);
    expect(String(hookBodies()[0]?.text)).toMatch(/not allowed|may not|only/i);
    await s.click(s.collector.slackUserId as string, BANK_ACTIONS.confirm, s.lines[0]?.id as string);
    await slack.api.waitFor("hook", 2);
    await s.click(s.collector.slackUserId as string, BANK_ACTIONS.confirm, s.lines[0]?.id as string);
    await slack.api.waitFor("hook", 3);
    expect(hookBodies()[1]).toMatchObject({ replace_original: true });
    expect(String(hookBodies()[1]?.text)).toContain("paid F-2026-0301, confirmed by a collector in Slack");
    expect(String(hookBodies()[2]?.text)).toContain("already settled");
    expect(await s.state()).toMatchObject({ "F-2026-0301": ["paid", 0], "F-2026-0302": ["issued", 30_000] });

    // Pick another: the second credit pays the newer invoice; the IBAN is now the client's.
    await s.click(
      s.collector.slackUserId as string,
      BANK_ACTIONS.pick,
      `${s.lines[1]?.id}:${s.newer.id}`,
      true,
    );
    await slack.api.waitFor("hook", 4);
    expect(String(hookBodies()[3]?.text)).toContain("paid F-2026-0302");
    expect(await s.state()).toMatchObject({ "F-2026-0302": ["paid", 0] });

    // Not ours: the third leaves the waiting list, nothing paid.
    await s.click(s.collector.slackUserId as string, BANK_ACTIONS.notOurs, s.lines[2]?.id as string);
    await slack.api.waitFor("hook", 5);
    const [third] = await s.db
      .select()
      .from(bankLines)
      .where(eq(bankLines.id, s.lines[2]?.id as string));
    expect(third?.outcome).toBe("dismissed");
    const paid = await s.db
      .select()
      .from(payments)
      .where(and(eq(payments.workspaceId, s.workspace.id)));
    expect(paid.map((p) => [p.amountMinor, p.method])).toEqual([
      [30_000, "transfer"],
      [30_000, "transfer"],
    ]);
  });

  it.each([
    {
      locale: "es" as const,
      text: "Abono bancario de 300,00 € de INITECH IBERIA SA el 20 nov 2026: ¿corresponde a F-2026-0301 (300,00 €)?",
      shown: [
        "Confirmar F-2026-0301 (300,00 €)",
        "Elegir otra…",
        "No es nuestro",
        "300,00 € pendiente",
        "Motivo: ",
      ],
      settled: "no es nuestro",
      outOfDate: "Esta tarjeta está desactualizada",
    },
    {
      locale: "fr" as const,
      text: "Crédit bancaire de 300,00 € de INITECH IBERIA SA le 20 nov. 2026 : s’agit-il de F-2026-0301 (300,00 €) ?",
      shown: [
        "Confirmer F-2026-0301 (300,00 €)",
        "Choisir une autre…",
        "Pas pour nous",
        "300,00 € dû",
        "Pourquoi : ",
      ],
      settled: "pas pour nous",
      outOfDate: "Cette carte n’est plus à jour",
    },
  ])("the card speaks the workspace's language ($locale), and so do its answers", async (lang) => {
    const s = await scenario(lang.locale);
    const sender = createSlackSender({
      db: s.db,
      now: () => new Date("2026-11-23T09:00:00Z"),
      botToken: fixedBotToken("xoxb-test-token"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    await bankSlackHandlers(sender, serviceDeps(s.db))[BANK_SUGGESTION_PAYLOAD]?.(s.cards[0] as never);
    const [posted] = slack.api.calls("chat.postMessage");
    expect(String(posted?.body.text).replaceAll("\u202f", " ").replaceAll("\u00a0", " ")).toBe(lang.text);
    const blocks = JSON.stringify(posted?.body.blocks).replaceAll("\u202f", " ").replaceAll("\u00a0", " ");
    for (const shown of lang.shown) expect(blocks).toContain(shown);

    await s.click(s.collector.slackUserId as string, BANK_ACTIONS.notOurs, "garbage");
    await slack.api.waitFor("hook", 1);
    expect(String(hookBodies()[0]?.text)).toContain(lang.outOfDate);
    await s.click(s.collector.slackUserId as string, BANK_ACTIONS.notOurs, s.lines[0]?.id as string);
    await slack.api.waitFor("hook", 2);
    expect(hookBodies()[1]).toMatchObject({ replace_original: true });
    expect(String(hookBodies()[1]?.text)).toContain(`: ${lang.settled} (<@${s.collector.slackUserId}>)`);
  });
});
