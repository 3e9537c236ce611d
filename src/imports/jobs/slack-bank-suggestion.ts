// Posts the card of a doubtful bank credit to the collections channel, once (the delivery claim).
import { contextFor, type ServiceDeps } from "../../context.ts";
import type { DeliveryHandler, SlackSender } from "../../delivery/index.ts";
import { systemActor } from "../../domain/permissions.ts";
import { BANK_SUGGESTION_PAYLOAD } from "../import-bank-statement.ts";
import { loadBankLine } from "../load-bank-line.ts";
import { buildBankSuggestionCard } from "../slack/bank-card-view.ts";

export function bankSlackHandlers(sender: SlackSender, deps: ServiceDeps): Record<string, DeliveryHandler> {
  return {
    [BANK_SUGGESTION_PAYLOAD]: async (delivery) => {
      const payload = delivery.payload as { bankLineId: string; channel: string };
      const line = await loadBankLine(contextFor(deps, delivery.workspaceId, systemActor("delivery")), {
        bankLineId: payload.bankLineId,
      });
      if (!line) return { skipped: "bank line gone" };
      // Settled from the App Home or the CLI before the card went out: nothing to ask.
      if (line.outcome !== "suggested" || !line.suggestion) return { skipped: `line is ${line.outcome}` };
      const card = buildBankSuggestionCard(line, line.suggestion, line.locale);
      const { ts } = await sender.postMessage(delivery.workspaceId, {
        channel: payload.channel,
        text: card.text,
        blocks: card.blocks,
      });
      return { channel: payload.channel, ts };
    },
  };
}
