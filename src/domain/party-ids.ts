// Company and tax identifiers checked the way their registries define them (check digits included),
// so a typo is caught when a client is entered rather than when an invoice is refused downstream.
// The arithmetic comes from stdnum (a port of python-stdnum): SIREN Luhn, Spanish NIF/CIF/NIE
// check letters and every EU VAT number's own checksum.

import { euVat, stdnum, type Validator } from "stdnum";
import { present } from "./errors.ts";

/** Why a value is refused, phrased to follow a field or column name; undefined when it is valid. */
export type IdProblem = string | undefined;

const compactId = (value: string) => value.replace(/[\s.\-/]+/g, "").toUpperCase();

function explain(validator: Validator, value: string, what: string, example: string): IdProblem {
  const result = validator.validate(value);
  if (result.isValid) return undefined;
  const why =
    result.error.name === "InvalidChecksum"
      ? "its check digit is wrong (a typo?)"
      : result.error.name === "InvalidLength"
        ? "it has the wrong number of characters"
        : "it is not written like one";
  return `is not a valid ${what}: ${why}; for example ${example}`;
}

const frValidators = present(stdnum.FR, "stdnum's French validators");
const esValidators = present(stdnum.ES, "stdnum's Spanish validators");
const sirenValidator = present(frValidators.siren, "stdnum's SIREN validator");
const siretValidator = present(frValidators.siret, "stdnum's SIRET validator");
const nifValidator = present(esValidators.nif, "stdnum's NIF validator");

/** A French SIREN: 9 digits with a Luhn check digit. */
export function sirenProblem(value: string): IdProblem {
  return explain(sirenValidator, compactId(value), "SIREN", "732829320");
}

/** A French SIRET: the SIREN and a 5-digit establishment number, Luhn-checked. */
export function siretProblem(value: string): IdProblem {
  return explain(siretValidator, compactId(value), "SIRET", "73282932000074");
}

/** A Spanish NIF: a DNI, NIE or CIF with its check letter or digit. */
export function spanishNifProblem(value: string): IdProblem {
  return explain(nifValidator, compactId(value), "Spanish NIF/CIF", "B12345674 or 12345678Z");
}

// Greece writes EL on VAT numbers; the library files it under its ISO code.
const vatCountry = (prefix: string) => (prefix === "EL" ? "GR" : prefix);

/**
 * An EU VAT number must start with its country prefix and pass that country's check (a Spanish
 * client may be given by its bare NIF). Ids from outside the EU (a US EIN, a UK VAT number) have no common format and are kept as written.
 */
export function vatIdProblem(value: string, clientCountry: string): IdProblem {
  const id = compactId(value);
  const prefix = id.slice(0, 2);
  const validators = /^[A-Z]{2}$/.test(prefix) ? euVat[vatCountry(prefix)] : undefined;
  if (validators?.[0])
    return explain(validators[0], id, `${prefix} VAT number`, "FR40303265045 or ESB12345674");
  const country = vatCountry(clientCountry.toUpperCase());
  // Spanish clients are commonly identified by their bare NIF.
  if (country === "ES") return spanishNifProblem(id);
  if (euVat[country]) {
    return `is not a VAT number: an EU VAT number starts with its country code, for example ${clientCountry.toUpperCase()}${id}`;
  }
  return undefined;
}

/** The stored form of an identifier: upper case, without spaces, dots, dashes or slashes. */
export function normalizeId(value: string): string {
  return compactId(value);
}
