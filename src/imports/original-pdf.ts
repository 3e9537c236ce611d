// The original PDF of an imported receivable, read from the path its CSV row names and kept with it.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { eq } from "drizzle-orm";
import { importedInvoicePdfs } from "../db/schema/index.ts";
import { auditRow, type Context, reject } from "./context.ts";

const MAX_BYTES = 10 * 1024 * 1024;

export async function storeOriginalPdf(
  ctx: Context,
  input: { line: number; invoiceId: string; path: string },
): Promise<"updated" | "unchanged" | "rejected"> {
  if (!ctx.readAttachment) {
    return reject(
      ctx,
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
    return reject(ctx, input.line, "pdf", `cannot read "${input.path}" (relative to the CSV file): ${why}`);
  }
  if (bytes.byteLength > MAX_BYTES)
    return reject(ctx, input.line, "pdf", `"${input.path}" is larger than 10 MB`);
  const content = Buffer.from(bytes);
  if (content.subarray(0, 5).toString("latin1") !== "%PDF-") {
    return reject(ctx, input.line, "pdf", `"${input.path}" is not a PDF file`);
  }
  const sha256 = createHash("sha256").update(content).digest("hex");
  const [stored] = await ctx.tx
    .select({ sha256: importedInvoicePdfs.sha256 })
    .from(importedInvoicePdfs)
    .where(eq(importedInvoicePdfs.invoiceId, input.invoiceId));
  if (stored?.sha256 === sha256) return "unchanged";
  const filename = basename(input.path);
  // After the batch's invoices are written: a new invoice's row does not exist before.
  ctx.writes.afterwards(async () => {
    await ctx.tx
      .insert(importedInvoicePdfs)
      .values({ invoiceId: input.invoiceId, workspaceId: ctx.workspaceId, filename, sha256, content })
      .onConflictDoUpdate({ target: importedInvoicePdfs.invoiceId, set: { filename, sha256, content } });
  });
  ctx.audit.push(
    auditRow(ctx, "invoice.original_pdf_imported", "invoice", input.invoiceId, stored ?? null, {
      filename,
      sha256,
    }),
  );
  return "updated";
}
