import { describe, expect, it } from "vitest";
import { assertPaymentTermsAllowed, computeDueDate } from "../../src/domain/due-date.ts";
import { buyerSnapshot } from "../../src/domain/invoice-parties.ts";
import { settlementStatus, transitionInvoice } from "../../src/domain/invoice-state.ts";
import { defaultVatTreatment } from "../../src/domain/invoice-totals.ts";
import { selectLegalMentions } from "../../src/domain/legal-mentions.ts";
import { formatDocumentNumber, seriesPeriodKey, validateSeriesFormat } from "../../src/domain/numbering.ts";
import { localToday } from "../../src/domain/overdue.ts";

/** What the user is told when the call is refused. */
function userMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { userMessage?: string }).userMessage ?? String(error);
  }
  return "not refused";
}

describe("numbering", () => {
  it("formats the usual templates and restarts per year only when the year is shown", () => {
    expect(formatDocumentNumber("F-{YYYY}-{NNNNN}", "2026-03-01", 42)).toBe("F-2026-00042");
    expect(formatDocumentNumber("AV-{YYYY}-{NNNN}", "2026-03-01", 7)).toBe("AV-2026-0007");
    expect(formatDocumentNumber("INT-{YY}-{NNN}", "2026-03-01", 1234)).toBe("INT-26-1234");
    expect(seriesPeriodKey("F-{YYYY}-{NNNNN}", "2026-12-31")).toBe("2026");
    expect(seriesPeriodKey("INT-{YY}-{NNN}", "2027-01-01")).toBe("2027");
    expect(seriesPeriodKey("F{NNNNNN}", "2027-01-01")).toBe("");
  });

  it("refuses bad templates and numbers over 35 characters", () => {
    expect(userMessageOf(() => validateSeriesFormat("F-{YYYY}"))).toMatch(/counter/);
    expect(userMessageOf(() => validateSeriesFormat("F-{MM}-{NNN}"))).toMatch(/unknown placeholder/);
    expect(userMessageOf(() => validateSeriesFormat("F {NNN}"))).toMatch(/only letters/);
    expect(
      userMessageOf(() => formatDocumentNumber(`${"X".repeat(30)}-{YYYY}-{NNN}`, "2026-01-01", 1)),
    ).toMatch(/35 characters/);
  });
});

describe("due dates", () => {
  it("computes net and end-of-month terms", () => {
    expect(computeDueDate("2026-01-31", { rule: "net", days: 30 })).toBe("2026-03-02");
    expect(computeDueDate("2026-01-15", { rule: "end_of_month", days: 0 })).toBe("2026-01-31");
    expect(computeDueDate("2026-01-15", { rule: "end_of_month", days: 45 })).toBe("2026-03-17");
    expect(computeDueDate("2028-02-10", { rule: "end_of_month", days: 0 })).toBe("2028-02-29");
  });

  it("applies the statutory caps as data", () => {
    expect(assertPaymentTermsAllowed("2026-01-15", { rule: "net", days: 60 }, "FR", "business")).toBe(
      "2026-03-16",
    );
    expect(
      userMessageOf(() =>
        assertPaymentTermsAllowed("2026-01-15", { rule: "net", days: 90 }, "FR", "business"),
      ),
    ).toMatch(/at most 60/);
    expect(
      userMessageOf(() => assertPaymentTermsAllowed("2026-01-15", { rule: "net", days: 45 }, "ES", "public")),
    ).toMatch(/at most 30/);
    // FR "45 days end of month" is allowed when written in the contract.
    expect(
      assertPaymentTermsAllowed("2026-01-15", { rule: "end_of_month", days: 45 }, "FR", "business"),
    ).toBe("2026-03-17");
    expect(assertPaymentTermsAllowed("2026-01-15", { rule: "net", days: 120 }, "FR", "individual")).toBe(
      "2026-05-15",
    );
  });

  it("takes today in the workspace's time zone", () => {
    expect(localToday(new Date("2026-12-31T23:30:00Z"), "Europe/Madrid")).toBe("2027-01-01");
    expect(localToday(new Date("2026-12-31T23:30:00Z"), "America/Mexico_City")).toBe("2026-12-31");
  });
});

describe("invoice state", () => {
  it("allows edits only on drafts and moves with settlements", () => {
    expect(transitionInvoice("draft", "hold")).toBe("held");
    expect(transitionInvoice("held", "release")).toBe("draft");
    expect(transitionInvoice("held", "issue")).toBe("issued");
    expect(userMessageOf(() => transitionInvoice("issued", "edit"))).toMatch(/credit note/);
    expect(() => transitionInvoice("paid", "pay")).toThrow();
    expect(() => transitionInvoice("draft", "send")).toThrow();
    expect(settlementStatus({ collectibleMinor: 100, paidMinor: 0, creditedMinor: 0 })).toEqual({
      status: "issued",
      openMinor: 100,
    });
    expect(settlementStatus({ collectibleMinor: 100, paidMinor: 40, creditedMinor: 0 })).toEqual({
      status: "partially_paid",
      openMinor: 60,
    });
    expect(settlementStatus({ collectibleMinor: 100, paidMinor: 0, creditedMinor: 30 })).toEqual({
      status: "issued",
      openMinor: 70,
    });
    expect(settlementStatus({ collectibleMinor: 100, paidMinor: 70, creditedMinor: 30 })).toEqual({
      status: "paid",
      openMinor: 0,
    });
    expect(settlementStatus({ collectibleMinor: 100, paidMinor: 0, creditedMinor: 100 })).toEqual({
      status: "credited",
      openMinor: 0,
    });
    expect(() => settlementStatus({ collectibleMinor: 100, paidMinor: 101, creditedMinor: 0 })).toThrow();
  });
});

describe("legal mentions", () => {
  const base = {
    kind: "invoice" as const,
    vatBreakdown: [{ category: "S" as const, rateBp: 2000 }],
    withholdingRateBp: 0,
  };

  it("France B2B: penalty rate, EUR 40 indemnity, discount terms; not for consumers", () => {
    const fr = selectLegalMentions({
      ...base,
      sellerCountry: "FR",
      buyerProfile: "business",
      language: "fr",
      latePenaltyRateBp: 1215,
    });
    expect(fr.map((m) => m.key)).toEqual([
      "late_penalty",
      "recovery_indemnity",
      "early_payment_discount",
      "operation_nature",
    ]);
    expect(fr[0]?.text).toContain("majoré de 10 points (soit 12,15 %)");
    expect(fr[1]?.text).toContain("40 €");
    const en = selectLegalMentions({
      ...base,
      sellerCountry: "FR",
      buyerProfile: "business",
      language: "en",
    });
    expect(en[1]?.text).toBe(
      "Fixed compensation for recovery costs in case of late payment: EUR 40 (Directive 2011/7/EU).",
    );
    expect(
      selectLegalMentions({ ...base, sellerCountry: "FR", buyerProfile: "individual", language: "fr" }),
    ).toEqual([]);
  });

  it("France B2G: a public buyer owes the public procurement code's ECB + 8, not the commercial code's + 10", () => {
    const fr = selectLegalMentions({
      ...base,
      sellerCountry: "FR",
      buyerProfile: "public",
      language: "fr",
      latePenaltyRateBp: 1015,
    });
    expect(fr.map((m) => m.key)).toEqual([
      "late_penalty",
      "recovery_indemnity",
      "early_payment_discount",
      "operation_nature",
    ]);
    expect(fr[0]?.text).toBe(
      "Intérêts moratoires dus de plein droit dès le jour suivant la date d'échéance : taux de la BCE à ses opérations principales de refinancement en vigueur au premier jour du semestre, majoré de 8 points (soit 10,15 %) (art. L2192-13 et R2192-31 du Code de la commande publique).",
    );
    expect(fr[1]?.text).toBe(
      "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L2192-13 et D2192-35 du Code de la commande publique).",
    );
    const en = selectLegalMentions({ ...base, sellerCountry: "FR", buyerProfile: "public", language: "en" });
    expect(en[0]?.text).toContain("plus 8 points (French public procurement code");
    expect(en.map((m) => m.text).join("\n")).not.toMatch(/10 points|L441-10/);
  });

  it("Spain: no late-payment wording, IRPF and exemptions stated", () => {
    const es = selectLegalMentions({
      ...base,
      sellerCountry: "ES",
      buyerProfile: "business",
      language: "es",
      withholdingRateBp: 1500,
      vatBreakdown: [{ category: "E", rateBp: 0, exemptionReason: "Exenta art. 20.Uno.9º Ley 37/1992" }],
    });
    expect(es.map((m) => m.text)).toEqual([
      "Exenta art. 20.Uno.9º Ley 37/1992",
      "Retención IRPF del 15 % sobre la base imponible.",
    ]);
  });

  it("credit notes name the original in each language; reverse charge is worded", () => {
    const note = {
      ...base,
      kind: "credit_note" as const,
      correctsNumber: "F-2026-00012",
      buyerProfile: "business" as const,
    };
    expect(selectLegalMentions({ ...note, sellerCountry: "FR", language: "fr" })[0]?.text).toBe(
      "Avoir rectifiant la facture n° F-2026-00012. Net à déduire.",
    );
    expect(selectLegalMentions({ ...note, sellerCountry: "ES", language: "es" })[0]?.text).toBe(
      "Factura rectificativa de la factura n.º F-2026-00012.",
    );
    const ae = selectLegalMentions({
      ...base,
      sellerCountry: "ES",
      buyerProfile: "business",
      language: "en",
      vatBreakdown: [{ category: "AE", rateBp: 0 }],
    });
    expect(ae).toEqual([{ key: "reverse_charge", text: "Reverse charge" }]);
  });

  it("defaults VAT from the parties' countries", () => {
    expect(defaultVatTreatment("FR", "FR", "business")).toEqual({ category: "S", rateBp: 2000 });
    expect(defaultVatTreatment("ES", "DE", "business")?.category).toBe("AE");
    expect(defaultVatTreatment("ES", "US", "business")?.category).toBe("O");
    expect(defaultVatTreatment("ES", "DE", "individual")).toEqual({ category: "S", rateBp: 2100 });
    // The reverse-charge mention in the invoice's language, as French and Spanish law word it.
    expect(defaultVatTreatment("FR", "DE", "business", "fr")?.exemptionReason).toMatch(/^Autoliquidation/);
    expect(defaultVatTreatment("ES", "IT", "business", "es")?.exemptionReason).toMatch(
      /^Inversión del sujeto pasivo/,
    );
    expect(defaultVatTreatment("FR", "US", "business", "fr")?.exemptionReason).toMatch(/^Hors du champ/);
    expect(defaultVatTreatment("ES", "DE", "business")?.exemptionReason).toMatch(/^Reverse charge/);
  });
});

describe("the buyer frozen on an invoice", () => {
  it("keeps every identity the client has (tax id, SIREN, PO, e-invoicing address) and drops the empty ones", () => {
    const client = {
      name: "Industries Martin SA",
      country: "FR",
      emails: ["ap@martin.example"],
      language: "fr" as const,
      profile: "business" as const,
      address: { line1: "25 avenue Jean Jaurès", postcode: "69007", city: "Lyon", country: "FR" },
      taxId: "FR40303265045",
      siren: "303265045",
      poReference: "BC-2026-1187",
      electronicAddress: "0225:303265045",
    };
    expect(buyerSnapshot(client)).toEqual(client);
    expect(buyerSnapshot({ ...client, address: null, taxId: "", siren: null, poReference: null })).toEqual({
      name: "Industries Martin SA",
      country: "FR",
      emails: ["ap@martin.example"],
      language: "fr",
      profile: "business",
      electronicAddress: "0225:303265045",
    });
  });
});
