// **Issue & send** (one invoice, or all the drafts of a digest): only billing (or the workspace's
// auto-issue rule) issues; each invoice is issued and its e-mail claimed in one transaction, so a
// second click is a repeat that issues and e-mails nothing more.
import type { Ctx } from "../context.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import { type DraftIssueOutcome, issueDraftsInTransaction } from "./issue-drafts.ts";
import { claimInvoiceEmails, type EmailClaimOutcome } from "./repo.ts";

export type IssueAndSendResult = {
  alreadyDone: boolean;
  invoiceId: string;
  number: string | null;
  emailedTo: string[];
  /** A Spanish seller outside VERI*FACTU: why the invoice has no record (and no QR). */
  noVerifactuRecord?: string | undefined;
};

export type IssueAndSendOutcome =
  | ({ ok: true } & IssueAndSendResult)
  | { ok: false; invoiceId: string; error: Extract<DraftIssueOutcome, { ok: false }>["error"] };

/** `auto`: the workspace issues on `/milestone done` (auto-issue), whoever marked it done. */
type IssueAndSendInput = { auto?: boolean };

// Drafts per transaction (see issue-invoices.ts).
const BATCH = 100;

export async function issueAndSendInvoice(
  ctx: Ctx,
  input: IssueAndSendInput & { invoiceId: string },
): Promise<IssueAndSendResult> {
  const [outcome] = await issueAndSendInvoices(ctx, { ...input, invoiceIds: [input.invoiceId] });
  if (!outcome) throw new Error(`no outcome for invoice ${input.invoiceId}`);
  if (!outcome.ok) throw outcome.error;
  const { ok: _, ...result } = outcome;
  return result;
}

export async function issueAndSendInvoices(
  ctx: Ctx,
  input: IssueAndSendInput & { invoiceIds: string[] },
): Promise<IssueAndSendOutcome[]> {
  if (!input.auto) assertAllowed(ctx.actor, { action: "issueInvoice" });
  const { workspaceId } = ctx;
  const actor = auditActorOf(ctx.actor);
  const ids = [...new Set(input.invoiceIds)];
  const results: IssueAndSendOutcome[] = [];
  const toEnqueue: string[] = [];
  try {
    for (let start = 0; start < ids.length; start += BATCH) {
      const { outcomes, deliveryIds } = await ctx.db.transaction(async (tx) => {
        const issued = await issueDraftsInTransaction(tx, ctx, {
          workspaceId,
          invoiceIds: ids.slice(start, start + BATCH),
          actor,
          issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
        });
        const ok = issued.outcomes.flatMap((o) => (o.ok ? [o] : []));
        // One "Issue & send" intent per invoice: double clicks and retries reuse the same e-mail claim.
        const emails = await claimInvoiceEmails(tx, {
          workspaceId,
          actor,
          requests: ok.map((o) => ({
            invoiceId: o.invoiceId,
            sendRequestId: `issue-and-send:${o.invoiceId}`,
          })),
          rows: ok.map((o) => o.invoice),
        });
        const emailOf = new Map(emails.map((e) => [e.invoiceId, e]));
        return {
          outcomes: issued.outcomes.map((o) => combine(o, emailOf.get(o.invoiceId))),
          deliveryIds: [
            ...issued.deliveryIds,
            ...emails.flatMap((e) => (e.ok && e.deliveryId ? [e.deliveryId] : [])),
          ],
        };
      });
      results.push(...outcomes);
      toEnqueue.push(...deliveryIds);
    }
  } finally {
    if (toEnqueue.length > 0) await ctx.enqueue(toEnqueue);
  }
  return results;
}

function combine(issued: DraftIssueOutcome, email: EmailClaimOutcome | undefined): IssueAndSendOutcome {
  if (!issued.ok) return issued;
  if (email && !email.ok) return { ok: false, invoiceId: issued.invoiceId, error: email.error };
  return {
    ok: true,
    invoiceId: issued.invoiceId,
    number: issued.invoice.number,
    alreadyDone: issued.alreadyDone && email?.deliveryId === null,
    emailedTo: email?.to ?? [],
    noVerifactuRecord: noRecordReason(issued.invoice.seller),
  };
}

function noRecordReason(seller: Parameters<typeof verifactuScope>[0]): string | undefined {
  const scope = verifactuScope(seller);
  return !scope.applies && scope.spanish ? scope.reason : undefined;
}
