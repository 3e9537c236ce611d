// Promise to pay: reminders wait until the promised date; the next run resumes and alerts if it passes unpaid.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { daysBetween, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { savePromise } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";

export const MAX_PROMISE_DAYS = 90;

export const PromiseToPayInput = z.object({
  invoiceId: z.uuid(),
  promisedOn: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD"),
});
export type PromiseToPayInput = z.input<typeof PromiseToPayInput>;

export async function promiseToPay(
  ctx: Ctx,
  rawInput: PromiseToPayInput,
): Promise<{ alreadyDone: boolean; promisedOn: string; number: string }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { invoiceId, promisedOn } = PromiseToPayInput.parse(rawInput);
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { view, today, audit, notify }) => {
      const ahead = daysBetween(today, promisedOn);
      if (ahead < 0 || ahead > MAX_PROMISE_DAYS) {
        throw new DomainError("collection.promise_date", `promise date ${promisedOn} out of range`, {
          userMessage: `The promised date must be between today and ${MAX_PROMISE_DAYS} days from now.`,
          messageKey: "collections.error.promise_date",
          messageValues: { days: MAX_PROMISE_DAYS },
          field: "promised_on",
        });
      }
      const { number } = view;
      if (view.openMinor <= 0) {
        throw new DomainError("collection.nothing_open", "invoice fully paid", {
          userMessage: `Invoice ${number} is already paid.`,
          messageKey: "collections.error.nothing_open",
          messageValues: { number },
        });
      }
      if (!(await savePromise(tx, view, promisedOn))) {
        return { result: { alreadyDone: true, promisedOn, number }, ids: [] };
      }
      await audit("collection.promise_to_pay", {
        before: { promisedOn: view.promisedOn },
        after: { promisedOn },
      });
      const id = await notify({ event: "promise_to_pay", occurrence: promisedOn, detail: { promisedOn } });
      return { result: { alreadyDone: false, promisedOn, number }, ids: id ? [id] : [] };
    },
  });
}
