// The billing channel's daily VERI*FACTU warning, written when it goes (a warning that cleared
// since it was claimed is not posted).
import type { Db } from "../../../db/client.ts";
import type { DeliveryHandler, SlackSender } from "../../../delivery/index.ts";
import { verifactuWarningsOf } from "../../../domain/verifactu-backlog.ts";
import { readerLocaleOf } from "../../../workspace/index.ts";
import { loadVerifactuBacklog } from "../backlog-repo.ts";
import { buildVerifactuWarning } from "../slack/verifactu-warning.ts";
import { VERIFACTU_WARNING_PAYLOAD } from "../warn-verifactu-backlog.ts";

export function verifactuSlackHandlers(
  sender: SlackSender,
  db: Db,
  now: () => Date,
): Record<string, DeliveryHandler> {
  return {
    [VERIFACTU_WARNING_PAYLOAD]: async (delivery) => {
      const channel = String((delivery.payload as { channel?: unknown }).channel ?? "");
      const warnings = verifactuWarningsOf(await loadVerifactuBacklog(db, delivery.workspaceId), now());
      if (warnings.length === 0) return { skipped: "cleared before posting" };
      const message = buildVerifactuWarning(
        await readerLocaleOf(db, delivery.workspaceId, channel),
        warnings,
      );
      const { ts } = await sender.postMessage(delivery.workspaceId, {
        channel,
        text: message.text,
        blocks: message.blocks as never,
      });
      return { channel, ts };
    },
  };
}
