// The original PDF of an imported receivable, read from the path its CSV row names and kept with it.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { ImportContext } from "./context.ts";
import { findImportedPdfSha, upsertImportedPdf } from "./repo.ts";

const MAX_BYTES = 10 * 1024 * 1024;

export async function storeOriginalPdf(
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
  if (bytes.byteLength > MAX_BYTES)
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
