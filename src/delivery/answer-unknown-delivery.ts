// Billing's answer to "did this arrive?" for a send cut short by a crash: "Send again" sends it now,
// "It arrived" records it as sent (its follow-ups, such as the invoice's sent date, still happen).
// Only the first answer counts: a double click, Slack's retry or a colleague's late click change nothing.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import type { SlackActor } from "../domain/permissions.ts";
import { answerUnknown } from "./repo.ts";

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
  const claimed = await answerUnknown(deps.db, {
    workspaceId,
    deliveryId,
    confirmation:
      answer === "send_again"
        ? null
        : { confirmedBy: actor.slackUserId, confirmedAt: deps.now().toISOString() },
  });
  if (claimed) await deps.enqueue([deliveryId]);
  return { alreadyDone: !claimed };
}
