// Posts the alarm of a broken VERI*FACTU chain to the billing channel.

import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { workspaces } from "../../../db/schema/index.ts";
import type { DeliveryHandler, SlackSender } from "../../../delivery/index.ts";
import { readPayload } from "../../../delivery/index.ts";
import { DomainError } from "../../../domain/errors.ts";
import { readerLocaleOf } from "../../../workspace/index.ts";
import { VERIFACTU_CHAIN_ALARM_PAYLOAD, VerifactuChainAlarmPayload } from "../check-verifactu-chains.ts";
import { buildVerifactuChainAlarm } from "../slack/verifactu-alarm.ts";

export function verifactuAlarmSlackHandlers(sender: SlackSender, db: Db): Record<string, DeliveryHandler> {
  return {
    [VERIFACTU_CHAIN_ALARM_PAYLOAD]: async (delivery) => {
      const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, delivery.workspaceId));
      if (!workspace?.billingChannelId) {
        throw new DomainError("billing.no_channel", "no billing channel", {
          userMessage: "No billing channel is set: choose one with /cobro setup.",
        });
      }
      const locale = await readerLocaleOf(db, delivery.workspaceId, workspace.billingChannelId);
      const message = buildVerifactuChainAlarm(locale, readPayload(delivery, VerifactuChainAlarmPayload));
      const posted = await sender.postMessage(delivery.workspaceId, {
        channel: workspace.billingChannelId,
        text: message.text,
        blocks: message.blocks as never,
      });
      return { channel: workspace.billingChannelId, ts: posted.ts };
    },
  };
}
