import { and, eq, inArray, sql } from "drizzle-orm";
import { lookupInChunks } from "../db/batches.ts";
import { invoices, payments, workspaces } from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";
import { buyerSnapshot } from "../domain/invoice-parties.ts";
import { toDecimalString } from "../domain/money.ts";
import { projectCodeKey } from "../domain/names.ts";
import { type Handler, type Outcome, reject } from "./context.ts";
import { clientsByExternalId, projectsByCode, rejectUnknownClient, rejectUnknownProject } from "./lookups.ts";
import { storeOriginalPdf } from "./original-pdf.ts";
import { statusForOpen } from "./status-for-open.ts";
import { upsertImported } from "./upsert-imported.ts";

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const COLUMN_OF: Record<string, string> = {
  clientId: "client_external_id",
  currency: "currency",
  issueDate: "issue_date",
  dueDate: "due_date",
  totalMinor: "total",
};

// An issued invoice is a legal document (the database enforces it): only its settlement state
// and project link may follow the file; anything else is corrected with a credit note.
const MAY_CHANGE = ["openMinor", "status", "projectId"];

export const importInvoices: Handler<"invoices"> = async (ctx, rows) => {
  const clientMap = await clientsByExternalId(
    ctx,
    rows.map((r) => r.clientExternalId),
  );
  const projectMap = await projectsByCode(
    ctx,
    rows.flatMap((r) => (r.projectCode ? [r.projectCode] : [])),
  );
  const existing = new Map(
    (
      await lookupInChunks(
        rows.map((r) => r.number),
        (slice) =>
          ctx.tx
            .select()
            .from(invoices)
            .where(and(eq(invoices.workspaceId, ctx.workspaceId), inArray(invoices.number, slice))),
      )
    ).map((i) => [present(i.number, "i.number"), i]),
  );
  const paidByInvoice = new Map(
    (
      await lookupInChunks(
        [...existing.values()].map((i) => i.id),
        (slice) =>
          ctx.tx
            .select({ invoiceId: payments.invoiceId, paid: sql<string>`sum(${payments.amountMinor})::text` })
            .from(payments)
            .where(and(eq(payments.workspaceId, ctx.workspaceId), inArray(payments.invoiceId, slice)))
            .groupBy(payments.invoiceId),
      )
    ).map((p) => [p.invoiceId, Number(p.paid)]),
  );
  const [workspace] = await ctx.tx
    .select({ seller: workspaces.seller })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId));
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      outcomes.push(rejectUnknownClient(ctx, row.line, row.clientExternalId));
      continue;
    }
    const project = row.projectCode ? projectMap.get(projectCodeKey(row.projectCode)) : undefined;
    if (row.projectCode && !project) {
      outcomes.push(rejectUnknownProject(ctx, row.line, row.projectCode));
      continue;
    }
    if (project && project.clientId !== client.id) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "project_code",
          `project "${project.code}" belongs to another client than "${client.externalId}"`,
        ),
      );
      continue;
    }
    const found = existing.get(row.number);
    if (found && found.external !== "import") {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "number",
          `invoice ${row.number} was issued in Cobro; issued invoices cannot be changed by an import`,
        ),
      );
      continue;
    }
    const paid = found ? (paidByInvoice.get(found.id) ?? 0) : 0;
    if (found && paid > 0 && found.currency !== row.currency) {
      outcomes.push(
        reject(ctx, row.line, "currency", `invoice ${row.number} already has payments in ${found.currency}`),
      );
      continue;
    }
    const openMinor = row.openMinor - paid;
    if (openMinor < 0) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          row.openMinor === row.totalMinor ? "total" : "open_amount",
          `payments of ${toDecimalString(paid, row.currency)} ${row.currency} are already recorded for invoice ${row.number}, more than this amount`,
        ),
      );
      continue;
    }
    const values = {
      clientId: client.id,
      projectId: project?.id ?? null,
      currency: row.currency,
      issueDate: row.issueDate,
      dueDate: row.dueDate,
      totalMinor: row.totalMinor,
      openMinor,
      status: statusForOpen(row.totalMinor, openMinor),
    };
    let invoiceId = found?.id;
    const outcome = upsertImported(ctx, {
      entity: "invoice",
      found,
      values,
      createdAudit: { number: row.number, ...values },
      insert: () => {
        invoiceId = ctx.writes.insert(invoices, {
          workspaceId: ctx.workspaceId,
          kind: "invoice",
          number: row.number,
          external: "import",
          // The other system knows the VAT split; the receivable is what Cobro chases.
          subtotalMinor: row.totalMinor,
          paymentTermsDays: daysBetween(row.issueDate, row.dueDate),
          issuedAt: new Date(`${row.issueDate}T00:00:00Z`),
          seller: workspace?.seller ?? null,
          buyer: buyerSnapshot(client),
          ...values,
        });
        return invoiceId;
      },
      refuse: (found, changed) => {
        const frozen = changed.filter((field) => !MAY_CHANGE.includes(field));
        for (const field of frozen) {
          reject(
            ctx,
            row.line,
            COLUMN_OF[field] ?? field,
            `differs from invoice ${row.number} already imported (${String(found[field as keyof typeof found])}); an issued invoice cannot change, correct it with a credit note`,
          );
        }
        return frozen.length > 0;
      },
      update: (found) =>
        ctx.writes.update(invoices, found.id, {
          openMinor: values.openMinor,
          status: values.status,
          projectId: values.projectId,
          updatedAt: ctx.now,
        }),
    });
    const pdf =
      row.pdfPath && invoiceId && outcome !== "rejected"
        ? await storeOriginalPdf(ctx, { line: row.line, invoiceId, path: row.pdfPath })
        : "unchanged";
    outcomes.push(
      pdf === "rejected" ? pdf : outcome === "unchanged" && pdf === "updated" ? "updated" : outcome,
    );
  }
  return outcomes;
};
