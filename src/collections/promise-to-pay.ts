// Promise to pay: reminders wait until the promised date; the next run resumes and alerts if it passes unpaid.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { daysBetween, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { updateCollection } from "./repo.ts";

export const MAX_PROMISE_DAYS = 90;

export const PromiseToPayInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  promisedOn: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD"),
  actor: z.string().min(1),
});
export type PromiseToPayInput = z.input<typeof PromiseToPayInput>;

export async function promiseToPay(
  deps: ServiceDeps,
  rawInput: PromiseToPayInput,
): Promise<{ alreadyDone: boolean; promisedOn: string }> {
  const input = PromiseToPayInput.parse(rawInput);
  return runCollectionAction(deps, input, async (tx, { view, today }) => {
    const ahead = daysBetween(today, input.promisedOn);
    if (ahead < 0 || ahead > MAX_PROMISE_DAYS) {
      throw new DomainError("collection.promise_date", `promise date ${input.promisedOn} out of range`, {
        userMessage: `The promised date must be between today and ${MAX_PROMISE_DAYS} days from now.`,
        messageKey: "collections.error.promise_date",
        messageValues: { days: MAX_PROMISE_DAYS },
        field: "promised_on",
      });
    }
    if (view.openMinor <= 0) {
      throw new DomainError("collection.nothing_open", "invoice fully paid", {
        userMessage: `Invoice ${view.number} is already paid.`,
        messageKey: "collections.error.nothing_open",
        messageValues: { number: view.number ?? "" },
      });
    }
    const changed = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { promisedOn: input.promisedOn },
      sql`promised_on is distinct from ${input.promisedOn}::date`,
    );
    if (!changed) return { result: { alreadyDone: true, promisedOn: input.promisedOn }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "collection.promise_to_pay",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { promisedOn: view.promisedOn },
      after: { promisedOn: input.promisedOn },
    });
    const id = await notifyInvoiceEvent(tx, {
      workspaceId: input.workspaceId,
      invoiceId: input.invoiceId,
      event: "promise_to_pay",
      occurrence: input.promisedOn,
      actor: input.actor,
      detail: { promisedOn: input.promisedOn },
    });
    return { result: { alreadyDone: false, promisedOn: input.promisedOn }, ids: id ? [id] : [] };
  });
}
