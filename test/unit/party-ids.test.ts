import { describe, expect, it } from "vitest";
import { sirenProblem, spanishNifProblem, vatIdProblem } from "../../src/domain/party-ids.ts";

describe("company and tax identifiers", () => {
  it("checks a SIREN's Luhn digit, with spaces allowed", () => {
    expect(sirenProblem("732 829 320")).toBeUndefined();
    expect(sirenProblem("732829321")).toMatch(/check digit is wrong/);
    expect(sirenProblem("73282932")).toMatch(/wrong number of characters/);
  });

  it("checks a Spanish NIF, NIE or CIF check letter", () => {
    expect(spanishNifProblem("12345678Z")).toBeUndefined();
    expect(spanishNifProblem("X1234567L")).toBeUndefined();
    expect(spanishNifProblem("B-12345674")).toBeUndefined();
    expect(spanishNifProblem("12345678A")).toMatch(/check digit is wrong/);
  });

  it("checks an EU VAT number against its country's rule, and leaves other countries' ids alone", () => {
    expect(vatIdProblem("FR40303265045", "FR")).toBeUndefined();
    expect(vatIdProblem("EL094014201", "GR")).toBeUndefined();
    expect(vatIdProblem("FR41303265045", "FR")).toMatch(/not a valid FR VAT number/);
    expect(vatIdProblem("303265045", "FR")).toMatch(/starts with its country code, for example FR303265045/);
    expect(vatIdProblem("B12345674", "ES")).toBeUndefined();
    expect(vatIdProblem("84-1234567", "US")).toBeUndefined();
  });
});
