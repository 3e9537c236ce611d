// Two refusals a first week meets, said in the reader's Slack language over signed HTTP (they were in
// English whatever the language): /cobro link typed in a direct message, and an /aging debtor's payment
// in a currency the client owes nothing in.
import { describe, expect, it } from "vitest";
import { COLLECTION_CALLBACKS, COLLECTION_FIELDS } from "../../src/collections/slack/collections-view.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createMember, createProject, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

/** A workspace in English and an admin and collector whose Slack speaks `locale` (`seen`: Cobro knows it already). */
async function team(locale: string, seen?: "es" | "fr") {
  const db = slack.database.db;
  const ws = await createWorkspace(db);
  const member = await createMember(db, ws.id, {
    roles: ["admin", "collector"],
    slackLanguage: seen ?? null,
  });
  api.slackUser(member.slackUserId as string, { locale });
  const client = await createClient(db, ws.id, { name: "Editorial Ñandú SA", currency: "EUR" });
  await createProject(db, ws.id, client.id, { code: "p11" });
  return { teamId: ws.slackTeamId as string, userId: member.slackUserId as string, client };
}

describe(`refusals in the reader's language on ${backend()}`, () => {
  it("/cobro link in a direct message says where to run it, in Spanish", async () => {
    const s = await team("es-ES");
    await slack.app.command({ ...s, command: "/cobro", text: "link p11", channelId: "D0DIRECT1" });
    await api.waitFor("hook");
    expect(String(api.hooks()[0]?.body.text)).toContain(
      "Ejecuta `/cobro link &lt;proyecto&gt;` en un canal público o privado, no en un mensaje directo.",
    );
  });

  it("a payment in a currency the client owes nothing in is refused in French", async () => {
    // The modal it comes from asked Slack for their language when it opened.
    const s = await team("fr-FR", "fr");
    const refused = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.userId,
      callbackId: COLLECTION_CALLBACKS.clientPayment,
      privateMetadata: JSON.stringify({ c: s.client.id, x: "USD" }),
      values: {
        [COLLECTION_FIELDS.amount.block]: { value: { type: "plain_text_input", value: "100" } },
        [COLLECTION_FIELDS.paidOn.block]: { value: { type: "datepicker", selected_date: "2026-11-20" } },
      },
    });
    expect(refused.json()).toEqual({
      response_action: "errors",
      errors: {
        [COLLECTION_FIELDS.amount.block]:
          "Editorial Ñandú SA n’a aucune facture ouverte en USD : rien à quoi affecter ce paiement.",
      },
    });
  });
});
