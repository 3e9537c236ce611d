import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { issueInterestNote } from "../../src/collections/issue-interest-note.ts";
import { invoices } from "../../src/db/schema/index.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { modelOf } from "../../src/pdf/render-invoice.ts";
import { translatedUserMessage } from "../../src/slack/kit/support.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

async function setup(clientValues: Parameters<typeof createClient>[2] = {}) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, {
    timeZone: "Europe/Paris",
    seller: FR_SELLER,
    settings: { jurisdiction: "FR" },
  });
  const client = await createClient(db, workspace.id, { siren: "303265045", ...clientValues });
  const deps = serviceDeps(db);
  return { db, workspace, client, deps };
}

/** invoicing-rules.md §1.1: €12,000 TTC due 2024-09-30, paid 2024-10-30. */
async function lateFrenchInvoice(s: Awaited<ReturnType<typeof setup>>) {
  const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
    totalMinor: 1_200_000,
    subtotalMinor: 1_000_000,
    vatMinor: 200_000,
    openMinor: 1_200_000,
    issueDate: "2024-08-31",
    dueDate: "2024-09-30",
  });
  await recordPayment(testCtx(s.deps, s.workspace.id), {
    invoiceId: invoice.id,
    amountMinor: 1_200_000,
    paidOn: "2024-10-30",
    reference: "VIR-1030",
  });
  return invoice;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe(`interest notes on ${backend()}`, () => {
  it("claims €140.55 interest + €40 on the FR worked example, in the INT series, invoice untouched", async () => {
    const s = await setup();
    const invoice = await lateFrenchInvoice(s);
    const result = await issueInterestNote(testCtx(s.deps, s.workspace.id), { invoiceId: invoice.id });
    expect(result.alreadyDone).toBe(false);
    expect(result.interest).toEqual({ amountMinor: 14_055, currency: "EUR" });
    expect(result.compensation).toEqual({ amountMinor: 4_000, currency: "EUR" });
    expect(result.note).toMatchObject({
      kind: "interest_note",
      typeCode: "383",
      status: "issued",
      number: "INT-26-001",
      correctsInvoiceId: invoice.id,
      servicePeriodStart: "2024-10-01",
      servicePeriodEnd: "2024-10-30",
      subtotalMinor: 18_055,
      vatMinor: 0,
      totalMinor: 18_055,
      openMinor: 18_055,
    });
    expect(result.lines.map((l) => [l.description, l.netMinor, l.vatCategory, l.vatRateBp])).toEqual([
      [
        `Late-payment interest on invoice ${invoice.number}, 01/10/2024–30/10/2024 at 14.25 %`,
        14_055,
        "O",
        0,
      ],
      ["Fixed recovery compensation (art. L441-10 C. com.)", 4_000, "O", 0],
    ]);
    expect(result.lines[0]?.exemptionReason).toMatch(/Outside the scope of VAT/);
    const [original] = await s.db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(original).toMatchObject({ status: "paid", openMinor: 0, totalMinor: 1_200_000 });
    const pdf = await renderInvoiceDocument(testCtx(s.deps, s.workspace.id), {
      invoiceId: result.note.id,
    });
    expect(modelOf(pdf.input).title).toBe("Debit note (late-payment interest)");
  });

  it("writes the lines in the client's language", async () => {
    const s = await setup({ language: "fr" });
    const invoice = await lateFrenchInvoice(s);
    const { lines } = await issueInterestNote(testCtx(s.deps, s.workspace.id), { invoiceId: invoice.id });
    expect(lines.map((l) => l.description)).toEqual([
      `Intérêts de retard sur la facture ${invoice.number}, du 01/10/2024 au 30/10/2024 au taux de 14,25 %`,
      "Indemnité forfaitaire pour frais de recouvrement (art. L441-10 C. com.)",
    ]);
    expect(lines[0]?.exemptionReason).toMatch(/^Hors champ de la TVA/);
  });

  it("claims a French public body's intérêts moratoires at ECB + 8 and the 40 € under the public procurement code", async () => {
    const s = await setup({ language: "fr", profile: "public" });
    const invoice = await lateFrenchInvoice(s);
    const { lines, interest } = await issueInterestNote(testCtx(s.deps, s.workspace.id), {
      invoiceId: invoice.id,
    });
    // 12,000 € × (4.25 + 8 = 12.25 %) × 30 / 365 = 120.82
    expect(interest).toEqual({ amountMinor: 12082, currency: "EUR" });
    expect(lines.map((l) => l.description)).toEqual([
      `Intérêts de retard sur la facture ${invoice.number}, du 01/10/2024 au 30/10/2024 au taux de 12,25 %`,
      "Indemnité forfaitaire pour frais de recouvrement (art. D2192-35 C. commande publique)",
    ]);
  });

  it("issues one note when called twice and when called concurrently", async () => {
    const s = await setup();
    const invoice = await lateFrenchInvoice(s);
    const input = { invoiceId: invoice.id };
    const [a, b] = await Promise.all([
      issueInterestNote(testCtx(s.deps, s.workspace.id), input),
      issueInterestNote(testCtx(s.deps, s.workspace.id), input),
    ]);
    const again = await issueInterestNote(testCtx(s.deps, s.workspace.id), input);
    expect([a.alreadyDone, b.alreadyDone].sort()).toEqual([false, true]);
    expect(again.alreadyDone).toBe(true);
    expect(new Set([a.note.id, b.note.id, again.note.id]).size).toBe(1);
    const notes = await s.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.correctsInvoiceId, invoice.id), eq(invoices.kind, "interest_note")));
    expect(notes).toHaveLength(1);
  });

  it("claims later interest on a still-open invoice without a second €40", async () => {
    const s = await setup();
    const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
      totalMinor: 1_200_000,
      openMinor: 1_200_000,
      issueDate: "2024-08-31",
      dueDate: "2024-09-30",
    });
    const input = { invoiceId: invoice.id };
    const first = await issueInterestNote(testCtx(s.deps, s.workspace.id), { ...input, asOf: "2024-10-30" });
    expect(first.interest.amountMinor).toBe(14_055);
    const second = await issueInterestNote(testCtx(s.deps, s.workspace.id), { ...input, asOf: "2024-11-29" });
    expect(second.alreadyDone).toBe(false);
    expect(second.compensation.amountMinor).toBe(0);
    // 12,000 × 14.25 % × 60/365 = 281.0959 → 281.10 in all, 140.55 already claimed.
    expect(second.interest.amountMinor).toBe(28_110 - 14_055);
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]?.description).toContain("31/10/2024–29/11/2024");
    expect(second.note.number).toBe("INT-26-002");
  });

  it("refuses an individual client", async () => {
    const s = await setup({ profile: "individual", taxId: null });
    const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, { dueDate: "2024-09-30" });
    const error = await refusal(
      issueInterestNote(testCtx(s.deps, s.workspace.id), { invoiceId: invoice.id }),
    );
    expect(error.userMessage).toMatch(/is an individual: .*business and public-body clients/);
    expect(translatedUserMessage(error, "fr")).toMatch(
      /^.+ est un particulier : les intérêts de retard légaux/,
    );
    expect(translatedUserMessage(error, "es")).toMatch(
      /^.+ es un particular: los intereses de demora legales/,
    );
  });

  it("refuses when a half-year's rate is missing, naming it and the import command", async () => {
    const s = await setup();
    const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
      issueDate: "2013-08-31",
      dueDate: "2013-09-30",
    });
    const error = await refusal(
      issueInterestNote(testCtx(s.deps, s.workspace.id), { invoiceId: invoice.id, asOf: "2013-11-15" }),
    );
    expect(error.userMessage).toContain("FR 2013 H2");
    expect(error.userMessage).toContain("cobro rates import");
    const notes = await s.db.select().from(invoices).where(eq(invoices.correctsInvoiceId, invoice.id));
    expect(notes).toHaveLength(0);
  });

  it("refuses an invoice that is not late", async () => {
    const s = await setup();
    const invoice = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, { dueDate: "2026-12-31" });
    const error = await refusal(
      issueInterestNote(testCtx(s.deps, s.workspace.id), { invoiceId: invoice.id }),
    );
    expect(error.userMessage).toContain("not late as of 2026-11-23");
    expect(translatedUserMessage(error, "fr")).toBe(
      `${invoice.number} arrive à échéance le 31 déc. 2026 : elle n’est pas en retard au 23 nov. 2026.`,
    );
    expect(translatedUserMessage(error, "es")).toBe(
      `${invoice.number} vence el 31 dic 2026: no está vencida a 23 nov 2026.`,
    );
  });
});
