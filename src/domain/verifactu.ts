// Spain's VERI*FACTU billing records: the fields of an "alta" record, its chained SHA-256 hash
// input (Orden HAC/1177/2024 art. 13, AEAT hash specification) and the QR verification URL.
// The digest itself is computed by the caller (node:crypto is I/O-free but not allowed in domain).
import { toDecimalString } from "./money.ts";

export type PreviousRecord = {
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  hash: string;
};

export type AltaRecordInput = {
  issuerNif: string;
  issuerName: string;
  seriesNumber: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** F1 invoice, R1…R5 rectificativa */
  invoiceType: "F1" | "F2" | "R1" | "R2" | "R3" | "R4" | "R5";
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
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Madrid",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "longOffset",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = get("timeZoneName").replace("GMT", "") || "+00:00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}${offset}`;
}
