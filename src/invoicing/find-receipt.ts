// The invoice a receipt link (or pay link) names, issued and not held, or a refusal that says only
// that the link is not valid.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { findInvoiceByReceiptToken, type InvoiceRow } from "./repo.ts";

const ReceiptToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a receipt token");

// A signed link's visitor has no Slack identity and the token names the workspace: this runs before any ctx exists.
export async function findReceipt(deps: Pick<ServiceDeps, "db">, token: string): Promise<InvoiceRow> {
  if (!ReceiptToken.safeParse(token).success) throw unknownToken();
  const invoice = await findInvoiceByReceiptToken(deps.db, token);
  if (!invoice || invoice.status === "draft" || invoice.status === "held") throw unknownToken();
  return invoice;
}

function unknownToken(): DomainError {
  return new DomainError("receipt.unknown", "unknown receipt token", {
    userMessage: "This receipt link is not valid. Please use the link in the invoice e-mail.",
  });
}
