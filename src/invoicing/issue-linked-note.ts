// Issues a credit or interest note on an earlier invoice, inside the caller's transaction: a draft
// with the original's client, project and currency, its lines with their nets, then the normal
// issue, which numbers it in the note's own series.
import type { ServiceDeps } from "../context.ts";
import type { Db } from "../db/client.ts";
import type { CorrectionRecord } from "./issue-drafts.ts";
import { issueInvoiceInTransaction } from "./issue-invoice.ts";
import { type InvoiceLineInsert, type InvoiceRow, insertInvoice, replaceInvoiceLines } from "./repo.ts";

export type LinkedNote = {
  original: InvoiceRow;
  kind: "credit_note" | "interest_note";
  /** EN 16931 BT-3. */
  typeCode: string;
  servicePeriodStart: string | null;
  servicePeriodEnd: string | null;
  correctionReason?: string;
  lines: Omit<InvoiceLineInsert, "workspaceId" | "invoiceId" | "position" | "netMinor">[];
  lineNetsMinor: readonly number[];
  actor: string;
  issuedByMemberId?: string;
  /** Credit notes of Spanish invoices: how the VERI*FACTU record qualifies the correction. */
  correction?: CorrectionRecord | undefined;
};

export async function issueLinkedNote(tx: Db, deps: Pick<ServiceDeps, "now">, note: LinkedNote) {
  const { original } = note;
  const workspaceId = original.workspaceId;
  const draft = await insertInvoice(tx, {
    workspaceId,
    kind: note.kind,
    typeCode: note.typeCode,
    status: "draft",
    clientId: original.clientId,
    projectId: original.projectId,
    currency: original.currency,
    servicePeriodStart: note.servicePeriodStart,
    servicePeriodEnd: note.servicePeriodEnd,
    correctsInvoiceId: original.id,
    correctionReason: note.correctionReason,
  });
  await replaceInvoiceLines(
    tx,
    workspaceId,
    draft.id,
    note.lines.map((line, index) => ({ ...line, netMinor: note.lineNetsMinor[index] ?? 0 })),
  );
  return issueInvoiceInTransaction(
    tx,
    deps,
    {
      workspaceId,
      invoiceId: draft.id,
      actor: note.actor,
      ...(note.issuedByMemberId ? { issuedByMemberId: note.issuedByMemberId } : {}),
    },
    note.correction,
  );
}
