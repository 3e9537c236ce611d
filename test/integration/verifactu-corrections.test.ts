import { describe, expect, it } from "vitest";
import { modelOf } from "../../src/pdf/render-in-thread.ts";
import { createCreditNote } from "../../src/services/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/services/create-invoice-draft.ts";
import { issueInvoice } from "../../src/services/issue-invoice.ts";
import { renderInvoiceDocument } from "../../src/services/render-invoice-document.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

async function spanishSetup() {
  const { db } = await testDatabase();
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db); // Acme Consulting SL, NIF B12345678
  const client = await createClient(db, workspace.id, {
    country: "ES",
    taxId: "ESB87654321",
    currency: "EUR",
  });
  const issue = async (lines: { description: string; unitPriceMinor: number; vatRateBp?: number }[]) => {
    const { invoice: draft } = await createInvoiceDraft(deps, {
      workspaceId: workspace.id,
      clientId: client.id,
      lines: lines.map((line) => ({ quantityMilli: 1000, ...line })),
    });
    return (await issueInvoice(deps, { workspaceId: workspace.id, invoiceId: draft.id })).invoice;
  };
  return { db, deps, workspace, client, issue };
}

describe(`VERI*FACTU corrections on ${backend()}`, () => {
  it("prints a rectificativa por diferencias with the negative amounts of its record", async () => {
    const { deps, workspace, issue } = await spanishSetup();
    const invoice = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    const { creditNote } = await createCreditNote(deps, {
      workspaceId: workspace.id,
      invoiceId: invoice.id,
      reason: "Facturado dos veces",
      full: true,
    });
    const document = await renderInvoiceDocument(deps, {
      workspaceId: workspace.id,
      invoiceId: creditNote.id,
    });
    const model = modelOf(document.input);
    expect(model.lines[0]?.lineTotal).toMatch(/^[-−]/);
    expect(model.totals.map((t) => t.value).every((value) => /^[-−]/.test(value))).toBe(true);
    expect(model.vatRows[0]?.vat).toMatch(/^[-−]/);
  });
});
