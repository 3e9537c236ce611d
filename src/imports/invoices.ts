import { createHash } from "node:crypto";
import { basename } from "node:path";
import { present } from "../domain/errors.ts";
import { buyerSnapshot } from "../domain/invoice-parties.ts";
import { statusForOpen } from "../domain/invoice-state.ts";
import { toDecimalString } from "../domain/money.ts";
import { projectCodeKey } from "../domain/names.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import type { Handler, ImportContext, Outcome } from "./context.ts";
import { findImportedPdfSha, findInvoicesByNumber, sumPaymentsByInvoice, upsertImportedPdf } from "./repo.ts";

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
  const clientMap = await ctx.clientsByExternalId(rows.map((r) => r.clientExternalId));
  const projectMap = await ctx.projectsByCode(rows.flatMap((r) => (r.projectCode ? [r.projectCode] : [])));
  const existing = new Map(
    (
      await findInvoicesByNumber(
        ctx.tx,
        ctx.workspaceId,
        rows.map((r) => r.number),
      )
    ).map((i) => [present(i.number, "i.number"), i]),
  );
  const paidByInvoice = await sumPaymentsByInvoice(
    ctx.tx,
    ctx.workspaceId,
    [...existing.values()].map((i) => i.id),
  );
  const workspace = await findWorkspaceById(ctx.tx, ctx.workspaceId);
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      outcomes.push(ctx.rejectUnknownClient(row.line, row.clientExternalId));
      continue;
    }
    const project = row.projectCode ? projectMap.get(projectCodeKey(row.projectCode)) : undefined;
    if (row.projectCode && !project) {
      outcomes.push(ctx.rejectUnknownProject(row.line, row.projectCode));
      continue;
    }
    if (project && project.clientId !== client.id) {
      outcomes.push(
        ctx.reject(
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
        ctx.reject(
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
        ctx.reject(row.line, "currency", `invoice ${row.number} already has payments in ${found.currency}`),
      );
      continue;
    }
    const openMinor = row.openMinor - paid;
    if (openMinor < 0) {
      outcomes.push(
        ctx.reject(
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
    const outcome = ctx.upsert({
      entity: "invoice",
      found,
      values,
      createdAudit: { number: row.number, ...values },
      insert: () => {
        invoiceId = ctx.writes.insert("invoices", {
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
          ctx.reject(
            row.line,
            COLUMN_OF[field] ?? field,
            `differs from invoice ${row.number} already imported (${String(found[field as keyof typeof found])}); an issued invoice cannot change, correct it with a credit note`,
          );
        }
        return frozen.length > 0;
      },
      update: (found) =>
        ctx.writes.update("invoices", found.id, {
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

const MAX_PDF_BYTES = 10 * 1024 * 1024;

/** The original PDF of an imported receivable, read from the path its CSV row names and kept with it. */
async function storeOriginalPdf(
  ctx: ImportContext,
  input: { line: number; invoiceId: string; path: string },
): Promise<"updated" | "unchanged" | "rejected"> {
  if (!ctx.readAttachment) {
    return ctx.reject(
      input.line,
      "pdf",
      "files named in the CSV are read only by `cobro import` (leave pdf empty)",
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await ctx.readAttachment(input.path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "not readable" : String(code ?? error);
    return ctx.reject(input.line, "pdf", `cannot read "${input.path}" (relative to the CSV file): ${why}`);
  }
  if (bytes.byteLength > MAX_PDF_BYTES)
    return ctx.reject(input.line, "pdf", `"${input.path}" is larger than 10 MB`);
  const content = Buffer.from(bytes);
  if (content.subarray(0, 5).toString("latin1") !== "%PDF-") {
    return ctx.reject(input.line, "pdf", `"${input.path}" is not a PDF file`);
  }
  const sha256 = createHash("sha256").update(content).digest("hex");
  const stored = await findImportedPdfSha(ctx.tx, input.invoiceId);
  if (stored?.sha256 === sha256) return "unchanged";
  const filename = basename(input.path);
  // After the batch's invoices are written: a new invoice's row does not exist before.
  ctx.writes.afterwards(async () => {
    await upsertImportedPdf(ctx.tx, {
      invoiceId: input.invoiceId,
      workspaceId: ctx.workspaceId,
      filename,
      sha256,
      content,
    });
  });
  ctx.audit.push(
    ctx.auditRow("invoice.original_pdf_imported", "invoice", input.invoiceId, stored ?? null, {
      filename,
      sha256,
    }),
  );
  return "updated";
}
