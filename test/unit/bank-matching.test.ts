import { describe, expect, it } from "vitest";
import {
  type BankMatch,
  type BankReason,
  clientNamedBy,
  compactNumberTokens,
  type FeeTolerance,
  invoiceNumberTokens,
  type MatchCandidate,
  type MatchContext,
  matchBankLine,
  parseFeeTolerance,
} from "../../src/domain/bank-matching.ts";
import {
  findRfReferences,
  formatRfReference,
  isValidRfReference,
  rfReference,
} from "../../src/domain/sepa-transfer.ts";
import { bankReasonText } from "../../src/imports/bank-reason-text.ts";

/** A reason as an English reader sees it. */
const said = (reason: BankReason) => bankReasonText(reason, "en");
/** Why a match was paid or suggested, in English. */
const whyOf = (match: BankMatch) => (match.kind === "unmatched" ? null : said(match.why));
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });
/** A reason in Spanish or French, Intl's no-break spaces (in amounts, before € and ":") as plain ones. */
const saidIn = (reason: BankReason, locale: "es" | "fr") =>
  bankReasonText(reason, locale).replace(/[\u00a0\u202f]/g, " ");
/** An unmatched credit's reason as English, Spanish and French readers see it. */
const reasonSaid = (match: BankMatch) => {
  if (match.kind !== "unmatched") throw new Error(`expected unmatched, got ${match.kind}`);
  return { en: said(match.reason), es: saidIn(match.reason, "es"), fr: saidIn(match.reason, "fr") };
};

describe("ISO 11649 RF creditor references", () => {
  it("computes the check digits of the standard's published examples", () => {
    // ISO 11649 / EPC examples: RF18 5390 0754 7034, RF45 G72U UR, RF71 2348 231.
    expect(rfReference("539007547034")).toBe("RF18539007547034");
    expect(rfReference("G72UUR")).toBe("RF45G72UUR");
    expect(rfReference("2348231")).toBe("RF712348231");
    expect(formatRfReference("RF18539007547034")).toBe("RF18 5390 0754 7034");
  });
  it("gives every invoice number a reference from its letters and digits", () => {
    const reference = rfReference("F-2026-0041");
    expect(reference).toMatch(/^RF\d\dF20260041$/);
    expect(isValidRfReference(reference as string)).toBe(true);
    expect(rfReference("INV/2026/000000000000000000001")).toBeNull(); // over 21 characters
  });
  it("refuses a typo: a wrong check digit or a swapped character", () => {
    expect(isValidRfReference("RF19539007547034")).toBe(false);
    expect(isValidRfReference("RF18539007547043")).toBe(false);
    expect(isValidRfReference("RF18")).toBe(false);
  });
  it("finds references in remittance text, spaced or not, without swallowing the next word", () => {
    expect(findRfReferences("Pago RF18 5390 0754 7034 gracias")).toEqual(["RF18539007547034"]);
    expect(findRfReferences("rf45g72uur/nov, RF712348231")).toEqual(["RF45G72UUR", "RF712348231"]);
    expect(findRfReferences("RF19 5390 0754 7034")).toEqual([]);
  });
});

const invoice = (number: string, openMinor: number, extra: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id: `id-${number}`,
  number,
  currency: "EUR",
  openMinor,
  status: openMinor > 0 ? "issued" : "paid",
  clientId: "c1",
  clientName: "Globex Servicios SL",
  dueDate: "2026-11-01",
  ...extra,
});
const context = (partial: Partial<MatchContext>): MatchContext => ({
  named: [],
  payerClients: [],
  clientOpen: [],
  sameAmount: [],
  tolerance: null,
  ...partial,
});
const credit = (amountMinor: number, payerName: string | null = null) => ({
  amountMinor,
  currency: "EUR",
  payerName,
});

describe("matching a credit", () => {
  it("finds invoice numbers among the words of a remittance text", () => {
    expect(invoiceNumberTokens("Pago fra. F-2026/0041, FA-7; ref #2026-12.")).toEqual([
      "F-2026/0041",
      "FA-7",
      "2026-12",
    ]);
  });

  it("reads an invoice number a French bank passed on without its separators", () => {
    expect(compactNumberTokens("FACT FA 2026 0004")).toContain("FA20260004");
    expect(compactNumberTokens("solde fa20260303.")).toContain("FA20260303");
    expect(compactNumberTokens("VIR A B C D E 1")).not.toContain("ABCDE1");
  });

  it("an RF reference with the exact amount pays the invoice and says so", () => {
    const match = matchBankLine(
      credit(121_000),
      context({ named: [{ invoice: invoice("F-1", 121_000), via: "rf" }] }),
    );
    expect(match).toEqual({
      kind: "paid",
      plan: {
        allocations: [{ invoiceId: "id-F-1", number: "F-1", amountMinor: 121_000 }],
        writeOff: null,
        overpaidMinor: 0,
      },
      why: {
        code: "named_in_text",
        values: { named: [{ number: "F-1", via: "rf" }], fit: { kind: "exact" } },
      },
    });
    expect(whyOf(match)).toBe("RF reference of F-1 in the text; exact amount");
  });

  it("several named invoices are paid oldest due first, the last in part", () => {
    const match = matchBankLine(
      credit(70_000),
      context({
        named: [
          { invoice: invoice("F-2", 50_000, { dueDate: "2026-12-01" }), via: "number" },
          { invoice: invoice("F-1", 40_000, { dueDate: "2026-11-01" }), via: "number" },
        ],
      }),
    );
    expect(match.kind).toBe("paid");
    if (match.kind !== "paid") return;
    expect(match.plan.allocations.map((a) => [a.number, a.amountMinor])).toEqual([
      ["F-1", 40_000],
      ["F-2", 30_000],
    ]);
    expect(match.why).toEqual({
      code: "named_in_text",
      values: {
        named: [
          { number: "F-1", via: "number" },
          { number: "F-2", via: "number" },
        ],
        fit: {
          kind: "partial",
          received: eur(70_000),
          open: eur(90_000),
          invoices: 2,
          fullyPaid: 1,
          number: "F-2",
          amount: eur(30_000),
        },
      },
    });
    expect(said(match.why)).toBe(
      "invoice number F-1 and invoice number F-2 in the text; partial: €700.00 received, €900.00 open on 2 invoices; 1 paid in full oldest first, F-2 paid in part (€300.00)",
    );
  });

  it("a shortfall within the fee tolerance is written off with its reason; beyond it the rest stays open", () => {
    const named = [{ invoice: invoice("F-1", 100_000), via: "number" as const }];
    const within = matchBankLine(credit(99_650), context({ named, tolerance: parseFeeTolerance("5.00") }));
    expect(within.kind === "paid" && within.plan.writeOff).toEqual({
      invoiceId: "id-F-1",
      number: "F-1",
      amountMinor: 350,
      reason: { code: "bank_fees", values: { short: eur(350), tolerance: "5.00" } },
    });
    expect(within.kind === "paid" && said(within.plan.writeOff?.reason as BankReason)).toBe(
      "bank fees: €3.50 short, within the tolerance of 5.00",
    );
    const percent: FeeTolerance = parseFeeTolerance("0,5%");
    expect(percent).toEqual({ percentBp: 50 });
    const beyond = matchBankLine(credit(99_000), context({ named, tolerance: percent }));
    expect(beyond.kind === "paid" && beyond.plan).toEqual({
      allocations: [{ invoiceId: "id-F-1", number: "F-1", amountMinor: 99_000 }],
      writeOff: null,
      overpaidMinor: 0,
    });
    expect(() => parseFeeTolerance("lots")).toThrow("Write an amount such as 2.50 or a share such as 0.5%");
  });

  it("an overpayment pays what is open and keeps the excess on the line", () => {
    const match = matchBankLine(
      credit(105_000),
      context({ named: [{ invoice: invoice("F-1", 100_000), via: "number" }] }),
    );
    expect(match.kind === "paid" && match.plan.overpaidMinor).toBe(5_000);
    expect(match.kind === "paid" && match.why.code === "named_in_text" && match.why.values.fit).toEqual({
      kind: "overpaid",
      received: eur(105_000),
      open: eur(100_000),
      invoices: 1,
      overpaid: eur(5_000),
    });
    expect(whyOf(match)).toContain(
      "overpaid: €1,050.00 received, €1,000.00 open; €50.00 left to refund or credit",
    );
  });

  it("a known IBAN pays the client's one invoice of exactly that amount; otherwise it only suggests", () => {
    const payerClients = [{ id: "c1", name: "Globex Servicios SL" }];
    const clientOpen = [invoice("F-1", 30_000), invoice("F-2", 50_000, { dueDate: "2026-12-01" })];
    const sure = matchBankLine(credit(50_000), context({ payerClients, clientOpen }));
    expect(sure).toMatchObject({
      kind: "paid",
      why: {
        code: "iban_only_invoice",
        values: { client: "Globex Servicios SL", number: "F-2", amount: eur(50_000) },
      },
    });
    expect(whyOf(sure)).toContain("payer's IBAN is Globex Servicios SL's");
    const unsure = matchBankLine(credit(80_000), context({ payerClients, clientOpen }));
    expect(unsure.kind).toBe("suggested");
    expect(unsure.kind === "suggested" && unsure.plan.allocations.map((a) => a.number)).toEqual([
      "F-1",
      "F-2",
    ]);
    expect(unsure.kind === "suggested" && unsure.candidates.map((c) => c.number)).toEqual(["F-1", "F-2"]);
  });

  it("an unknown payer with an amount some invoices have open is suggested, the payer's namesake first", () => {
    const sameAmount = [
      invoice("F-1", 30_000, { clientName: "Initech Iberia SA", dueDate: "2026-10-01" }),
      invoice("F-9", 30_000, { clientName: "Hooli Europe BV" }),
    ];
    const match = matchBankLine(credit(30_000, "HOOLI EUROPE B.V."), context({ sameAmount }));
    expect(match.kind === "suggested" && match.candidates.map((c) => c.number)).toEqual(["F-9", "F-1"]);
    expect(match.kind === "suggested" && match.why).toEqual({
      code: "same_amount",
      values: { ibanClients: [], count: 2, number: "F-9", amount: eur(30_000) },
    });
    expect(whyOf(match)).toBe(
      "no invoice named and the payer's IBAN is not known; 2 invoices have exactly €300.00 open",
    );
  });

  it("an unknown payer with nothing to match waits, saying why", () => {
    const unknown = matchBankLine(credit(12_345, "ACME"), context({}));
    expect(unknown).toEqual({
      kind: "unmatched",
      reason: { code: "unknown_payer", values: { ibanClients: [], amount: eur(12_345), payer: "ACME" } },
    });
    expect(unknown.kind === "unmatched" && said(unknown.reason)).toBe(
      "unknown payer: no invoice named in the text, the payer's IBAN is not known, and no invoice has exactly €123.45 open (from ACME)",
    );
    const closed = matchBankLine(
      credit(500),
      context({ named: [{ invoice: invoice("F-1", 0), via: "number" }] }),
    );
    expect(closed).toEqual({
      kind: "unmatched",
      reason: { code: "nothing_open", values: { invoices: [{ number: "F-1", status: "paid" }] } },
    });
    expect(closed.kind === "unmatched" && said(closed.reason)).toBe("F-1 is paid: nothing open to pay");
  });

  it("a payer's name that is a client's suggests that client's open invoices, never pays them", () => {
    const client = { id: "c7", name: "Cañada y Niño SL" };
    const open = [
      invoice("F-12", 50_000, { clientId: "c7", clientName: client.name, dueDate: "2026-11-15" }),
      invoice("F-10", 40_000, { clientId: "c7", clientName: client.name, dueDate: "2026-10-15" }),
    ];
    const match = matchBankLine(
      credit(40_000, "TRANSFERENCIA DE CANADA Y NINO S.L."),
      context({ namedClient: client, namedClientOpen: open }),
    );
    expect(match.kind).toBe("suggested");
    expect(match.kind === "suggested" && match.candidates.map((c) => c.number)).toEqual(["F-10", "F-12"]);
    expect(match.kind === "suggested" && match.plan.allocations).toEqual([
      { invoiceId: "id-F-10", number: "F-10", amountMinor: 40_000 },
    ]);
    expect(match.kind === "suggested" && match.why.code).toBe("payer_name");
    expect(whyOf(match)).toBe(
      "no invoice named and the payer's IBAN is not known; the payer's name is Cañada y Niño SL's (a name alone is never sure); partial: €400.00 received, €900.00 open on 2 invoices; F-10 paid in part (€400.00)",
    );
  });

  it("finds the one client a payer's name names: every word of the client's name, accents and legal forms aside", () => {
    const clients = [
      { id: "c1", name: "Globex Servicios SL" },
      { id: "c2", name: "Globex" },
      { id: "c3", name: "Cañada y Niño SL" },
      { id: "c4", name: "Umbrella SA" },
      { id: "c5", name: "Umbrella Iberia SA" },
      { id: "c6", name: "Umbrella Ibérica SA" },
    ];
    // The most specific name wins over a shorter one it contains.
    expect(clientNamedBy("GLOBEX SERVICIOS S.L. PAGO NOV", clients)?.id).toBe("c1");
    expect(clientNamedBy("GLOBEX HOLDING (for Globex)", clients)?.id).toBe("c2");
    expect(clientNamedBy("ORDENANTE: CANADA Y NINO, S.L.", clients)?.id).toBe("c3");
    // Part of a name is not the name; two names as specific tell nothing.
    expect(clientNamedBy("SERVICIOS GENERALES SA", clients)).toBeNull();
    expect(clientNamedBy("UMBRELLA IBERIA / UMBRELLA IBERICA", clients)).toBeNull();
    expect(clientNamedBy("", clients)).toBeNull();
  });
});

describe("a bank credit's reason: a code and its values, said in each reader's language", () => {
  it("names the invoices in another currency than the credit", () => {
    const match = matchBankLine(
      credit(10_000),
      context({ named: [{ invoice: invoice("F-7", 10_000, { currency: "USD" }), via: "number" }] }),
    );
    expect(match).toEqual({
      kind: "unmatched",
      reason: {
        code: "other_currency",
        values: { invoices: [{ number: "F-7", currency: "USD" }], currency: "EUR" },
      },
    });
    expect(reasonSaid(match)).toEqual({
      en: "F-7 is in USD, the credit in EUR",
      es: "F-7 está en USD, pero el abono está en EUR",
      fr: "F-7 est en USD, mais le crédit est en EUR",
    });
  });

  it("a known IBAN with nothing open asks whether it is an advance, in each language", () => {
    const payerClients = [{ id: "c1", name: "Globex Servicios SL" }];
    const match = matchBankLine(credit(10_000), context({ payerClients }));
    expect(match).toEqual({
      kind: "unmatched",
      reason: { code: "iban_nothing_open", values: { client: "Globex Servicios SL", currency: "EUR" } },
    });
    expect(reasonSaid(match)).toEqual({
      en: "payer's IBAN is Globex Servicios SL's, with nothing open in EUR: an advance or another company's payment?",
      es: "el IBAN del pagador es de Globex Servicios SL, que no tiene nada pendiente en EUR: ¿un anticipo o el pago de otra empresa?",
      fr: "l’IBAN du payeur est celui de Globex Servicios SL, qui n’a rien à régler en EUR : un acompte ou le paiement d’une autre société ?",
    });
  });

  it("an IBAN known for several clients is named as such, money in the reader's format", () => {
    const payerClients = [
      { id: "c1", name: "Globex" },
      { id: "c2", name: "Initech" },
    ];
    const match = matchBankLine(credit(123_456, null), context({ payerClients }));
    expect(match).toEqual({
      kind: "unmatched",
      reason: {
        code: "unknown_payer",
        values: { ibanClients: ["Globex", "Initech"], amount: eur(123_456), payer: null },
      },
    });
    expect(reasonSaid(match)).toEqual({
      en: "unknown payer: no invoice named in the text, the payer's IBAN is known for Globex and Initech, and no invoice has exactly €1,234.56 open (from an unnamed payer)",
      es: "pagador desconocido: no se menciona ninguna factura en el concepto, el IBAN del pagador está asociado a Globex e Initech y ninguna factura tiene exactamente 1234,56 € pendientes (pagador sin nombre)",
      fr: "payeur inconnu : aucune facture citée dans le libellé, l’IBAN du payeur est connu pour Globex et Initech, et aucune facture n’a exactement 1 234,56 € à régler (payeur sans nom)",
    });
  });

  it("a fee write-off is part of the fit, and a partial payment of several invoices is counted in each language", () => {
    const named = [{ invoice: invoice("F-1", 100_000), via: "rf" as const }];
    const within = matchBankLine(credit(99_650), context({ named, tolerance: parseFeeTolerance("1%") }));
    expect(within.kind === "paid" && within.why).toEqual({
      code: "named_in_text",
      values: {
        named: [{ number: "F-1", via: "rf" }],
        fit: {
          kind: "fee",
          received: eur(99_650),
          open: eur(100_000),
          invoices: 1,
          fee: { short: eur(350), tolerance: "1%" },
        },
      },
    });
    expect(whyOf(within)).toBe(
      "RF reference of F-1 in the text; €996.50 received, €1,000.00 open; bank fees: €3.50 short, within the tolerance of 1%",
    );
    const partial = matchBankLine(
      credit(120_000),
      context({
        named: [
          { invoice: invoice("F-1", 40_000, { dueDate: "2026-10-01" }), via: "number" },
          { invoice: invoice("F-2", 50_000, { dueDate: "2026-10-15" }), via: "number" },
          { invoice: invoice("F-3", 60_000, { dueDate: "2026-11-01" }), via: "number" },
        ],
      }),
    );
    if (partial.kind !== "paid") throw new Error(`expected paid, got ${partial.kind}`);
    expect(saidIn(partial.why, "es")).toBe(
      "el número de factura F-1, el número de factura F-2 y el número de factura F-3 en el concepto; pago parcial: 1200,00 € recibidos, 1500,00 € pendientes en 3 facturas; 2 cobradas por completo (las más antiguas primero), F-3 cobrada en parte (300,00 €)",
    );
    expect(saidIn(partial.why, "fr")).toBe(
      "le numéro de facture F-1, le numéro de facture F-2 et le numéro de facture F-3 dans le libellé ; paiement partiel : 1 200,00 € reçus, 1 500,00 € dus sur 3 factures ; 2 réglées en totalité (les plus anciennes d’abord), F-3 réglée en partie (300,00 €)",
    );
  });

  it("a reason written before reasons were codes is shown as it was written", () => {
    const old: BankReason = { code: "text", values: { text: "unknown payer: written in 2025" } };
    for (const locale of ["en", "es", "fr"] as const)
      expect(bankReasonText(old, locale)).toBe("unknown payer: written in 2025");
  });
});
