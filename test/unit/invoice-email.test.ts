import { describe, expect, it } from "vitest";
import { composeInvoiceEmail, type InvoiceEmailModel } from "../../src/invoicing/jobs/send-invoice-email.ts";

const model = (over: Partial<InvoiceEmailModel>): InvoiceEmailModel => ({
  language: "fr",
  kind: "invoice",
  number: "F-2026-00042",
  sellerName: "Atelier Durand",
  amountDue: "1 200,00 €",
  dueDate: "23/12/2026",
  receiptUrl: "https://cobro.example/r/abc",
  ...over,
});

describe("invoice e-mail", () => {
  it("names each kind of document in the client's language, subject and body", () => {
    const cases: [Partial<InvoiceEmailModel>, string, string][] = [
      [{}, "Facture F-2026-00042 — Atelier Durand", "ci-joint la facture F-2026-00042"],
      [
        { kind: "credit_note", number: "AV-2026-0003" },
        "Avoir AV-2026-0003",
        "ci-joint l'avoir AV-2026-0003",
      ],
      [
        { kind: "interest_note", number: "INT-26-001" },
        "Note de débit INT-26-001",
        "la note de débit (intérêts de retard)",
      ],
      [{ kind: "deposit" }, "Facture d'acompte F-2026-00042", "la facture d'acompte"],
      [
        { language: "es", kind: "interest_note", number: "INT-26-001" },
        "Nota de cargo INT-26-001",
        "Adjuntamos la nota de cargo (intereses de demora)",
      ],
      [
        { language: "es", kind: "credit_note" },
        "Factura rectificativa F-2026-00042",
        "Adjuntamos la factura rectificativa",
      ],
      [
        { language: "en", kind: "interest_note", number: "INT-26-001" },
        "Debit note INT-26-001 from Atelier Durand",
        "attached debit note (late-payment interest) INT-26-001",
      ],
      [
        { language: "en" },
        "Invoice F-2026-00042 from Atelier Durand",
        "attached invoice F-2026-00042 for 1 200,00 €, due on 23/12/2026",
      ],
    ];
    for (const [over, subject, body] of cases) {
      const email = composeInvoiceEmail(model(over));
      expect(email.subject).toContain(subject);
      expect(email.text).toContain(body);
      expect(email.html).toContain(body.replaceAll("'", "&#39;"));
    }
  });

  it("asks the client to quote the invoice's RF reference when paying by transfer", () => {
    const email = composeInvoiceEmail(model({ language: "en" }));
    expect(email.text).toContain(
      "If you pay by bank transfer, please quote the reference RF93 F202 6000 42.",
    );
    expect(email.html).toContain("please quote the reference RF93 F202 6000 42.");
    expect(composeInvoiceEmail(model({})).text).toContain("indiquez la référence RF93 F202 6000 42");
    expect(composeInvoiceEmail(model({ kind: "credit_note" })).text).not.toContain("RF");
  });
});
