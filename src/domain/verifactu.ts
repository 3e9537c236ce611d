// Spain's VERI*FACTU billing records: the fields of an "alta" record, its chained SHA-256 hash
// input (Orden HAC/1177/2024 art. 13, AEAT hash specification), the QR verification URL, and a
// record's amounts (in euros at the issue's rate, negative on a rectificativa por diferencias).
// The digest itself is computed by the caller (node:crypto is I/O-free but not allowed in domain).

import { wallClock } from "./calendar.ts";
import { DomainError } from "./errors.ts";
import { convert, parseAmount, toDecimalString } from "./money.ts";

export type PreviousRecord = {
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  hash: string;
};

export type InvoiceType = "F1" | "F2" | "F3" | "R1" | "R2" | "R3" | "R4" | "R5";

export type AltaRecordInput = {
  issuerNif: string;
  issuerName: string;
  seriesNumber: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** F1 invoice, R1…R5 rectificativa */
  invoiceType: InvoiceType;
  vatMinor: number;
  totalMinor: number;
  currency: string;
  /** ISO 8601 with offset, Europe/Madrid: 2024-01-01T19:20:30+01:00 */
  generatedAt: string;
  previous: PreviousRecord | null;
};

/** dd-mm-yyyy, as the AEAT writes dates. */
export function aeatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${day}-${month}-${year}`;
}

/** Amounts as in the XML: at most two decimals, no trailing zeros needed ("123.45", "12.3"). */
export function aeatAmount(amountMinor: number, currency: string): string {
  return toDecimalString(amountMinor, currency);
}

/**
 * The exact string hashed for an alta record: eight fields in fixed order, values trimmed,
 * never escaped, `Huella=` empty for the first record of the chain.
 */
export function altaHashInput(record: AltaRecordInput): string {
  const fields: [string, string][] = [
    ["IDEmisorFactura", record.issuerNif],
    ["NumSerieFactura", record.seriesNumber],
    ["FechaExpedicionFactura", aeatDate(record.issueDate)],
    ["TipoFactura", record.invoiceType],
    ["CuotaTotal", aeatAmount(record.vatMinor, record.currency)],
    ["ImporteTotal", aeatAmount(record.totalMinor, record.currency)],
    ["Huella", record.previous?.hash ?? ""],
    ["FechaHoraHusoGenRegistro", record.generatedAt],
  ];
  return fields.map(([name, value]) => `${name}=${value.trim()}`).join("&");
}

export type AnulacionRecordInput = {
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  generatedAt: string;
  previous: PreviousRecord | null;
};

export function anulacionHashInput(record: AnulacionRecordInput): string {
  const fields: [string, string][] = [
    ["IDEmisorFacturaAnulada", record.issuerNif],
    ["NumSerieFacturaAnulada", record.seriesNumber],
    ["FechaExpedicionFacturaAnulada", aeatDate(record.issueDate)],
    ["Huella", record.previous?.hash ?? ""],
    ["FechaHoraHusoGenRegistro", record.generatedAt],
  ];
  return fields.map(([name, value]) => `${name}=${value.trim()}`).join("&");
}

export const AEAT_QR_URL = {
  production: "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR",
  test: "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR",
} as const;

/** The URL printed as a QR code on the invoice (values URL-encoded, unlike the hash input). */
export function verificationUrl(
  record: Pick<AltaRecordInput, "issuerNif" | "seriesNumber" | "issueDate" | "totalMinor" | "currency">,
  environment: keyof typeof AEAT_QR_URL = "production",
): string {
  const params = [
    ["nif", record.issuerNif],
    ["numserie", record.seriesNumber],
    ["fecha", aeatDate(record.issueDate)],
    ["importe", aeatAmount(record.totalMinor, record.currency)],
  ].map(([name, value]) => `${name}=${encodeURIComponent(value ?? "")}`);
  return `${AEAT_QR_URL[environment]}?${params.join("&")}`;
}

/** Generation time with the Madrid offset (+01:00 / +02:00), second precision. */
export function madridTimestamp(instant: Date): string {
  return aeatTimestamp(instant, "Europe/Madrid");
}

/** Generation time in the issuer's zone (Madrid, or Atlantic/Canary: +00:00 / +01:00), second precision. */
export function aeatTimestamp(instant: Date, timeZone: VerifactuTimeZone): string {
  const at = wallClock(instant, timeZone);
  return `${at.year}-${at.month}-${at.day}T${at.hour}:${at.minute}:${at.second}${at.offset}`;
}

export type VerifactuTimeZone = "Europe/Madrid" | "Atlantic/Canary";

/** Where a Spanish seller files: the common territory, the Canary Islands (IGIC) or a foral territory. */
export type TaxTerritory = "common" | "canarias" | "pais_vasco" | "navarra";
export const TAX_TERRITORIES: readonly TaxTerritory[] = ["common", "canarias", "pais_vasco", "navarra"];

export type VerifactuSeller = {
  nif?: string | undefined;
  vatId?: string | undefined;
  address?: { country?: string } | undefined;
  taxTerritory?: TaxTerritory | undefined;
  siiFiler?: boolean | undefined;
};

export type VerifactuScope =
  | { applies: true; nif: string; timeZone: VerifactuTimeZone; canarias: boolean }
  | { applies: false; spanish: boolean; reason: string };

/**
 * Whether a seller's invoices get VERI*FACTU records (RD 1007/2023 art. 3): Spanish sellers do,
 * except SII filers (art. 3.3) and sellers of the foral territories (País Vasco's TicketBAI,
 * Navarra's own system). The NIF is the NIF field, else the Spanish VAT id without "ES".
 */
export function verifactuScope(seller: VerifactuSeller | null | undefined): VerifactuScope {
  if (seller?.address?.country?.toUpperCase() !== "ES") {
    return { applies: false, spanish: false, reason: "the seller is not established in Spain" };
  }
  if (seller.siiFiler) {
    return {
      applies: false,
      spanish: true,
      reason:
        "the seller files its books through the SII (Suministro Inmediato de Información), which RD 1007/2023 art. 3.3 leaves outside VERI*FACTU",
    };
  }
  if (seller.taxTerritory === "pais_vasco" || seller.taxTerritory === "navarra") {
    const territory = seller.taxTerritory === "pais_vasco" ? "País Vasco (TicketBAI)" : "Navarra";
    return {
      applies: false,
      spanish: true,
      reason: `the seller is taxed by the foral territory of ${territory}, whose own invoicing rules replace VERI*FACTU`,
    };
  }
  const nif = spanishNif(seller);
  if (!nif) {
    return {
      applies: false,
      spanish: true,
      reason:
        "the seller has neither a NIF nor a Spanish VAT id (ES + NIF): add one in the workspace settings",
    };
  }
  const canarias = seller.taxTerritory === "canarias";
  return { applies: true, nif, timeZone: canarias ? "Atlantic/Canary" : "Europe/Madrid", canarias };
}

/** The 9-character NIF: the NIF field, or the Spanish VAT id (ES + NIF) without its prefix. */
export function spanishNif(seller: Pick<VerifactuSeller, "nif" | "vatId">): string | undefined {
  const clean = (value: string | undefined) => value?.replace(/[\s.-]+/g, "").toUpperCase() ?? "";
  const nif = clean(seller.nif);
  if (nif) return nif;
  const vatId = clean(seller.vatId);
  return /^ES[A-Z0-9]{9}$/.test(vatId) ? vatId.slice(2) : undefined;
}

// What a VERI*FACTU record says about its amounts: in euros at the issue's rate, negative on a
// rectificativa por diferencias, and read back from the hashed input for the QR code.
/** The stored record's fields these read (a verifactu_records row). */
type StoredRecord = { hashInput: string; issuerNif: string; seriesNumber: string; issueDate: string };

/** VERI*FACTU applies to invoices issued by a Spanish seller in its scope (see verifactuScope). */
export function verifactuApplies(seller: VerifactuSeller | null | undefined): boolean {
  return verifactuScope(seller).applies;
}

/**
 * An amount as the AEAT records it: in euros, converted at the rate of the invoice's issue, and
 * negative on a credit note (a rectificativa "por diferencias" that reduces what was invoiced).
 */
export function signedInEuros(
  invoice: {
    kind: string;
    currency: string;
    eurRate?: string | undefined;
    rectificationType?: "I" | "S" | null | undefined;
  },
  amountMinor: number,
): number {
  // A rectificativa por sustitución states the corrected amounts, positive like an invoice.
  const sign = invoice.kind === "credit_note" && invoice.rectificationType !== "S" ? -1 : 1;
  if (invoice.currency === "EUR") return sign * amountMinor;
  if (!invoice.eurRate) throw noEuroRate(invoice.currency);
  return sign * convert(amountMinor, invoice.currency, "EUR", invoice.eurRate);
}

export function noEuroRate(currency: string): DomainError {
  return new DomainError("verifactu.no_euro_rate", `no EUR rate for a ${currency} invoice`, {
    userMessage: `Spanish invoices in ${currency} need a ${currency} → EUR exchange rate on the issue date (VERI*FACTU records amounts in euros): set the workspace base currency to EUR and add the rate.`,
  });
}

/** The QR URL of a stored record: its amounts are those hashed (in euros), read back from the input. */
export function verifactuQrUrlOf(record: StoredRecord): string {
  const total = /(?:^|&)ImporteTotal=(-?\d+(?:\.\d+)?)(?:&|$)/.exec(record.hashInput)?.[1] ?? "0";
  return verificationUrl({
    issuerNif: record.issuerNif,
    seriesNumber: record.seriesNumber,
    issueDate: record.issueDate,
    totalMinor: parseAmount(total, "EUR"),
    currency: "EUR",
  });
}

/** Whether the record states a negative total (a rectificativa por diferencias that reduces). */
export function verifactuRecordIsNegative(record: StoredRecord): boolean {
  return /(?:^|&)ImporteTotal=-/.test(record.hashInput);
}
