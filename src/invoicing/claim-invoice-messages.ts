// Claims the Slack posts of an invoice's message in the billing channel and its project's channel.
// The delivery handler posts it the first time and updates it in place afterwards.

import { z } from "zod";
import type { Db } from "../db/client.ts";
import { claimDeliveries } from "../delivery/index.ts";
import { findInvoiceChannels } from "./repo.ts";

export const INVOICE_MESSAGE_PAYLOAD = "invoice_message";

export const InvoiceMessagePayload = z.object({
  type: z.literal(INVOICE_MESSAGE_PAYLOAD),
  invoiceId: z.string(),
  channelId: z.string(),
  /** Only update a message already posted; never post a new one (refresh after undo or edit). */
  refreshOnly: z.boolean(),
});
export type InvoiceMessagePayload = z.output<typeof InvoiceMessagePayload>;

/** `occurrence` makes a refresh after a change (undo, edit) a new claim; omit it for the first post. */
export async function claimInvoiceMessages(
  db: Db,
  input: { workspaceId: string; invoiceId: string; occurrence?: string },
): Promise<{ deliveryIds: string[]; channelIds: string[] }> {
  const row = await findInvoiceChannels(db, input.invoiceId);
  if (!row) return { deliveryIds: [], channelIds: [] };
  const channelIds = [...new Set([row.billing, row.project].filter((c): c is string => Boolean(c)))];
  const deliveryIds = await claimDeliveries(
    db,
    channelIds.map((channelId) => ({
      workspaceId: input.workspaceId,
      kind: "slack_message" as const,
      invoiceId: input.invoiceId,
      dedupeKey: `invoice-message:${input.invoiceId}:${channelId}${input.occurrence ? `:${input.occurrence}` : ""}`,
      payload: {
        type: INVOICE_MESSAGE_PAYLOAD,
        invoiceId: input.invoiceId,
        channelId,
        refreshOnly: Boolean(input.occurrence),
      },
    })),
  );
  return { deliveryIds, channelIds };
}
