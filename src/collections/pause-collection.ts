// Pause ("Mahnstopp"): no reminder until the given date, with a reason everyone can read.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { daysBetween, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { updateCollection } from "./repo.ts";

export const MAX_PAUSE_DAYS = 180;

export const PauseCollectionInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  until: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD"),
  reason: z.string().trim().min(1, "say why").max(500),
  actor: z.string().min(1),
});
export type PauseCollectionInput = z.input<typeof PauseCollectionInput>;

export async function pauseCollection(
  deps: ServiceDeps,
  rawInput: PauseCollectionInput,
): Promise<{ alreadyDone: boolean; until: string }> {
  const input = PauseCollectionInput.parse(rawInput);
  return runCollectionAction(deps, input, async (tx, { view, today }) => {
    const ahead = daysBetween(today, input.until);
    if (ahead < 0 || ahead > MAX_PAUSE_DAYS) {
      throw new DomainError("collection.pause_date", `pause until ${input.until} out of range`, {
        userMessage: `Pause until a date between today and ${MAX_PAUSE_DAYS} days from now.`,
        messageKey: "collections.error.pause_date",
        messageValues: { days: MAX_PAUSE_DAYS },
        field: "until",
      });
    }
    const changed = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { pausedUntil: input.until, pauseReason: input.reason },
      sql`(paused_until is distinct from ${input.until}::date or pause_reason is distinct from ${input.reason})`,
    );
    if (!changed) return { result: { alreadyDone: true, until: input.until }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "collection.paused",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { pausedUntil: view.pausedUntil, pauseReason: view.pauseReason },
      after: { pausedUntil: input.until, pauseReason: input.reason },
    });
    const id = await notifyInvoiceEvent(tx, {
      workspaceId: input.workspaceId,
      invoiceId: input.invoiceId,
      event: "paused",
      occurrence: `${input.until}`,
      actor: input.actor,
      detail: { until: input.until, reason: input.reason },
    });
    return { result: { alreadyDone: false, until: input.until }, ids: id ? [id] : [] };
  });
}
