// ISO 11649 structured creditor references ("RF" + two check digits + up to 21 letters or digits):
// the payer's bank carries them in camt's <CdtrRefInf><Ref>, and a typo in them is caught by mod 97.

const MAX_BODY = 21;

/** The reference's body for an invoice number: its letters and digits, upper-cased. */
export function rfBody(invoiceNumber: string): string | null {
  const body = invoiceNumber.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return body.length > 0 && body.length <= MAX_BODY ? body : null;
}

/** The RF reference of an invoice number, without spaces (`RF18539007547034`); null when too long. */
export function rfReference(invoiceNumber: string): string | null {
  const body = rfBody(invoiceNumber);
  if (!body) return null;
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, "0")}${body}`;
}

/** Printed in groups of four, as payers type it and banks show it. */
export function formatRfReference(reference: string): string {
  return reference.replace(/(.{4})(?=.)/g, "$1 ");
}

/** Whether a compact reference (`RF18539007547034`) has the right shape and check digits. */
export function isValidRfReference(reference: string): boolean {
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(reference)) return false;
  return mod97(`${reference.slice(4)}${reference.slice(0, 4)}`) === 1;
}

/**
 * The valid RF references written in a remittance text, compact. Payers write them with or
 * without the spaces of the printed groups; the longest run that checks out is taken, so a
 * following word is not swallowed.
 */
export function findRfReferences(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.toUpperCase().matchAll(/\bRF\d{2}(?: ?[0-9A-Z]){1,21}/g)) {
    const compact = match[0].replace(/ /g, "");
    for (let end = compact.length; end > 4; end--) {
      const candidate = compact.slice(0, end);
      if (isValidRfReference(candidate)) {
        found.add(candidate);
        break;
      }
    }
  }
  return [...found];
}

// Letters count as 10..35, then the number's remainder modulo 97, digit by digit (no big integers).
function mod97(text: string): number {
  let rest = 0;
  for (const char of text) {
    const value = Number.parseInt(char, 36);
    rest = value < 10 ? (rest * 10 + value) % 97 : (rest * 100 + value) % 97;
  }
  return rest;
}
