// Billing's answer to "did this arrive?" for a send cut short by a crash: "Send again" sends it now,
// "It arrived" records it as sent (its follow-ups, such as the invoice's sent date, still happen).
// Only the first answer counts: a double click, Slack's retry or a colleague's late click change nothing.
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { deliveries, deliverySends } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { SlackActor } from "../domain/permissions.ts";

export const UnknownDeliveryAnswer = z.object({
  workspaceId: z.uuid(),
  deliveryId: z.uuid(),
  answer: z.enum(["send_again", "arrived"]),
});
export type UnknownDeliveryAnswer = z.infer<typeof UnknownDeliveryAnswer>;

export async function answerUnknownDelivery(
  deps: ServiceDeps,
  actor: SlackActor,
  input: UnknownDeliveryAnswer,
): Promise<{ alreadyDone: boolean }> {
  if (!actor.roles.some((role) => role === "billing" || role === "admin")) {
    throw new DomainError("delivery.answer_forbidden", "only billing or an admin may answer", {
      userMessage: "Only someone with the billing role or an admin can say whether a send arrived.",
    });
  }
  const { workspaceId, deliveryId, answer } = UnknownDeliveryAnswer.parse(input);
  const claimed = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(deliveries)
      .set({ status: "pending", lockedUntil: null, lastError: null })
      .where(
        and(
          eq(deliveries.id, deliveryId),
          eq(deliveries.workspaceId, workspaceId),
          eq(deliveries.status, "unknown"),
        ),
      )
      .returning({ id: deliveries.id });
    if (!row) return false;
    const open = and(eq(deliverySends.deliveryId, deliveryId), isNull(deliverySends.result));
    if (answer === "send_again") {
      await tx.delete(deliverySends).where(open);
    } else {
      const confirmation = { confirmedBy: actor.slackUserId, confirmedAt: deps.now().toISOString() };
      await tx.update(deliverySends).set({ result: confirmation }).where(open);
    }
    return true;
  });
  if (claimed) await deps.enqueue([deliveryId]);
  return { alreadyDone: !claimed };
}
