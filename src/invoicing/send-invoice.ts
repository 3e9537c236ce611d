// Claims the e-mailing of an issued invoice, once per send request, and hands it to the queue.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { type AuditEntry, recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { claimDeliveriesReturningKeys, type DeliveryClaim } from "../delivery/index.ts";
import { DomainError, isDomainError, parseInput } from "../domain/errors.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { type InvoiceRow, listInvoicesByIds } from "./repo.ts";

export const INVOICE_EMAIL_PAYLOAD = "invoice_email";

export const SendInvoiceInput = z.object({
  invoiceId: z.uuid(),
  /** Identifies one "send" intent (button click id, CLI run id): a retry or double click reuses it. */
  sendRequestId: z.string().trim().min(1).max(200),
  /** Overrides the client's billing contacts for this send. */
  to: z.array(z.email()).min(1).max(20).optional(),
});
export type SendInvoiceInput = z.input<typeof SendInvoiceInput>;

export const InvoiceEmailPayload = z.object({
  type: z.literal(INVOICE_EMAIL_PAYLOAD),
  invoiceId: z.string(),
  to: z.array(z.string()),
  sendRequestId: z.string(),
});
export type InvoiceEmailPayload = z.output<typeof InvoiceEmailPayload>;

export async function sendInvoice(
  ctx: Ctx,
  rawInput: SendInvoiceInput,
): Promise<{ deliveryId: string | null; alreadyDone: boolean; to: string[] }> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const { workspaceId } = ctx;
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(SendInvoiceInput, rawInput);
  const [result] = await ctx.db.transaction((tx) =>
    claimInvoiceEmails(tx, { workspaceId, actor, requests: [input] }),
  );
  if (!result) throw new Error(`no e-mail claim for invoice ${input.invoiceId}`);
  if (!result.ok) throw result.error;
  if (result.deliveryId) await ctx.enqueue([result.deliveryId]);
  return { deliveryId: result.deliveryId, alreadyDone: result.deliveryId === null, to: result.to };
}

export type EmailClaimOutcome =
  | { invoiceId: string; ok: true; deliveryId: string | null; to: string[] }
  | { invoiceId: string; ok: false; error: DomainError };

/**
 * Claims the e-mails of several issued invoices in the caller's transaction (one statement for
 * all claims); a request already claimed gets `deliveryId: null`. Enqueue the new ids after commit.
 */
export async function claimInvoiceEmails(
  tx: Db,
  input: {
    workspaceId: string;
    actor: string;
    requests: { invoiceId: string; sendRequestId: string; to?: string[] | undefined }[];
    /** The invoices' rows when the caller has just read or written them in this transaction. */
    rows?: InvoiceRow[];
  },
): Promise<EmailClaimOutcome[]> {
  const { workspaceId } = input;
  const rows =
    input.rows ??
    (await listInvoicesByIds(tx, workspaceId, [...new Set(input.requests.map((r) => r.invoiceId))]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outcomes: EmailClaimOutcome[] = [];
  const claims: { outcome: number; claim: DeliveryClaim; to: string[]; sendRequestId: string }[] = [];
  for (const request of input.requests) {
    const invoice = byId.get(request.invoiceId);
    try {
      if (!invoice) {
        throw invoiceNotFound();
      }
      transitionInvoice(invoice.status, "send");
      const to = request.to ?? invoice.buyer?.emails ?? [];
      if (to.length === 0) {
        throw new DomainError("invoice.no_recipient", "client has no billing e-mail", {
          userMessage: `Invoice ${invoice.number} cannot be e-mailed: the client has no billing e-mail address. Add one to the client, then send again.`,
          messageKey: "invoicing.error.no_recipient",
          messageValues: { number: invoice.number ?? "" },
        });
      }
      const payload: InvoiceEmailPayload = {
        type: INVOICE_EMAIL_PAYLOAD,
        invoiceId: invoice.id,
        to,
        sendRequestId: request.sendRequestId,
      };
      claims.push({
        outcome: outcomes.length,
        to,
        sendRequestId: request.sendRequestId,
        claim: {
          workspaceId,
          kind: "email",
          invoiceId: invoice.id,
          dedupeKey: emailDedupeKey(invoice.id, request.sendRequestId),
          payload,
        },
      });
      outcomes.push({ invoiceId: request.invoiceId, ok: true, deliveryId: null, to });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.push({ invoiceId: request.invoiceId, ok: false, error });
    }
  }
  const inserted = await claimDeliveriesReturningKeys(
    tx,
    claims.map((c) => c.claim),
  );
  const audits: AuditEntry[] = [];
  for (const { outcome, claim, to, sendRequestId } of claims) {
    const deliveryId = inserted.get(claim.dedupeKey);
    if (!deliveryId) continue;
    outcomes[outcome] = { invoiceId: claim.invoiceId as string, ok: true, deliveryId, to };
    audits.push({
      workspaceId,
      actor: input.actor,
      action: "invoice.send_requested",
      entity: "invoice",
      entityId: claim.invoiceId as string,
      after: { to, deliveryId, sendRequestId },
    });
  }
  await recordAudit(tx, audits);
  return outcomes;
}

function emailDedupeKey(invoiceId: string, sendRequestId: string): string {
  return `invoice-email:${invoiceId}:${sendRequestId}`;
}
