// Saves the `/cobro client` modal with the rules of the client CSV; each refusal comes back under
// the name of its field (the CSV column) so the modal can show it there.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { refineClientDetails, toClientDetails } from "../domain/client-details.ts";
import { DomainError } from "../domain/errors.ts";
import { clientEditableCells, type FieldErrors, fieldErrorsOf } from "../domain/import-rows.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { memberByEmail } from "../workspace/index.ts";
import { lockClient, updateClient } from "./repo.ts";

const ClientForm = z.object(clientEditableCells).superRefine(refineClientDetails);

export type UpdateClientResult = { ok: true; name: string } | { ok: false; errors: FieldErrors };

export async function updateClientDetails(
  ctx: Ctx,
  input: { clientId: string; fields: Record<string, string> },
): Promise<UpdateClientResult> {
  const { workspaceId, actor } = ctx;
  assertAllowed(actor, { action: "editParties" });
  const parsed = ClientForm.safeParse(input.fields);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const f = parsed.data;
  const d = toClientDetails(f);
  return ctx.db.transaction(async (tx) => {
    const before = await lockClient(tx, workspaceId, input.clientId);
    if (!before) {
      throw new DomainError("client.not_found", `client ${input.clientId} not found`, {
        userMessage: "This client no longer exists in this workspace.",
      });
    }
    // In the form a blank field clears the value (unlike a blank CSV cell, which keeps it).
    const after = {
      name: f.name,
      emails: f.emails,
      paymentTermsDays: f.payment_terms_days,
      language: f.language,
      taxId: d.taxId ?? null,
      country: f.country,
      address: d.address ?? null,
      siren: d.siren ?? null,
      poReference: d.poReference ?? null,
      withholdingRateBp: d.withholdingRateBp ?? 0,
      collectorMemberId: d.collectorEmail
        ? (await memberByEmail(tx, workspaceId, d.collectorEmail, "collector")).id
        : null,
      electronicAddress: d.electronicAddress ?? null,
      deliveryAddress: d.deliveryAddress ?? null,
      einvoiceAttachments: d.einvoiceAttachments ?? null,
      paymentMethod: d.paymentMethod ?? null,
    };
    await updateClient(tx, before.id, { ...after, updatedAt: ctx.now() });
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(actor),
      action: "client.updated",
      entity: "client",
      entityId: before.id,
      before: Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])),
      after,
    });
    return { ok: true as const, name: f.name };
  });
}
