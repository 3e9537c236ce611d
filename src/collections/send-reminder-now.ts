// "Send reminder now": the next level goes today and counts as that level (no second one tomorrow).
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { addDays, daysBetween } from "../domain/calendar.ts";
import {
  collectionBlock,
  collectionState,
  isFormalNotice,
  MIN_DAYS_BETWEEN_LEVELS,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { runCollectionAction } from "./collection-action.ts";
import { dispatchReminder } from "./dispatch-reminder.ts";
import { loadPolicyCandidates } from "./policy-repo.ts";
import { claimReminder, findReminder } from "./repo.ts";

export const SendReminderNowInput = z.object({
  invoiceId: z.uuid(),
  /** The level the user saw on the button: a second click after it went is a no-op, not the next level. */
  expectedLevel: z.number().int().min(0).optional(),
});
export type SendReminderNowInput = z.input<typeof SendReminderNowInput>;

const STOP_MESSAGES: Record<string, string> = {
  paid: "is already paid",
  closed: "is closed",
  disputed: "is disputed: resolve the dispute first",
  paused: "is paused",
  promised: "has a promise to pay that has not expired",
};

export async function sendReminderNow(
  ctx: Ctx,
  rawInput: SendReminderNowInput,
): Promise<{ alreadyDone: boolean; level: number }> {
  // Before the invoice is read: a PM may see the report but not act on collections.
  assertAllowed(ctx.actor, { action: "collect" });
  const input = { ...SendReminderNowInput.parse(rawInput), workspaceId: ctx.workspaceId };
  return runCollectionAction(ctx, {
    invoiceId: input.invoiceId,
    act: async (tx, { workspace, view, today }) => {
      if (input.expectedLevel !== undefined && view.level > input.expectedLevel) {
        return { result: { alreadyDone: true, level: view.level }, ids: [] };
      }
      // A double click, or two people clicking: the reminder that went today is the answer.
      if (view.lastReminderOn === today) return { result: { alreadyDone: true, level: view.level }, ids: [] };
      if (view.lastReminderOn && daysBetween(view.lastReminderOn, today) < MIN_DAYS_BETWEEN_LEVELS) {
        throw new DomainError("collection.too_soon", "previous reminder too recent", {
          userMessage: `Reminder #${view.level} went on ${view.lastReminderOn}: the next can go from ${addDays(view.lastReminderOn, MIN_DAYS_BETWEEN_LEVELS)}.`,
          messageKey: "collections.error.too_soon",
          messageValues: {
            level: view.level,
            sentOn: Date.parse(`${view.lastReminderOn}T00:00:00Z`),
            nextOn: Date.parse(`${addDays(view.lastReminderOn, MIN_DAYS_BETWEEN_LEVELS)}T00:00:00Z`),
          },
        });
      }
      const state = collectionState(view);
      const block = collectionBlock(state, today);
      if (block) {
        throw new DomainError(`collection.${block}`, `invoice ${block}`, {
          userMessage: `No reminder sent: invoice ${view.number} ${STOP_MESSAGES[block]}.`,
          messageKey: "collections.error.stopped",
          messageValues: { number: view.number ?? "", why: block },
        });
      }
      const policy = resolveDunningPolicy(await loadPolicyCandidates(tx, input.workspaceId), view);
      const level = policy.levels[view.level];
      if (!level) {
        throw new DomainError("collection.no_more_levels", "all levels sent", {
          userMessage: `Every reminder of the policy has gone for invoice ${view.number}; the next step is yours.`,
          messageKey: "collections.error.no_more_levels",
          messageValues: { number: view.number ?? "" },
        });
      }
      if (isFormalNotice(level) && !state.formalApproved) {
        throw new DomainError("collection.formal_needs_approval", "formal notice needs approval", {
          userMessage:
            "The next step is the formal notice: it goes only with the Approve button in the collections channel.",
          messageKey: "collections.error.formal_needs_approval",
        });
      }
      const reminder =
        (await claimReminder(tx, {
          workspaceId: input.workspaceId,
          invoiceId: input.invoiceId,
          level: level.level,
          tone: level.tone,
          channel: level.channel,
          dueOn: today,
          status: "scheduled",
        })) ?? (await findReminder(tx, input.invoiceId, level.level));
      if (!reminder) throw new Error("reminder row vanished");
      const sent = await dispatchReminder({ ...ctx, db: tx }, { workspace, view, reminder, level, today });
      return {
        result: {
          alreadyDone: sent.outcome !== "sent",
          level: sent.outcome === "sent" ? level.level : view.level,
        },
        ids: sent.deliveryIds,
      };
    },
  });
}
