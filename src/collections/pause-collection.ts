// Pause ("Mahnstopp"): no reminder until the given date, with a reason everyone can read.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { daysBetween, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { savePause } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";

export const MAX_PAUSE_DAYS = 180;

export const PauseCollectionInput = z.object({
  invoiceId: z.uuid(),
  until: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD"),
  reason: z.string().trim().min(1, "say why").max(500),
});
export type PauseCollectionInput = z.input<typeof PauseCollectionInput>;

export async function pauseCollection(
  ctx: Ctx,
  rawInput: PauseCollectionInput,
): Promise<{ alreadyDone: boolean; until: string; number: string }> {
  const { invoiceId, until, reason } = PauseCollectionInput.parse(rawInput);
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { view, today, audit, notify }) => {
      // The PM of the invoice's project may pause it too: the permission needs the invoice.
      assertAllowed(ctx.actor, { action: "pauseOrDispute", projectPmMemberId: view.pmMemberId });
      const ahead = daysBetween(today, until);
      if (ahead < 0 || ahead > MAX_PAUSE_DAYS) {
        throw new DomainError("collection.pause_date", `pause until ${until} out of range`, {
          userMessage: `Pause until a date between today and ${MAX_PAUSE_DAYS} days from now.`,
          messageKey: "collections.error.pause_date",
          messageValues: { days: MAX_PAUSE_DAYS },
          field: "until",
        });
      }
      const { number } = view;
      if (!(await savePause(tx, view, { until, reason }))) {
        return { result: { alreadyDone: true, until, number }, ids: [] };
      }
      await audit("collection.paused", {
        before: { pausedUntil: view.pausedUntil, pauseReason: view.pauseReason },
        after: { pausedUntil: until, pauseReason: reason },
      });
      const id = await notify({ event: "paused", occurrence: until, detail: { until, reason } });
      return { result: { alreadyDone: false, until, number }, ids: id ? [id] : [] };
    },
  });
}
