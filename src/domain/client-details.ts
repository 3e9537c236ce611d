// The invoicing details of a client (address, legal ids, purchase order, IRPF, collector,
// e-invoicing address, payment method), checked by one schema whatever they come from: a CSV
// column or a Slack modal field carries the same name and gets the same message.
import { z } from "zod";
import type { Address } from "./invoice-parties.ts";
import { EAS_CODES } from "./invoice-parties.ts";
import { normalizeId, sirenProblem, siretProblem, spanishNifProblem, vatIdProblem } from "./party-ids.ts";

export const CLIENT_PAYMENT_METHODS = [
  "transfer",
  "card",
  "direct_debit",
  "cheque",
  "cash",
  "other",
] as const;
export type ClientPaymentMethod = (typeof CLIENT_PAYMENT_METHODS)[number];

/** UNTDID 4461 payment means code an invoice to a client paying this way carries (EN 16931 BT-81). */
export const PAYMENT_MEANS_CODE: Record<ClientPaymentMethod, string> = {
  transfer: "58",
  card: "48",
  direct_debit: "59",
  cheque: "20",
  cash: "10",
  other: "ZZZ",
};

/**
 * What an invoice e-mail to a client carries: the Factur-X PDF (CII inside), the PDF with a UBL
 * file beside it, or the Factur-X and the UBL. Unset: Factur-X for French sellers, UBL for businesses.
 */
export const EINVOICE_ATTACHMENTS = ["facturx", "ubl", "both"] as const;
export type EInvoiceAttachments = (typeof EINVOICE_ATTACHMENTS)[number];

export const CLIENT_DETAIL_COLUMNS = [
  "address_line1",
  "address_line2",
  "postcode",
  "city",
  "siren",
  "nif",
  "purchase_order",
  "irpf_rate",
  "collector_email",
  "einvoice_scheme",
  "einvoice_id",
  "einvoice_attachments",
  "delivery_line1",
  "delivery_line2",
  "delivery_postcode",
  "delivery_city",
  "delivery_country",
  "payment_method",
] as const;

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "") || v === null;
const orUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (blank(v) ? undefined : v), schema.optional());
const line = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`);
const checkedId = (problem: (v: string) => string | undefined) =>
  z
    .string()
    .transform(normalizeId)
    .superRefine((v, ctx) => {
      const why = problem(v);
      if (why) ctx.addIssue({ code: "custom", message: why });
    });

/** "15", "15 %", "7,5" → basis points. IRPF rates are 1 % to 24 %; 50 catches a typo like 150. */
const percentBp = z
  .string()
  .trim()
  .regex(/^\d{1,2}([.,]\d{1,2})?\s*%?$/, "must be a percentage such as 15 or 7.5")
  .transform((v) => {
    const [whole = "0", fraction = ""] = v.replace("%", "").trim().replace(",", ".").split(".");
    return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  })
  .refine((bp) => bp <= 5000, "must be at most 50 %");

export const clientDetailCells = {
  address_line1: orUndefined(line(200)),
  address_line2: orUndefined(line(200)),
  postcode: orUndefined(line(20)),
  city: orUndefined(line(100)),
  siren: orUndefined(checkedId(sirenProblem)),
  nif: orUndefined(checkedId(spanishNifProblem)),
  purchase_order: orUndefined(line(100)),
  irpf_rate: orUndefined(percentBp),
  collector_email: orUndefined(z.string().trim().toLowerCase().pipe(z.email("is not an e-mail address"))),
  einvoice_scheme: orUndefined(
    z
      .string()
      .trim()
      .toUpperCase()
      .refine(
        (v) => EAS_CODES.has(v),
        "must be a scheme of the EAS code list (0009 SIRET, 0002 SIREN, 0088 GLN, 0225 French e-invoicing directory, 9920 Spanish NIF…) or EM for e-mail",
      ),
  ),
  einvoice_id: orUndefined(line(100).regex(/^\S+$/, "must not contain spaces")),
  einvoice_attachments: orUndefined(
    z.preprocess(
      (v) =>
        typeof v === "string"
          ? v
              .trim()
              .toLowerCase()
              .replace(/[\s_-]/g, "")
          : v,
      z.enum(EINVOICE_ATTACHMENTS, { error: `must be one of ${EINVOICE_ATTACHMENTS.join(", ")}` }),
    ),
  ),
  delivery_line1: orUndefined(line(200)),
  delivery_line2: orUndefined(line(200)),
  delivery_postcode: orUndefined(line(20)),
  delivery_city: orUndefined(line(100)),
  delivery_country: orUndefined(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "must be a 2-letter country code such as FR"),
  ),
  payment_method: orUndefined(
    z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toLowerCase().replace(/[ -]/g, "_") : v),
      z.enum(CLIENT_PAYMENT_METHODS, { error: `must be one of ${CLIENT_PAYMENT_METHODS.join(", ")}` }),
    ),
  ),
};

type Cells = { [K in keyof typeof clientDetailCells]?: z.output<(typeof clientDetailCells)[K]> };
type IssueSink = { addIssue: (issue: { code: "custom"; path: string[]; message: string }) => void };

/**
 * Checks that need more than one cell: an address is whole or absent, an e-invoicing address has
 * both its scheme and its id, a tax id fits the client's country, a NIF given with a VAT id is the
 * same number, and an IRPF rate belongs to a client who withholds it (never an individual).
 */
export function refineClientDetails(
  row: Cells & { tax_id?: string | undefined; country: string; profile?: string },
  ctx: IssueSink,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const addressParts = [row.address_line1, row.address_line2, row.postcode, row.city];
  if (addressParts.some((p) => p !== undefined)) {
    if (!row.address_line1) issue("address_line1", "is required when an address is given");
    if (!row.postcode) issue("postcode", "is required when an address is given");
    if (!row.city) issue("city", "is required when an address is given");
  }
  const deliveryParts = [row.delivery_line1, row.delivery_line2, row.delivery_postcode, row.delivery_city];
  if (deliveryParts.some((p) => p !== undefined)) {
    if (!row.delivery_line1) issue("delivery_line1", "is required when a delivery address is given");
    if (!row.delivery_postcode) issue("delivery_postcode", "is required when a delivery address is given");
    if (!row.delivery_city) issue("delivery_city", "is required when a delivery address is given");
  } else if (row.delivery_country) {
    issue("delivery_line1", "is required when delivery_country is given");
  }
  if (row.irpf_rate && row.profile === "individual") {
    issue(
      "irpf_rate",
      "is withheld only by a business or public client: a private individual withholds no IRPF (leave it empty), a self-employed client (autónomo) who withholds is profile business",
    );
  }
  if (row.einvoice_scheme && !row.einvoice_id) issue("einvoice_id", "is required with einvoice_scheme");
  if (row.einvoice_id && !row.einvoice_scheme) issue("einvoice_scheme", "is required with einvoice_id");
  if (row.einvoice_scheme && row.einvoice_id) {
    const id = row.einvoice_id;
    const why =
      row.einvoice_scheme === "0002"
        ? sirenProblem(id)
        : row.einvoice_scheme === "0009"
          ? siretProblem(id)
          : row.einvoice_scheme === "EM" && !z.email().safeParse(id).success
            ? "is not an e-mail address (scheme EM)"
            : undefined;
    if (why) issue("einvoice_id", why);
  }
  if (row.tax_id) {
    const why = vatIdProblem(row.tax_id, row.country);
    if (why) issue("tax_id", why);
    else if (row.nif && ![row.nif, `ES${row.nif}`].includes(normalizeId(row.tax_id))) {
      issue("nif", `does not match tax_id ${normalizeId(row.tax_id)}: give one of them, or the same number`);
    }
  }
}

export type ClientDetails = {
  /** undefined: not given (a CSV keeps the stored value; a modal clears it). */
  address: Address | undefined;
  siren: string | undefined;
  taxId: string | undefined;
  poReference: string | undefined;
  withholdingRateBp: number | undefined;
  collectorEmail: string | undefined;
  electronicAddress: string | undefined;
  /** Where the work is delivered when not at the address (country: the delivery's, else the client's). */
  deliveryAddress: Address | undefined;
  einvoiceAttachments: EInvoiceAttachments | undefined;
  paymentMethod: ClientPaymentMethod | undefined;
};

/** An address when its first line, postcode and city are all there (refineClientDetails holds it whole). */
function addressOf(
  line1: string | undefined,
  line2: string | undefined,
  postcode: string | undefined,
  city: string | undefined,
  country: string,
): Address | undefined {
  if (!line1 || !postcode || !city) return undefined;
  return { line1, ...(line2 ? { line2 } : {}), postcode, city, country };
}

/** The checked cells as the client row stores them. */
export function toClientDetails(
  row: Cells & { tax_id?: string | undefined; country: string },
): ClientDetails {
  const taxId = row.tax_id ? normalizeId(row.tax_id) : row.nif;
  return {
    address: addressOf(row.address_line1, row.address_line2, row.postcode, row.city, row.country),
    siren: row.siren,
    taxId,
    poReference: row.purchase_order,
    withholdingRateBp: row.irpf_rate,
    collectorEmail: row.collector_email,
    electronicAddress:
      // The e-invoice writer reads "SCHEME:id", and a bare e-mail as scheme EM.
      row.einvoice_scheme && row.einvoice_id
        ? row.einvoice_scheme === "EM"
          ? row.einvoice_id
          : `${row.einvoice_scheme}:${row.einvoice_id}`
        : undefined,
    deliveryAddress: addressOf(
      row.delivery_line1,
      row.delivery_line2,
      row.delivery_postcode,
      row.delivery_city,
      row.delivery_country ?? row.country,
    ),
    einvoiceAttachments: row.einvoice_attachments,
    paymentMethod: row.payment_method,
  };
}
