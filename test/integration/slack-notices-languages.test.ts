// Cobro's own notices in the reader's language: the `/cobro about` footer (the declaración itself
// stays the Spanish legal text) and the question to billing about a send whose outcome is unknown
// (posted in the billing channel, so in the workspace's language).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  claimDelivery,
  createSlackSender,
  deliveryQuestionHandler,
  fixedBotToken,
} from "../../src/delivery/index.ts";
import { DECLARACION_TITLE } from "../../src/domain/declaracion-responsable.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { SLACK_API_URL } from "../helpers/slack-api.ts";

const slack = useSlackTestApp();
const { api } = slack;

const READERS = [
  {
    locale: "es" as const,
    slackLocale: "es-ES",
    about: "También en docs/declaracion-responsable.md de esta versión.",
    question: "Cobro se detuvo mientras enviaba el correo de la factura F-2026-0042 a ap@globex.example",
    buttons: ["Enviar de nuevo", "Ha llegado"],
  },
  {
    locale: "fr" as const,
    slackLocale: "fr-FR",
    about: "Également dans docs/declaracion-responsable.md de cette version.",
    question: "Cobro s’est arrêté en envoyant l’e-mail de la facture F-2026-0042 à ap@globex.example",
    buttons: ["Renvoyer", "Il est arrivé"],
  },
  {
    locale: "en" as const,
    slackLocale: "en-US",
    about: "Also in docs/declaracion-responsable.md of this version.",
    question: "Cobro stopped while sending the e-mail about invoice F-2026-0042 to ap@globex.example",
    buttons: ["Send again", "It arrived"],
  },
];

describe(`Cobro's notices in the reader's language on ${backend()}`, () => {
  it.each(READERS)("/cobro about speaks $slackLocale around the Spanish declaration", async (reader) => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const member = await createMember(db, workspace.id);
    api.slackUser(member.slackUserId!, { locale: reader.slackLocale });
    await slack.app.command({
      teamId: workspace.slackTeamId!,
      userId: member.slackUserId!,
      command: "/cobro",
      text: "about",
    });
    await api.waitFor("hook");
    const blocks = JSON.stringify(api.hooks()[0]?.body.blocks);
    expect(blocks).toContain(DECLARACION_TITLE);
    expect(blocks).toContain(reader.about);
  });

  it.each(READERS)(
    "the question about an unknown send reaches billing in the workspace's language ($locale)",
    async (reader) => {
      const db = slack.database.db;
      const workspace = await createWorkspace(db, { locale: reader.locale });
      const client = await createClient(db, workspace.id);
      const invoice = await createIssuedInvoice(db, workspace.id, client.id, { number: "F-2026-0042" });
      const deliveryId = await claimDelivery(db, {
        workspaceId: workspace.id,
        kind: "email",
        dedupeKey: `invoice-email:${invoice.id}`,
        invoiceId: invoice.id,
        payload: { to: ["ap@globex.example"] },
      });
      await db.update(deliveries).set({ status: "unknown" }).where(eq(deliveries.id, deliveryId!));
      const sender = createSlackSender({
        db,
        now: () => new Date("2026-11-23T09:00:00Z"),
        botToken: fixedBotToken("xoxb-test"),
        apiUrl: SLACK_API_URL,
        channelIntervalMs: 0,
      });
      const ask = deliveryQuestionHandler(sender, db);
      await ask({ workspaceId: workspace.id, payload: { deliveryId } } as never);
      const [posted] = api.calls("chat.postMessage");
      expect(posted?.body.channel).toBe("CBILLING");
      expect(String(posted?.body.text)).toContain(reader.question);
      const blocks = JSON.stringify(posted?.body.blocks);
      expect(blocks).toContain(reader.question.replace("Cobro", ":grey_question: Cobro"));
      for (const label of reader.buttons) expect(blocks).toContain(`"text":"${label}"`);
    },
  );
});
