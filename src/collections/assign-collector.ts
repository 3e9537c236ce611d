// Assign to me: one person owns the chase of this invoice.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { updateCollection } from "./repo.ts";

export const AssignCollectorInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  memberId: z.uuid().nullable(),
  actor: z.string().min(1),
});
export type AssignCollectorInput = z.input<typeof AssignCollectorInput>;

export async function assignCollector(
  deps: ServiceDeps,
  rawInput: AssignCollectorInput,
): Promise<{ alreadyDone: boolean }> {
  const input = AssignCollectorInput.parse(rawInput);
  if (!input.memberId) {
    throw new DomainError("collection.unknown_member", "actor is not a member", {
      userMessage: "You are not a Cobro member of this workspace yet: ask an admin to add you in Setup.",
      messageKey: "collections.error.not_a_member",
    });
  }
  const memberId = input.memberId;
  return runCollectionAction(deps, input, async (tx, { view }) => {
    const changed = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { collectorMemberId: memberId },
      sql`collector_member_id is distinct from ${memberId}::uuid`,
    );
    if (!changed) return { result: { alreadyDone: true }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "collection.assigned",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { collectorMemberId: view.collectorMemberId },
      after: { collectorMemberId: memberId },
    });
    const id = await notifyInvoiceEvent(tx, {
      workspaceId: input.workspaceId,
      invoiceId: input.invoiceId,
      event: "assigned",
      occurrence: memberId,
      actor: input.actor,
      detail: { collectorMemberId: memberId },
    });
    return { result: { alreadyDone: false }, ids: id ? [id] : [] };
  });
}
