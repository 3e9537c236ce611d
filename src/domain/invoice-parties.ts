// Who may issue to whom: the seller identity and buyer tax id the law requires, the frozen party
// snapshots printed on an issued invoice, and a party's electronic address (its EAS scheme).
import type { Jurisdiction } from "./due-date.ts";
import { DomainError } from "./errors.ts";
import { EU_COUNTRIES } from "./invoice-totals.ts";

export type Address = { line1: string; line2?: string; postcode: string; city: string; country: string };
export type Seller = {
  legalName: string;
  tradeName?: string;
  legalForm?: string;
  shareCapital?: string;
  address: Address;
  vatId?: string;
  siren?: string;
  siret?: string;
  rcs?: string;
  nif?: string;
  email?: string;
  phone?: string;
  iban?: string;
  bic?: string;
  paymentLink?: string;
  electronicAddress?: string;
  /** Spanish sellers: where they file (VERI*FACTU scope, IGIC and time zone in the Canaries). */
  taxTerritory?: "common" | "canarias" | "pais_vasco" | "navarra";
  /** Spanish sellers filing through the SII are outside VERI*FACTU. */
  siiFiler?: boolean;
  /** French sellers who opted to pay VAT on debits (CGI art. 269-2-c) must say so on invoices. */
  vatOnDebits?: boolean;
};
export type BuyerProfile = "public" | "business" | "individual";
export type Buyer = {
  name: string;
  address?: Address;
  country: string;
  taxId?: string;
  siren?: string;
  emails: string[];
  language: "es" | "fr" | "en";
  profile: BuyerProfile;
  poReference?: string;
  electronicAddress?: string;
  /** Where the services are delivered, when not at the billing address (a French reform mention, BG-15). */
  deliveryAddress?: Address;
};

type ClientParty = Pick<Buyer, "name" | "country" | "emails" | "language" | "profile"> & {
  address?: Address | null;
  taxId?: string | null;
  siren?: string | null;
  poReference?: string | null;
  electronicAddress?: string | null;
  deliveryAddress?: Address | null;
};

/** The client as frozen on an issued invoice (and printed, and put in its e-invoice). */
export function buyerSnapshot(client: ClientParty): Buyer {
  return {
    name: client.name,
    country: client.country,
    emails: client.emails,
    language: client.language,
    profile: client.profile,
    ...(client.address ? { address: client.address } : {}),
    ...(client.taxId ? { taxId: client.taxId } : {}),
    ...(client.siren ? { siren: client.siren } : {}),
    ...(client.poReference ? { poReference: client.poReference } : {}),
    ...(client.electronicAddress ? { electronicAddress: client.electronicAddress } : {}),
    ...(client.deliveryAddress && !sameAddress(client.deliveryAddress, client.address)
      ? { deliveryAddress: client.deliveryAddress }
      : {}),
  };
}

/** The same place written the same way, case and spacing aside. */
function sameAddress(a: Address, b: Address | null | undefined): boolean {
  if (!b) return false;
  const key = (x: Address) =>
    [x.line1, x.line2 ?? "", x.postcode, x.city, x.country]
      .map((v) => v.trim().toLowerCase().replace(/\s+/g, " "))
      .join("|");
  return key(a) === key(b);
}

// Commercial companies must print legal form, share capital and RCS (C. com. R123-237).
const FR_COMPANY_FORMS = new Set([
  "SA",
  "SAS",
  "SASU",
  "SARL",
  "EURL",
  "SNC",
  "SCA",
  "SCS",
  "SE",
  "SELARL",
  "SELAS",
]);

export function sellerCountry(seller: Pick<Seller, "address"> | null | undefined): string {
  return seller?.address?.country?.toUpperCase() ?? "";
}

export function jurisdictionOf(country: string): Jurisdiction | undefined {
  const c = country.toUpperCase();
  if (c === "FR" || c === "ES") return c;
  return EU_COUNTRIES.has(c) ? "EU" : undefined;
}

// Each missing mention's catalogue key (src/i18n), so Slack names it in the reader's language.
const GAP_KEYS: Record<string, string> = {
  "legal name": "invoicing.gap.legal_name",
  address: "invoicing.gap.address",
  "tax id": "invoicing.gap.tax_id",
  SIREN: "invoicing.gap.siren",
  "share capital": "invoicing.gap.share_capital",
  "RCS registration": "invoicing.gap.rcs",
  NIF: "invoicing.gap.nif",
  "tax id (VAT number)": "invoicing.gap.vat_number",
  name: "invoicing.gap.name",
  "NIF / VAT number": "invoicing.gap.nif_or_vat",
  "VAT number or SIREN": "invoicing.gap.vat_or_siren",
  "billing address": "invoicing.gap.billing_address",
};

function missing(what: string[], whose: "seller" | "client"): never {
  const list = what.join(", ");
  throw new DomainError(`invoice.missing_${whose}_identity`, `${whose} identity incomplete: ${list}`, {
    userMessage:
      whose === "seller"
        ? `Your company details are incomplete for a legal invoice: ${list} missing. Fill them in the workspace settings, then issue again.`
        : `This client's details are incomplete for a legal invoice: ${list} missing. Complete the client, then issue again.`,
    details: { missing: what },
    messageKey: "invoicing.error.missing_identity",
    messageValues: { whose, missingKeys: what.map((w) => GAP_KEYS[w] ?? w).join(",") },
  });
}

/** Refuses to issue without the seller mentions required in the seller's country. */
export function assertSellerIdentity(seller: Seller | null | undefined): asserts seller is Seller {
  if (!seller) missing(["legal name", "address", "tax id"], "seller");
  const gaps: string[] = [];
  if (!seller.legalName?.trim()) gaps.push("legal name");
  const a = seller.address;
  if (!a?.line1?.trim() || !a.city?.trim() || !a.postcode?.trim() || !a.country?.trim()) gaps.push("address");
  const country = sellerCountry(seller);
  if (country === "FR") {
    if (!seller.siren?.trim() && !seller.siret?.trim()) gaps.push("SIREN");
    const form = seller.legalForm?.trim().toUpperCase();
    if (form && FR_COMPANY_FORMS.has(form)) {
      if (!seller.shareCapital?.trim()) gaps.push("share capital");
      if (!seller.rcs?.trim()) gaps.push("RCS registration");
    }
  } else if (country === "ES") {
    if (!seller.nif?.trim() && !seller.vatId?.trim()) gaps.push("NIF");
  } else if (!seller.vatId?.trim() && !seller.nif?.trim() && !seller.siren?.trim()) {
    gaps.push("tax id (VAT number)");
  }
  if (gaps.length > 0) missing(gaps, "seller");
}

/**
 * FR and ES business or public clients need a tax id on the invoice (FR: VAT no. and, with the
 * e-invoicing reform, SIREN; ES: NIF in B2B, RD 1619/2012 art. 6.1.d), and an address.
 */
export function assertBuyerIdentity(buyer: Buyer, sellerCountryCode: string): void {
  const gaps: string[] = [];
  if (!buyer.name.trim()) gaps.push("name");
  const needsTaxId =
    (sellerCountryCode === "FR" || sellerCountryCode === "ES") && buyer.profile !== "individual";
  if (needsTaxId && !buyer.taxId?.trim() && !buyer.siren?.trim()) {
    gaps.push(sellerCountryCode === "ES" ? "NIF / VAT number" : "VAT number or SIREN");
  }
  if (buyer.profile !== "individual" && !buyer.address?.line1?.trim()) gaps.push("billing address");
  if (gaps.length > 0) missing(gaps, "client");
  assertFrenchBuyerSiren(buyer, sellerCountryCode);
}

/** The e-invoicing reform makes a French business client's SIREN a mandatory mention. */
function assertFrenchBuyerSiren(buyer: Buyer, sellerCountryCode: string): void {
  if (sellerCountryCode !== "FR" || buyer.profile !== "business") return;
  if (buyer.country.toUpperCase() !== "FR" || buyer.siren?.trim()) return;
  throw new DomainError("invoice.missing_client_siren", "French business client without SIREN", {
    userMessage: `${buyer.name} is a French business: since the e-invoicing reform its SIREN (9 digits) must be on the invoice. Set it with \`/cobro client ${buyer.name}\` or in the \`siren\` column of the client CSV, then issue again.`,
    details: { missing: ["SIREN"] },
    messageKey: "invoicing.error.missing_client_siren",
    messageValues: { client: buyer.name },
  });
}

/** The late-payment law that applies: the workspace setting, else the seller's country, else EU. */
export function lateInterestJurisdiction(
  settings: { jurisdiction?: Jurisdiction },
  seller: Pick<Seller, "address"> | null | undefined,
): Jurisdiction {
  return settings.jurisdiction ?? jurisdictionOf(sellerCountry(seller)) ?? "EU";
}

// The Electronic Address Scheme (EAS) code list: the schemes an e-invoice's electronic address
// (BT-34, BT-49) may name, as the official EN 16931 rules check them (BR-CL-25, validation 1.3.x).
// 0002 SIREN, 0009 SIRET, 0088 GLN, 0225 the French e-invoicing directory (PPF), 9920 Spanish NIF, EM e-mail.
export const EAS_CODES: ReadonlySet<string> = new Set(
  (
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183 " +
    "0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 " +
    "0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0242 0244 0245 0246 " +
    "0248 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 " +
    "9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 " +
    "9952 9953 9957 9959 AN AQ AS AU EM"
  ).split(" "),
);

/** A client's stored electronic address, "0009:73282932000074" or a bare e-mail (scheme EM). */
export function parseElectronicAddress(
  value: string | null | undefined,
): { scheme: string; id: string } | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const match = /^([0-9A-Z]{2,4}):(.+)$/.exec(text);
  if (match?.[1] && match[2] && EAS_CODES.has(match[1])) return { scheme: match[1], id: match[2] };
  return text.includes("@") ? { scheme: "EM", id: text } : undefined;
}
