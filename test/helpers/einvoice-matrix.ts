// The documents Cobro issues, in the situations the EN 16931 rules treat differently: the matrix both
// e-invoice serialisations (UBL, CII) and the Factur-X PDF are validated over.
import type { EInvoiceSource } from "../../src/einvoice/en16931-terms.ts";
import { issued, SEVEN_MINUTES_LINE } from "./printable-invoice.ts";
import { FR_SELLER } from "./sellers.ts";

const ES_SELLER = {
  legalName: "Lucía Gómez Consultoría",
  nif: "12345678Z",
  address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
  iban: "ES9121000418450200051332",
};
const ES_BUYER = {
  name: "Globex Ibérica SL",
  address: { line1: "Gran Vía 2", postcode: "28013", city: "Madrid", country: "ES" },
  country: "ES",
  taxId: "B12345678",
  emails: ["cuentas@globex.example"],
  language: "es" as const,
  profile: "business" as const,
};
const US_BUYER = {
  name: "Acme Corp.",
  address: { line1: "1 Market Street", postcode: "94105", city: "San Francisco", country: "US" },
  country: "US",
  emails: ["ap@acme.example"],
  language: "en" as const,
  profile: "business" as const,
};
/** A French buyer billed in yen (a Japanese project), at 20 % and 10 %. */
const FR_BUYER_WITH_SIREN = {
  name: "Client Industriel SA",
  address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
  country: "FR",
  taxId: "FR40303265045",
  siren: "303265045",
  emails: ["ap@client.example"],
  language: "fr" as const,
  profile: "business" as const,
};
const DE_BUYER = {
  name: "Initech GmbH",
  address: { line1: "Hauptstraße 5", postcode: "10115", city: "Berlin", country: "DE" },
  country: "DE",
  taxId: "DE123456789",
  emails: ["ap@initech.example"],
  language: "en" as const,
  profile: "business" as const,
};

export function source(
  made: ReturnType<typeof issued>,
  extra: Partial<Pick<EInvoiceSource["invoice"], "typeCode" | "paymentMeansCode" | "notes">> = {},
  preceding?: EInvoiceSource["preceding"],
): EInvoiceSource {
  return {
    invoice: { ...made.invoice, typeCode: "380", paymentMeansCode: "58", ...extra },
    lines: made.lines,
    preceding,
  };
}

/** Every kind of document Cobro issues, in the situations the rules treat differently. */
export const EINVOICE_MATRIX: Record<string, EInvoiceSource> = {
  "fr-b2b-two-rates-and-exempt": source(
    issued({ buyer: { ...issued({}, []).invoice.buyer!, siren: "303265045", poReference: "PO-7781" } }, [
      { description: "Développement — sprint 3", quantityMilli: 7500, unitPriceMinor: 9000, vatRateBp: 2000 },
      { description: "Livres techniques", quantityMilli: 2000, unitPriceMinor: 3550, vatRateBp: 550 },
      {
        description: "Formation professionnelle",
        quantityMilli: 1000,
        unitPriceMinor: 50_000,
        vatRateBp: 0,
        vatCategory: "E",
        exemptionReason: "Exonération de TVA, article 261-4-4° du CGI",
      },
    ]),
  ),
  "es-irpf-in-dollars": source(
    issued(
      {
        number: "F-2026-00007",
        currency: "USD",
        baseCurrency: "EUR",
        exchangeRate: "0.9234",
        seller: ES_SELLER,
        buyer: ES_BUYER,
        withholdingRateBp: 1500,
      },
      [
        {
          description: "Consultoría — noviembre",
          quantityMilli: 1000,
          unitPriceMinor: 100_000,
          vatRateBp: 2100,
        },
      ],
    ),
  ),
  "es-verifactu-record": {
    ...source(
      issued({ number: "F-2026-00008", seller: ES_SELLER, buyer: ES_BUYER }, [
        {
          description: "Consultoría — diciembre",
          quantityMilli: 1000,
          unitPriceMinor: 200_000,
          vatRateBp: 2100,
        },
      ]),
    ),
    verifactuUrl:
      "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=F-2026-00008&fecha=04-12-2026&importe=2420.00",
  },
  "credit-note": source(
    issued({ kind: "credit_note", number: "AV-2026-0003", correctionReason: "Tickets billed twice" }, [
      { description: "Support ticket #12", quantityMilli: 250, unitPriceMinor: 12_000, vatRateBp: 2000 },
    ]),
    { typeCode: "381" },
    { number: "F-2026-00042", issueDate: "2026-11-02" },
  ),
  "reverse-charge-to-germany": source(
    issued({ buyer: DE_BUYER }, [
      {
        description: "Architecture review",
        quantityMilli: 3000,
        unitPriceMinor: 80_000,
        vatRateBp: 0,
        vatCategory: "AE",
        exemptionReason: "Autoliquidation — reverse charge, art. 196 Directive 2006/112/EC",
      },
    ]),
  ),
  "interest-note": source(
    issued({ kind: "interest_note", number: "INT-2026-0001" }, [
      {
        description: "Intérêts de retard du 2026-10-01 au 2026-10-31",
        quantityMilli: 1000,
        unitPriceMinor: 14_055,
        vatRateBp: 0,
        vatCategory: "O",
        exemptionReason: "Hors champ de la TVA",
      },
      {
        description: "Indemnité forfaitaire pour frais de recouvrement",
        quantityMilli: 1000,
        unitPriceMinor: 4_000,
        vatRateBp: 0,
        vatCategory: "O",
        exemptionReason: "Hors champ de la TVA",
      },
    ]),
    { typeCode: "383" },
  ),
  "time-in-minutes-deposit": source(issued({ kind: "deposit" }, [SEVEN_MINUTES_LINE]), { typeCode: "386" }),
  "export-outside-the-eu": source(
    issued({ buyer: US_BUYER }, [
      {
        description: "Conseil en architecture logicielle",
        quantityMilli: 2000,
        unitPriceMinor: 95_000,
        vatRateBp: 0,
        vatCategory: "G",
        exemptionReason: "Exonération de TVA, article 262 I du CGI (exportation)",
      },
    ]),
  ),
  "yen-no-decimals": source(
    issued({ currency: "JPY", baseCurrency: "EUR", exchangeRate: "0.0061", buyer: FR_BUYER_WITH_SIREN }, [
      {
        description: "Localisation — japonais",
        quantityMilli: 3000,
        unitPriceMinor: 45_000,
        vatRateBp: 2000,
      },
      { description: "Relecture", quantityMilli: 1500, unitPriceMinor: 12_345, vatRateBp: 1000 },
    ]),
  ),
  "fr-vat-on-debits-delivered-elsewhere": source(
    issued(
      {
        number: "F-2026-00043",
        seller: { ...FR_SELLER, vatOnDebits: true },
        buyer: {
          ...FR_BUYER_WITH_SIREN,
          electronicAddress: "0009:30326504500017",
          deliveryAddress: {
            line1: "Zone industrielle Nord",
            postcode: "69120",
            city: "Vaulx-en-Velin",
            country: "FR",
          },
        },
      },
      [
        {
          description: "Maintenance sur site",
          quantityMilli: 12_000,
          unitPriceMinor: 8_500,
          vatRateBp: 2000,
        },
      ],
    ),
  ),
  /** Long enough to run over three pages: the XML carries every line the pages print. */
  "multi-page": source(
    issued(
      { number: "F-2026-00044", buyer: FR_BUYER_WITH_SIREN, currency: "EUR" },
      Array.from({ length: 90 }, (_, i) => ({
        description: `Ticket #${1000 + i} — correction et déploiement`,
        quantityMilli: 250 + ((i * 125) % 2000),
        unitPriceMinor: 9_000 + (i % 7) * 500,
        vatRateBp: i % 5 === 0 ? 1000 : 2000,
      })),
    ),
  ),
};
