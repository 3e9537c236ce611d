import { describe, expect, it } from "vitest";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { exportEInvoice } from "../../src/invoicing/export-e-invoice.ts";
import { invoicePdfAttachment } from "../../src/invoicing/invoice-pdf-attachment.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { modelOf, type PdfInput } from "../../src/pdf/render-invoice.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

const FRENCH_SELLER = {
  legalName: "Atelier Durand SAS",
  legalForm: "SAS",
  shareCapital: "10 000 €",
  address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
  vatId: "FR32123456789",
  siren: "123456789",
  rcs: "RCS Paris 123 456 789",
  iban: "FR7630006000011234567890189",
};

describe(`invoice document on ${backend()}`, () => {
  it("prints the late-penalty rate of the issue's half-year only when the rate table has it", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { seller: FRENCH_SELLER, timeZone: "Europe/Paris" });
    const client = await createClient(db, workspace.id, { language: "fr" });
    const clock = fixedClock("2035-03-20T09:00:00Z");
    const deps = serviceDeps(db, clock);
    const issue = async (issueDate: string) => {
      const { invoice } = await createInvoiceDraft(testCtx(deps, workspace.id), {
        clientId: client.id,
        lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2000 }],
      });
      await issueInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, issueDate });
      return (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).input;
    };
    const mentionOf = (input: PdfInput) => modelOf(input).mentions.find((m) => m.includes("10 points")) ?? "";
    // H2 2024 is in the shipped table (ECB 4.25 + 10).
    expect(mentionOf(await issue("2024-09-15"))).toContain("(soit 14,25 %)");
    // H1 2026 is shipped too (ECB 2.15 + 10).
    expect(mentionOf(await issue("2026-03-10"))).toContain("(soit 12,15 %)");
    // No rate for H1 2035 until the ECB fetch or an import adds it (no test seeds one: the rate
    // table is shared by all workspaces): the legal formula alone, never an older half-year's figure.
    const unknown = mentionOf(await issue("2035-03-10"));
    expect(unknown).toContain("majoré de 10 points");
    expect(unknown).not.toContain("soit");
  });

  it("a receivable imported without the company's identity has no PDF: reminders go without it, the CLI says why", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { seller: FRENCH_SELLER });
    const client = await createClient(db, workspace.id);
    const imported = await createIssuedInvoice(db, workspace.id, client.id, { number: "OLD-42" });
    const deps = serviceDeps(db);
    expect(await invoicePdfAttachment(testCtx(deps, workspace.id), { invoiceId: imported.id })).toBeNull();
    await expect(
      renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: imported.id }),
    ).rejects.toMatchObject({
      userMessage: expect.stringContaining("OLD-42 was imported without your company's identity"),
    });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000 }],
    });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    // Imported with the parties, it still has no e-invoice: Cobro does not know its lines.
    const withParties = await createIssuedInvoice(db, workspace.id, client.id, {
      number: "OLD-43",
      seller: FRENCH_SELLER,
      buyer: {
        name: "Client SA",
        country: "FR",
        emails: ["ap@client.example"],
        language: "fr",
        profile: "business",
      },
    });
    for (const format of ["ubl", "cii", "facturx"]) {
      await expect(
        exportEInvoice(testCtx(deps, workspace.id), { invoiceId: withParties.id, format }),
      ).rejects.toMatchObject({
        userMessage: expect.stringContaining("OLD-43 was imported from another system"),
      });
    }
    const attached = await invoicePdfAttachment(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    expect(attached?.filename).toBe(`${invoice.number}.pdf`);
    expect(attached?.content.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
