// Interactive payloads for elements the helpers in slack.ts do not cover: any block element
// (select, overflow, button with a block_id) and the options load of an external select.
import { randomUUID } from "node:crypto";
import {
  AGING_ACTIONS,
  type AgingState,
  encodeAgingMenuValue,
  encodeAgingState,
} from "../../src/slack/kit/ids.ts";
import type { SlackTestApp } from "./slack.ts";
import { RESPONSE_URL_BASE } from "./slack-api.ts";

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** A block_actions payload for one element of an ephemeral message in #finance. */
export function postBlockAction(
  app: SlackTestApp,
  teamId: string,
  element: Record<string, unknown>,
  userId = "UASKER",
) {
  return app.post(
    form({
      type: "block_actions",
      user: { id: userId, username: "asker", name: "asker", team_id: teamId },
      api_app_id: "ACOBRO",
      token: "legacy-verification-token",
      container: {
        type: "message",
        message_ts: "1700000000.000100",
        channel_id: "CFINANCE",
        is_ephemeral: true,
      },
      trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
      team: { id: teamId, domain: "acme" },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: "CFINANCE", name: "finance" },
      response_url: `${RESPONSE_URL_BASE}actions/${randomUUID()}`,
      actions: [{ action_ts: `${Date.now() / 1000}`, ...element }],
    }),
  );
}

/** The options an external select gets for the typed text: Slack's block_suggestion request. */
export async function postBlockSuggestion(
  app: SlackTestApp,
  input: { teamId: string; userId: string; actionId: string; blockId: string; value: string },
): Promise<{ options: { value: string; text: { text: string } }[] }> {
  const res = await app.post(
    form({
      type: "block_suggestion",
      user: { id: input.userId, username: "asker", name: "asker", team_id: input.teamId },
      team: { id: input.teamId, domain: "acme" },
      api_app_id: "ACOBRO",
      token: "legacy-verification-token",
      container: { type: "message", message_ts: "1700000000.000100", channel_id: "CFINANCE" },
      action_id: input.actionId,
      block_id: input.blockId,
      value: input.value,
    }),
  );
  return res.json() as { options: { value: string; text: { text: string } }[] };
}

/** A top debtor's overflow choice in an `/aging` report (Send reminder, Record payment, View invoices). */
export function debtorMenuChoice(verb: "remind" | "pay" | "invoices", clientId: string, state: AgingState) {
  return {
    type: "overflow",
    action_id: AGING_ACTIONS.debtorMenu,
    block_id: `1|${encodeAgingState(state)}`,
    selected_option: {
      text: { type: "plain_text", text: verb },
      value: encodeAgingMenuValue({ verb, target: "client", id: clientId }),
    },
  };
}

/** The rows of the table block of a message received (one table a message), as their cells' texts. */
export function tableRows(blocks: unknown): string[][] {
  const table = (blocks as { type: string; rows?: { text: string }[][] }[] | undefined)?.find(
    (b) => b.type === "table",
  );
  return table?.rows?.map((row) => row.map((cell) => cell.text)) ?? [];
}

/**
 * The drill-down's "Choose an invoice…" select as Slack sends it once an option is picked: taken
 * from the message received (its block_id, its option for `verb` on `invoiceId`), never built.
 */
export function invoiceChoice(blocks: unknown, verb: "remind" | "pay", invoiceId: string) {
  type Select = {
    type: string;
    action_id: string;
    option_groups: { options: { text: unknown; value: string }[] }[];
  };
  const block = (blocks as { type: string; block_id?: string; elements?: Select[] }[]).find(
    (b) => b.type === "actions" && b.elements?.some((e) => e.action_id === AGING_ACTIONS.invoiceMenu),
  );
  const select = block?.elements?.find((e) => e.action_id === AGING_ACTIONS.invoiceMenu);
  const value = encodeAgingMenuValue({ verb, target: "invoice", id: invoiceId });
  const picked = select?.option_groups.flatMap((g) => g.options).find((o) => o.value === value);
  if (!block || !select || !picked) throw new Error(`no "${verb}" choice for ${invoiceId} in the message`);
  return {
    type: select.type,
    action_id: select.action_id,
    block_id: block.block_id,
    selected_option: picked,
  };
}
