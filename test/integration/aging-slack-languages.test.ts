// /aging over signed HTTP speaks each reader's language (their Slack locale from users.info): the
// report, its drill-down, its answers, the CSV's header and the trend's title; a shared copy speaks
// the workspace's language. Spanish and French as-of keywords (`al`, `au`) work as `as-of` does.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clients } from "../../src/db/schema/index.ts";
import { AGING_ACTIONS, encodeAgingState } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { postBlockAction, tableRows } from "../helpers/slack-payloads.ts";

const slack = useSlackTestApp();
const { api } = slack;

// 12,345.67 open: 10,000.00 not yet due and 2,345.67 due 1 October (53 days late on 23 November).
const NNBSP = "\u202f";
const NBSP = "\u00a0";
const SPEAKERS = [
  {
    slackLocale: "es-ES",
    header: "Antigüedad de saldos · 23 nov 2026",
    debtor: `*1. Acme SA* (ACME)\\n12.345,67${NBSP}€ pendiente · 2345,67${NBSP}€ vencido · el más antiguo con 53 días (31-60)`,
    words: [
      "Al *23 nov 2026* · por fecha de vencimiento",
      "no vencido",
      "31-60 días ›",
      "Compartir en el canal",
    ],
    text: `Antigüedad de saldos al 23 nov 2026: 12.345,67${NBSP}€`,
  },
  {
    slackLocale: "fr-FR",
    header: "Balance âgée · 23 nov. 2026",
    debtor: `*1. Acme SA* (ACME)\\n12${NNBSP}345,67${NBSP}€ ouvert · 2${NNBSP}345,67${NBSP}€ échu · le plus ancien à 53 jours (31-60)`,
    words: ["Au *23 nov. 2026* · par date d’échéance", "non échu", "31-60 jours ›", "Partager dans le canal"],
    text: `Balance âgée au 23 nov. 2026 : 12${NNBSP}345,67${NBSP}€`,
  },
  {
    slackLocale: "en-US",
    header: "Aged receivables · Nov 23, 2026",
    debtor: "*1. Acme SA* (ACME)\\n€12,345.67 open · €2,345.67 overdue · oldest 53 days (31-60)",
    words: ["As of *Nov 23, 2026* · by due date", '"current"', "31-60 days ›", "Share in channel"],
    text: "Aged receivables as of Nov 23, 2026: €12,345.67",
  },
] as const;

/** A workspace (French unless said) with one debtor and a collector whose Slack speaks `slackLocale`. */
async function scenario(slackLocale: string, workspaceLocale: "en" | "es" | "fr" = "fr") {
  const ws = await createWorkspace(slack.database.db, { locale: workspaceLocale });
  const member = await createMember(slack.database.db, ws.id, { roles: ["collector"] });
  const userId = member.slackUserId as string;
  api.slackUser(userId, { locale: slackLocale });
  const client = await createClient(slack.database.db, ws.id, { externalId: "ACME", name: "Acme SA" });
  await createIssuedInvoice(slack.database.db, ws.id, client.id, {
    totalMinor: 1_000_000,
    dueDate: "2026-11-30",
  });
  await createIssuedInvoice(slack.database.db, ws.id, client.id, {
    totalMinor: 234_567,
    dueDate: "2026-10-01",
  });
  return { teamId: ws.slackTeamId as string, userId, clientId: client.id };
}

const lastHook = () => api.hooks().at(-1)?.body as { text: string; blocks?: unknown[] };

async function aging(s: { teamId: string; userId: string }, text: string) {
  await slack.app.command({ teamId: s.teamId, userId: s.userId, command: "/aging", text });
  await api.waitFor("hook");
  return lastHook();
}

const STATE = { a: "2026-11-23", b: "due" as const };

describe(`/aging in the reader's language over signed HTTP on ${backend()}`, () => {
  it.each(SPEAKERS)("answers a $slackLocale member in their language, money their way", async (speaker) => {
    // The workspace speaks French: the English and Spanish readers still get their own language.
    const s = await scenario(speaker.slackLocale);
    const reply = await aging(s, "");
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain(speaker.header);
    expect(blocks).toContain(speaker.debtor);
    for (const words of speaker.words) expect(blocks).toContain(words);
    expect(reply.text).toContain(speaker.text);
    expect(api.calls("users.info").every((c) => String(c.body.include_locale) === "true")).toBe(true);
  });

  it("a French member's drill-down click answers in French", async () => {
    const s = await scenario("fr-FR", "en");
    await postBlockAction(
      slack.app,
      s.teamId,
      {
        type: "button",
        action_id: `${AGING_ACTIONS.bucket}_2`,
        block_id: "b",
        value: encodeAgingState({ ...STATE, k: 2, n: 0 }),
      },
      s.userId,
    );
    await api.waitFor("hook");
    const blocks = JSON.stringify(lastHook().blocks);
    expect(blocks).toContain("31-60 jours après l’échéance · 23 nov. 2026");
    expect(blocks).toContain("page 1 sur 1 · 1 facture");
    expect(tableRows(lastHook().blocks)[0]).toEqual([
      "Facture",
      "Client",
      "Émission",
      "Échéance",
      "Jours de retard",
      "Reste dû",
    ]);
    expect(tableRows(lastHook().blocks)[1]?.slice(1)).toEqual([
      "Acme SA",
      "1 oct. 2026",
      "1 oct. 2026",
      "53",
      `2${NNBSP}345,67${NBSP}€`,
    ]);
    expect(lastHook().text).toContain(`Acme SA : 2${NNBSP}345,67${NBSP}€ ouvert, 53 jours de retard`);
    expect(blocks).toContain("Choisir une facture…");
    expect(blocks).toContain("Envoyer une relance");
    expect(blocks).toContain("Retour au résumé");
    expect(blocks).not.toMatch(/days|open ·|Back to summary/);
  });

  it("takes `/aging al <date>` from a Spanish member and `au` from a French one, as `as-of`", async () => {
    const es = await scenario("es-ES");
    const spanish = await aging(es, "ACME al 2026-10-31");
    expect(JSON.stringify(spanish.blocks)).toContain("Antigüedad de saldos · 31 oct 2026");
    expect(JSON.stringify(spanish.blocks)).toContain("cliente: Acme SA");
    // On 31 October the 2,345.67 was 30 days late: 1-30, and the 10,000.00 not yet due.
    expect(spanish.text).toContain(`no vencido: 10.000,00${NBSP}€, 1-30: 2345,67${NBSP}€`);

    api.reset();
    const fr = await scenario("fr-FR", "es");
    expect(JSON.stringify((await aging(fr, "au 2026-10-31")).blocks)).toContain(
      "Balance âgée · 31 oct. 2026",
    );

    api.reset();
    expect((await aging(es, "nadie")).text).toContain(
      'Ningún cliente, proyecto ni gestor de cobro coincide con "nadie"',
    );
    api.reset();
    expect((await aging(fr, "au 2026-12-01")).text).toContain("La date 2026-12-01 est dans le futur");

    api.reset();
    const wrong = await aging(es, "al 2026-02-30");
    expect(wrong.text).toContain('"2026-02-30" no es una fecha: escríbela como AAAA-MM-DD');
    expect(wrong.text).toContain("`/aging acme al 2026-03-31`");
  });

  it.each([
    {
      slackLocale: "es-ES",
      head: ["Factura", "Fecha", "Vencimiento", "Importe", "Pagado", "Pendiente", "Días de retraso"],
      late: ["1 oct 2026", "1 oct 2026", `2345,67${NBSP}€`, `0,00${NBSP}€`, `2345,67${NBSP}€`, "53"],
      total: ["Total pendiente (EUR)", `12.345,67${NBSP}€`],
      about: "el correo y su PDF van en inglés, el idioma del cliente",
      send: /^Enviar a ap-.*@client\.example$/,
      sent: /^:email: El extracto de cuenta de Acme SA va de camino a ap-/,
    },
    {
      slackLocale: "fr-FR",
      head: ["Facture", "Date", "Échéance", "Montant", "Payé", "Reste dû", "Jours de retard"],
      late: [
        "1 oct. 2026",
        "1 oct. 2026",
        `2${NNBSP}345,67${NBSP}€`,
        `0,00${NBSP}€`,
        `2${NNBSP}345,67${NBSP}€`,
        "53",
      ],
      total: ["Total restant dû (EUR)", `12${NNBSP}345,67${NBSP}€`],
      about: "l’e-mail et son PDF partent en anglais, la langue du client",
      send: /^Envoyer à ap-.*@client\.example$/,
      sent: /^:email: Le relevé de compte de Acme SA est en route vers ap-/,
    },
  ])("a $slackLocale member previews a statement and sends it in their language", async (speaker) => {
    const s = await scenario(speaker.slackLocale, "en");
    const value = encodeAgingState({ ...STATE, c: s.clientId });
    await postBlockAction(
      slack.app,
      s.teamId,
      { type: "button", action_id: AGING_ACTIONS.statement, block_id: "99|x", value },
      s.userId,
    );
    await api.waitFor("hook");
    const rows = tableRows(lastHook().blocks);
    expect(rows[0]).toEqual(speaker.head);
    expect(rows[1]?.slice(1)).toEqual(speaker.late);
    expect([rows.at(-1)?.[0], rows.at(-1)?.[5]]).toEqual(speaker.total);
    const json = JSON.stringify(lastHook().blocks);
    expect(json).toContain(speaker.about);
    expect(json).not.toMatch(/Statement of account|Send to|Total open/);
    const send = (lastHook().blocks as { elements?: { action_id: string; text: { text: string } }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === AGING_ACTIONS.statementSend);
    expect(send?.text.text).toMatch(speaker.send);

    api.reset();
    await postBlockAction(slack.app, s.teamId, { ...send, block_id: "p" }, s.userId);
    await api.waitFor("hook");
    expect(lastHook().text).toMatch(speaker.sent);
  });

  it.each([
    {
      slackLocale: "es-ES",
      refused:
        "Acme SA no tiene dirección de correo de facturación: añádela al cliente con `/cobro client` y vuelve a enviar el extracto.",
    },
    {
      slackLocale: "fr-FR",
      refused:
        "Acme SA n’a pas d’adresse e-mail de facturation : ajoutez-la au client avec `/cobro client`, puis renvoyez le relevé.",
    },
  ])(
    "a client's e-mail removed before Send: the $slackLocale answer says to add it in Slack",
    async (speaker) => {
      const s = await scenario(speaker.slackLocale, "en");
      const value = encodeAgingState({ ...STATE, c: s.clientId });
      await postBlockAction(
        slack.app,
        s.teamId,
        { type: "button", action_id: AGING_ACTIONS.statement, block_id: "99|x", value },
        s.userId,
      );
      await api.waitFor("hook");
      const send = (lastHook().blocks as { elements?: { action_id: string }[] }[])
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === AGING_ACTIONS.statementSend);
      await slack.database.db.update(clients).set({ emails: [] }).where(eq(clients.id, s.clientId));

      api.reset();
      await postBlockAction(slack.app, s.teamId, { ...send, block_id: "p" }, s.userId);
      await api.waitFor("hook");
      expect(lastHook().text).toContain(speaker.refused);
      expect(lastHook().text).not.toContain("--to");
    },
  );

  it("shares in the workspace's language and answers the sharer in theirs", async () => {
    const s = await scenario("es-ES", "fr");
    const value = encodeAgingState(STATE);
    await postBlockAction(
      slack.app,
      s.teamId,
      { type: "button", action_id: AGING_ACTIONS.share, block_id: "99|x", value },
      s.userId,
    );
    await api.waitFor("chat.postMessage");
    const posted = JSON.stringify(api.calls("chat.postMessage")[0]?.body);
    expect(posted).toContain("Balance âgée · 23 nov. 2026");
    expect(posted).toContain(`partagé par <@${s.userId}>`);
    expect(posted).not.toContain("Antigüedad");
    await api.waitFor("hook");
    expect(lastHook().text).toBe(":white_check_mark: Compartido en este canal.");
  });

  it("exports the CSV with its header in the reader's language, and titles the trend in it", async () => {
    const s = await scenario("es-ES", "en");
    const uploaded = api.acceptFileUploads();
    const value = encodeAgingState(STATE);
    const click = (action_id: string) =>
      postBlockAction(slack.app, s.teamId, { type: "button", action_id, block_id: "99|x", value }, s.userId);
    await click(AGING_ACTIONS.exportCsv);
    await api.waitFor("files.completeUploadExternal");
    expect(uploaded()).toContain(
      "id_cliente,cliente,moneda,no vencido,1-30,31-60,61-90,90+,total,max_dias_vencido,facturas",
    );
    expect(uploaded()).toContain("ACME,Acme SA,EUR,10000.00,0.00,2345.67,0.00,0.00,12345.67,53,2");
    const csv = JSON.stringify(api.calls("files.completeUploadExternal")[0]?.body);
    expect(csv).toContain("Antigüedad de saldos al 23 nov 2026 (1 saldo de cliente).");
    await api.waitFor("hook");
    expect(lastHook().text).toBe(":page_facing_up: El CSV está en tus mensajes directos con Cobro.");

    api.reset();
    api.acceptFileUploads();
    await click(AGING_ACTIONS.trend);
    await api.waitFor("files.completeUploadExternal");
    const trend = JSON.stringify(api.calls("files.completeUploadExternal")[0]?.body);
    expect(trend).toContain("Antigüedad de saldos a fin de mes, del 30 nov 2025 al 31 oct 2026 (EUR)");
    expect(trend).toContain(`31 oct 2026: no vencido 10.000,00${NBSP}€, 1-30 2345,67${NBSP}€`);
    await api.waitFor("hook");
    expect(lastHook().text).toContain("La evolución de 12 meses está en tus mensajes directos");
  });
});
