// **Hold**: billing parks a draft (it stays unnumbered); a second click changes nothing.
import { and, eq } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/repos/audit.ts";
import { invoices } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { transitionInvoice } from "../domain/invoice-state.ts";
import { type Actor, assertAllowed } from "../domain/permissions.ts";
import { notifyInvoiceEvent } from "./notify-invoice-event.ts";

export async function holdDraftInvoice(
  deps: ServiceDeps,
  input: { workspaceId: string; invoiceId: string; actor: Actor },
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(input.actor, { action: "holdInvoice" });
  const actor = input.actor.memberId ?? `slack:${input.actor.slackUserId}`;
  const outcome = await deps.db.transaction(async (tx) => {
    const [invoice] = await tx
      .select({ status: invoices.status })
      .from(invoices)
      .where(and(eq(invoices.id, input.invoiceId), eq(invoices.workspaceId, input.workspaceId)));
    if (!invoice) {
      throw new DomainError("invoice.not_found", "invoice not found", {
        userMessage: "That invoice does not exist in this workspace.",
      });
    }
    if (invoice.status === "held") return { alreadyDone: true, deliveryIds: [] as string[] };
    transitionInvoice(invoice.status, "hold");
    const held = await tx
      .update(invoices)
      .set({ status: "held", updatedAt: deps.now() })
      .where(and(eq(invoices.id, input.invoiceId), eq(invoices.status, "draft")))
      .returning({ id: invoices.id });
    if (held.length === 0) return { alreadyDone: true, deliveryIds: [] as string[] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor,
      action: "invoice.held",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { status: "draft" },
      after: { status: "held" },
    });
    const id = await notifyInvoiceEvent(tx, {
      workspaceId: input.workspaceId,
      invoiceId: input.invoiceId,
      event: "held",
      occurrence: deps.now().toISOString(),
      actor,
    });
    return { alreadyDone: false, deliveryIds: id ? [id] : [] };
  });
  await deps.enqueue(outcome.deliveryIds);
  return { alreadyDone: outcome.alreadyDone };
}
