// The collections modals over signed HTTP speak their reader's language (their Slack locale from
// users.info): Promise to pay, Pause, Dispute and Record payment open with their title, labels and
// buttons in Spanish, French or English, refuse a bad submission in it, and say what was done in it;
// so do the client payment and Send reminder of an /aging drill-down.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  COLLECTION_ACTIONS,
  COLLECTION_CALLBACKS,
  COLLECTION_FIELDS,
} from "../../src/collections/slack/collections-view.ts";
import { invoiceCollections, payments } from "../../src/db/schema/index.ts";
import {
  AGING_ACTIONS,
  CALLBACKS,
  encodeAgingMenuValue,
  encodeAgingState,
  encodeInvoiceValue,
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
import { debtorMenuChoice, postBlockAction } from "../helpers/slack-payloads.ts";

const slack = useSlackTestApp();
const { api } = slack;

const NNBSP = "\u202f";
const NBSP = "\u00a0";

type View = {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit?: { text: string };
  close?: { text: string };
  blocks: unknown[];
};

// Each reader's words for the same four modals; today is 23 November 2026, the invoice 1,200.00 EUR.
const SPEAKERS = [
  {
    slackLocale: "fr-FR",
    workspaceLocale: "es",
    promise: {
      frame: ["Promesse de paiement", "Enregistrer", "Annuler"],
      words: [
        "Le client a promis de payer au plus tard le",
        "Les relances de *{n}* attendent jusqu’à cette date",
      ],
      refused: "La date promise doit se situer entre aujourd’hui et dans 90 jours.",
      saved: ":white_check_mark: Promesse enregistrée : les relances de {n} attendent jusqu’au 15 déc. 2026.",
    },
    pause: {
      frame: ["Suspendre les relances", "Suspendre", "Annuler"],
      words: ["Suspendre jusqu’au", "Motif", "Aucune relance ne part pour *{n}*"],
      refused: "Choisissez une date entre aujourd’hui et dans 180 jours.",
      saved: "Les relances de {n} sont suspendues jusqu’au 30 nov. 2026 inclus.",
    },
    dispute: {
      frame: ["Contestation", "Marquer contestée", "Annuler"],
      words: [
        "Que conteste le client ?",
        "Les relances de *{n}* s’arrêtent et le chef de projet est prévenu.",
      ],
      refused: "Ce bouton n’est plus à jour : utilisez le message le plus récent.",
      saved: ":no_entry: {n} est marquée contestée : les relances sont arrêtées.",
    },
    payment: {
      frame: ["Saisir un paiement", "Enregistrer", "Annuler"],
      words: [`*{n}* : 1${NNBSP}200,00${NBSP}€ dû.`, "Montant reçu (EUR)", "Reçu le", "Référence bancaire"],
      refused:
        "« lots » n’est pas un montant (caractères ou séparateurs inattendus) ; écrivez-le comme 1234.56.",
      tooMuch: `5${NNBSP}000,00${NBSP}€ dépasse les 1${NNBSP}200,00${NBSP}€ restant dus sur la facture {n}.`,
      saved: `200,00${NBSP}€ saisi sur {n} ; il reste 1${NNBSP}000,00${NBSP}€ à payer.`,
    },
    clientPayment: {
      words: [`*Acme SA* : 2 factures dues, 1${NNBSP}400,00${NBSP}€ au total.`, "Montant reçu (EUR)"],
      saved: `1${NNBSP}300,00${NBSP}€ de Acme SA saisi sur 2 factures, en commençant par l’échéance la plus ancienne.`,
    },
    reminder: ":email: La relance n° 1 part vers le client.",
    notNext:
      "La mise en demeure n’est pas encore l’étape suivante pour cette facture : les relances précédentes partent d’abord.",
    stopped: "Aucune relance envoyée : la facture {n} est contestée : réglez d’abord la contestation.",
  },
  {
    slackLocale: "es-ES",
    workspaceLocale: "fr",
    promise: {
      frame: ["Promesa de pago", "Guardar", "Cancelar"],
      words: ["El cliente se ha comprometido a pagar antes del", "Los recordatorios de *{n}* esperan"],
      refused: "La fecha prometida debe estar entre hoy y dentro de 90 días.",
      saved: ":white_check_mark: Promesa registrada: los recordatorios de {n} esperan hasta el 15 dic 2026.",
    },
    pause: {
      frame: ["Pausar recordatorios", "Pausar", "Cancelar"],
      words: ["Pausar hasta el", "Motivo", "No se envía ningún recordatorio de *{n}*"],
      refused: "Elige una fecha entre hoy y dentro de 180 días.",
      saved: "Los recordatorios de {n} quedan en pausa hasta el 30 nov 2026 incluido.",
    },
    dispute: {
      frame: ["Factura en disputa", "Marcar en disputa", "Cancelar"],
      words: [
        "¿Qué discute el cliente?",
        "Los recordatorios de *{n}* se detienen y se avisa al jefe de proyecto.",
      ],
      refused: "Este botón está desactualizado: usa el mensaje más reciente.",
      saved: ":no_entry: {n} queda marcada en disputa: los recordatorios se detienen.",
    },
    payment: {
      frame: ["Registrar cobro", "Registrar", "Cancelar"],
      words: [
        `*{n}*: 1200,00${NBSP}€ pendiente.`,
        "Importe recibido (EUR)",
        "Fecha de cobro",
        "Referencia bancaria",
      ],
      refused:
        "«lots» no es un importe (tiene caracteres o separadores inesperados); escríbelo así: 1234.56.",
      tooMuch: `5000,00${NBSP}€ es más que los 1200,00${NBSP}€ pendientes de la factura {n}.`,
      saved: `200,00${NBSP}€ registrado en {n}; siguen pendientes 1000,00${NBSP}€.`,
    },
    clientPayment: {
      words: [`*Acme SA*: 2 facturas pendientes, 1400,00${NBSP}€ en total.`, "Importe recibido (EUR)"],
      saved: `1300,00${NBSP}€ de Acme SA registrado en 2 facturas, empezando por el vencimiento más antiguo.`,
    },
    reminder: ":email: El recordatorio n.º 1 va de camino al cliente.",
    notNext:
      "El requerimiento formal aún no es el siguiente paso para esta factura: antes salen los recordatorios previos.",
    stopped:
      "No se ha enviado ningún recordatorio: la factura {n} está en disputa: resuelve primero la disputa.",
  },
  {
    slackLocale: "en-US",
    workspaceLocale: "fr",
    promise: {
      frame: ["Promise to pay", "Save", "Cancel"],
      words: ["The client promised to pay by", "Reminders for *{n}* wait until this date"],
      refused: "The promised date must be between today and 90 days from now.",
      saved: ":white_check_mark: Promise recorded: reminders for {n} wait until Dec 15, 2026.",
    },
    pause: {
      frame: ["Pause reminders", "Pause", "Cancel"],
      words: ["Pause until", "Why", "No reminder goes for *{n}*"],
      refused: "Pause until a date between today and 180 days from now.",
      saved: "Reminders for {n} are paused until Nov 30, 2026 inclusive.",
    },
    dispute: {
      frame: ["Dispute", "Mark disputed", "Cancel"],
      words: ["What does the client dispute?", "Reminders for *{n}* stop and the project manager is told."],
      refused: "This button is out of date: use the newest message.",
      saved: ":no_entry: {n} is marked disputed: reminders are stopped.",
    },
    payment: {
      frame: ["Record payment", "Record", "Cancel"],
      words: ["*{n}*: €1,200.00 open.", "Amount received (EUR)", "Received on", "Bank reference"],
      refused: '"lots" is not an amount (unexpected characters or separators); write it like 1234.56.',
      tooMuch: "€5,000.00 is more than the €1,200.00 still open on invoice {n}.",
      saved: "€200.00 recorded on {n}; €1,000.00 is still open.",
    },
    clientPayment: {
      words: ["*Acme SA*: 2 open invoices, €1,400.00 in all.", "Amount received (EUR)"],
      saved: "€1,300.00 from Acme SA recorded on 2 invoices, oldest due first.",
    },
    reminder: ":email: Reminder #1 is on its way to the client.",
    notNext: "The formal notice is not the next step for this invoice yet: the earlier reminders go first.",
    stopped: "No reminder sent: invoice {n} is disputed: resolve the dispute first.",
  },
] as const;

type Speaker = (typeof SPEAKERS)[number];

/** A workspace in another language, a collector whose Slack speaks theirs, a 1,200.00 EUR invoice 53 days late. */
async function scenario({ slackLocale, workspaceLocale }: Speaker) {
  const db = slack.database.db;
  const ws = await createWorkspace(db, { locale: workspaceLocale });
  const member = await createMember(db, ws.id, { roles: ["collector"] });
  const userId = member.slackUserId as string;
  api.slackUser(userId, { locale: slackLocale });
  const client = await createClient(db, ws.id, { name: "Acme SA" });
  const invoice = await createIssuedInvoice(db, ws.id, client.id, {
    totalMinor: 120_000,
    dueDate: "2026-10-01",
  });
  const number = invoice.number as string;
  return { db, workspaceId: ws.id, teamId: ws.slackTeamId as string, userId, client, invoice, number };
}

type Scenario = Awaited<ReturnType<typeof scenario>>;

/** Clicks an alert's button and returns the modal it fills once loaded. */
async function openModal(s: Scenario, actionId: string): Promise<View> {
  const before = api.calls("views.update").length;
  await slack.app.action({
    teamId: s.teamId,
    userId: s.userId,
    actionId,
    value: encodeInvoiceValue({ invoiceId: s.invoice.id }),
  });
  await api.waitFor("views.update", before + 1);
  return api.calls("views.update")[before]?.body.view as View;
}

const field = (block: { block: string }, value: Record<string, unknown>) => ({ [block.block]: { value } });
const date = (selected_date: string) => ({ type: "datepicker", selected_date });
const typed = (value: string) => ({ type: "plain_text_input", value });

function submit(s: Scenario, callbackId: string, values: Record<string, unknown>, privateMetadata?: string) {
  return slack.app.viewSubmission({
    teamId: s.teamId,
    userId: s.userId,
    callbackId,
    privateMetadata: privateMetadata ?? encodeInvoiceValue({ invoiceId: s.invoice.id }),
    values: values as Record<string, Record<string, Record<string, unknown>>>,
  });
}

function expectModal(
  view: View,
  words: { frame: readonly string[]; words: readonly string[] },
  number: string,
) {
  const [title, submitText, close] = words.frame;
  expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([title, submitText, close]);
  const blocks = JSON.stringify(view.blocks);
  for (const w of words.words) expect(blocks).toContain(w.replace("{n}", number));
}

/** The confirmation that replaces a saved modal: its text, under the modal's title. */
function confirmation(response: { json: () => unknown }): { title: string; text: string } {
  const body = response.json() as { response_action: string; view: View };
  expect(body.response_action).toBe("update");
  return { title: body.view.title.text, text: JSON.stringify(body.view.blocks) };
}

describe(`collections modals in the reader's language over signed HTTP on ${backend()}`, () => {
  it.each(SPEAKERS)("the buttons' refusals speak $slackLocale", async (speaker: Speaker) => {
    const s = await scenario(speaker);
    const click = async (actionId: string) => {
      const before = api.hooks().length;
      const value = encodeInvoiceValue({ invoiceId: s.invoice.id });
      await slack.app.action({ teamId: s.teamId, userId: s.userId, actionId, value });
      await api.waitFor("hook", before + 1);
      return String(api.hooks()[before]?.body.text);
    };
    expect(await click(COLLECTION_ACTIONS.approveFormal)).toContain(speaker.notNext);
    const dispute = await openModal(s, COLLECTION_ACTIONS.dispute);
    await submit(
      s,
      COLLECTION_CALLBACKS.dispute,
      field(COLLECTION_FIELDS.reason, typed("Hours")),
      dispute.private_metadata,
    );
    expect(await click(COLLECTION_ACTIONS.sendReminderNow)).toContain(
      speaker.stopped.replace("{n}", s.number),
    );
  });

  it.each(SPEAKERS)(
    "Promise to pay speaks $slackLocale: form, refusal, confirmation",
    async (speaker: Speaker) => {
      const s = await scenario(speaker);
      const view = await openModal(s, COLLECTION_ACTIONS.promiseToPay);
      expect(view.callback_id).toBe(COLLECTION_CALLBACKS.promiseToPay);
      expectModal(view, speaker.promise, s.number);

      const tooLate = await submit(
        s,
        COLLECTION_CALLBACKS.promiseToPay,
        field(COLLECTION_FIELDS.promisedOn, date("2027-06-01")),
      );
      expect(tooLate.json()).toEqual({
        response_action: "errors",
        errors: { [COLLECTION_FIELDS.promisedOn.block]: speaker.promise.refused },
      });
      const saved = confirmation(
        await submit(
          s,
          COLLECTION_CALLBACKS.promiseToPay,
          field(COLLECTION_FIELDS.promisedOn, date("2026-12-15")),
        ),
      );
      expect(saved.title).toBe(speaker.promise.frame[0]);
      expect(saved.text).toContain(speaker.promise.saved.replace("{n}", s.number));
      const [row] = await s.db
        .select()
        .from(invoiceCollections)
        .where(eq(invoiceCollections.invoiceId, s.invoice.id));
      expect(row?.promisedOn).toBe("2026-12-15");
    },
  );

  it.each(SPEAKERS)("Pause speaks $slackLocale: form, refusal, confirmation", async (speaker: Speaker) => {
    const s = await scenario(speaker);
    expectModal(await openModal(s, COLLECTION_ACTIONS.pause), speaker.pause, s.number);
    const values = (until: string) => ({
      ...field(COLLECTION_FIELDS.until, date(until)),
      ...field(COLLECTION_FIELDS.reason, typed("Waiting for the PO")),
    });
    const past = await submit(s, COLLECTION_CALLBACKS.pause, values("2026-11-01"));
    expect(past.json()).toEqual({
      response_action: "errors",
      errors: { [COLLECTION_FIELDS.until.block]: speaker.pause.refused },
    });
    const saved = confirmation(await submit(s, COLLECTION_CALLBACKS.pause, values("2026-11-30")));
    expect(saved.text).toContain(speaker.pause.saved.replace("{n}", s.number));
    const [row] = await s.db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, s.invoice.id));
    expect(row?.pausedUntil).toBe("2026-11-30");
  });

  it.each(SPEAKERS)("Dispute speaks $slackLocale: form, refusal, confirmation", async (speaker: Speaker) => {
    const s = await scenario(speaker);
    expectModal(await openModal(s, COLLECTION_ACTIONS.dispute), speaker.dispute, s.number);
    const reason = field(COLLECTION_FIELDS.reason, typed("Hours not agreed"));
    const stale = await submit(s, COLLECTION_CALLBACKS.dispute, reason, "not-an-invoice");
    expect(stale.json()).toEqual({
      response_action: "errors",
      errors: { [COLLECTION_FIELDS.reason.block]: speaker.dispute.refused },
    });
    const saved = confirmation(await submit(s, COLLECTION_CALLBACKS.dispute, reason));
    expect(saved.text).toContain(speaker.dispute.saved.replace("{n}", s.number));
    const [row] = await s.db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, s.invoice.id));
    expect(row?.disputeReason).toBe("Hours not agreed");
  });

  it.each(SPEAKERS)(
    "Record payment speaks $slackLocale: form, refusals, confirmation",
    async (speaker: Speaker) => {
      const s = await scenario(speaker);
      expectModal(await openModal(s, COLLECTION_ACTIONS.recordPayment), speaker.payment, s.number);
      const values = (amount: string) => ({
        ...field(COLLECTION_FIELDS.amount, typed(amount)),
        ...field(COLLECTION_FIELDS.paidOn, date("2026-11-20")),
      });
      const refusal = async (amount: string) =>
        (
          (await submit(s, COLLECTION_CALLBACKS.recordPayment, values(amount))).json() as {
            errors: Record<string, string>;
          }
        ).errors[COLLECTION_FIELDS.amount.block];
      expect(await refusal("lots")).toBe(speaker.payment.refused);
      expect(await refusal("5000")).toContain(speaker.payment.tooMuch.replace("{n}", s.number));
      const saved = confirmation(await submit(s, COLLECTION_CALLBACKS.recordPayment, values("200")));
      expect(saved.text).toContain(speaker.payment.saved.replace("{n}", s.number));
      const recorded = await s.db.select().from(payments).where(eq(payments.invoiceId, s.invoice.id));
      expect(recorded.map((p) => p.amountMinor)).toEqual([20_000]);
    },
  );

  it.each(SPEAKERS)(
    "an /aging debtor's payment and Send reminder speak $slackLocale",
    async (speaker: Speaker) => {
      const s = await scenario(speaker);
      await createIssuedInvoice(s.db, s.workspaceId, s.client.id, {
        totalMinor: 20_000,
        dueDate: "2026-11-30",
      });
      const state = { a: "2026-11-23", b: "due" as const };
      const menu = {
        type: "overflow",
        action_id: AGING_ACTIONS.invoiceMenu,
        block_id: `1|${encodeAgingState({ ...state, k: 2, n: 0 })}`,
        selected_option: {
          text: { type: "plain_text", text: "remind" },
          value: encodeAgingMenuValue({ verb: "remind", target: "invoice", id: s.invoice.id }),
        },
      };
      await postBlockAction(slack.app, s.teamId, menu, s.userId);
      await api.waitFor("hook");
      expect(api.hooks().at(-1)?.body.text).toBe(speaker.reminder);

      await postBlockAction(slack.app, s.teamId, debtorMenuChoice("pay", s.client.id, state), s.userId);
      await api.waitFor("views.open");
      const view = api.calls("views.open")[0]?.body.view as View;
      expect(view.callback_id).toBe(COLLECTION_CALLBACKS.clientPayment);
      expectModal(view, { frame: speaker.payment.frame, words: speaker.clientPayment.words }, s.number);
      const saved = confirmation(
        await submit(
          s,
          COLLECTION_CALLBACKS.clientPayment,
          {
            ...field(COLLECTION_FIELDS.amount, typed("1300")),
            ...field(COLLECTION_FIELDS.paidOn, date("2026-11-20")),
          },
          view.private_metadata,
        ),
      );
      expect(saved.text).toContain(speaker.clientPayment.saved);
    },
  );
});

// The reminder policy modal: its words, its refusals and its answer in the reader's language; the
// levels' keywords (due, email, slack, courteous, firm, formal) are the same in every language.
const POLICY_SPEAKERS = [
  {
    slackLocale: "fr-FR",
    workspaceLocale: "es",
    frame: ["Politique de relance", "Enregistrer", "Annuler"],
    words: [
      "Les relances pour *le client Globex* suivent *Par défaut (entreprises)* (la cadence intégrée de Cobro pour les clients professionnels).",
      "Nom de la politique",
      "Niveaux, un par ligne",
      "Au moins 3 relances avant la mise en demeure.",
      "`+N` : jours après le niveau précédent",
    ],
    tooSoon:
      "Cette politique de relance ne peut pas être utilisée : la mise en demeure doit être précédée d’au moins 3 relances.",
    unreadable: "Ligne 2 (« due+3 fax firm ») : le canal est email ou slack.",
    saved: ":white_check_mark: Enregistrée. Les relances la suivent dès le prochain passage.",
    inherited:
      "Les relances pour *le projet ATLAS · Atlas portal* suivent *Globex patience* (la politique de son client Globex).",
  },
  {
    slackLocale: "es-ES",
    workspaceLocale: "fr",
    frame: ["Recordatorios de cobro", "Guardar", "Cancelar"],
    words: [
      "Los recordatorios para *el cliente Globex* siguen *Predeterminada (empresas)* (la cadencia predeterminada de Cobro para los clientes empresa).",
      "Nombre de la política",
      "Niveles, uno por línea",
      "Al menos 3 recordatorios antes del requerimiento formal.",
      "`+N`: días después del nivel anterior",
    ],
    tooSoon:
      "Esta política de recordatorios no se puede usar: el requerimiento formal necesita al menos 3 recordatorios antes.",
    unreadable: "Línea 2 («due+3 fax firm»): el canal es email o slack.",
    saved: ":white_check_mark: Guardada. Los recordatorios la siguen desde la próxima ejecución.",
    inherited:
      "Los recordatorios para *el proyecto ATLAS · Atlas portal* siguen *Globex patience* (la política de su cliente Globex).",
  },
] as const;

describe(`the reminder policy modal in the reader's language on ${backend()}`, () => {
  it.each(POLICY_SPEAKERS)("speaks $slackLocale: form, refusals, confirmation", async (speaker) => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: speaker.workspaceLocale });
    const teamId = ws.slackTeamId as string;
    const collector = await createMember(db, ws.id, { roles: ["collector"] });
    const userId = collector.slackUserId as string;
    api.slackUser(userId, { locale: speaker.slackLocale });
    const client = await createClient(db, ws.id, { name: "Globex", externalId: "C-GLOBEX" });
    await createProject(db, ws.id, client.id, { code: "ATLAS", name: "Atlas portal" });
    const open = async (text: string) => {
      const before = api.calls("views.update").length;
      await slack.app.command({ teamId, userId, command: "/cobro", text });
      await api.waitFor("views.update", before + 1);
      return api.calls("views.update")[before]?.body.view as View;
    };

    const view = await open("policy client globex");
    expectModal(view, speaker, "");
    const save = (levels: string, name = "") =>
      slack.app.viewSubmission({
        teamId,
        userId,
        callbackId: CALLBACKS.editPolicy,
        privateMetadata: view.private_metadata,
        values: {
          policy_name: { value: { type: "plain_text_input", value: name } },
          policy_levels: { value: { type: "plain_text_input", value: levels } },
        },
      });
    expect((await save("due+3 email courteous\n+7 email firm\n+10 email formal")).json()).toEqual({
      response_action: "errors",
      errors: { policy_levels: speaker.tooSoon },
    });
    const unreadable = (await save("due+3 email courteous\ndue+3 fax firm")).json();
    expect(unreadable).toEqual({ response_action: "errors", errors: { policy_levels: speaker.unreadable } });

    const saved = confirmation(
      await save("due+5 email courteous\n+7 email firm\n+7 slack firm\n+14 email formal", "Globex patience"),
    );
    expect(saved.title).toBe(speaker.frame[0]);
    expect(saved.text).toContain(speaker.saved);
    expect(JSON.stringify((await open("policy project atlas")).blocks)).toContain(speaker.inherited);
  });
});
