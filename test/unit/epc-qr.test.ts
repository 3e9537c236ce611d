import { describe, expect, it } from "vitest";
import { EPC_MAX_BYTES, epcQrPayload } from "../../src/domain/sepa-transfer.ts";

const transfer = {
  name: "Acme Consulting SL",
  iban: "ES91 2100 0418 4502 0005 1332",
  amountMinor: 121_000,
  remittance: { text: "F-2026-00001" },
};

describe("EPC069-12 payload", () => {
  it("puts a structured RF reference in its own field, leaving the text empty", () => {
    const payload = epcQrPayload({
      ...transfer,
      bic: "caixesbb",
      purpose: "gdds",
      remittance: { structured: "RF18 5390 0754 7034" },
    });
    expect(payload.split("\n")).toEqual([
      "BCD",
      "002",
      "1",
      "SCT",
      "CAIXESBB",
      "Acme Consulting SL",
      "ES9121000418450200051332",
      "EUR1210.00",
      "GDDS",
      "RF18539007547034",
    ]);
  });

  it("cuts the name at 70 and the text at 140 characters and keeps within 331 bytes, multi-byte letters included", () => {
    const payload = epcQrPayload({
      ...transfer,
      name: "Ñ".repeat(90),
      remittance: { text: "€".repeat(200) },
    });
    const fields = payload.split("\n");
    expect([...(fields[5] ?? "")]).toHaveLength(70);
    expect(new TextEncoder().encode(payload).length).toBeLessThanOrEqual(EPC_MAX_BYTES);
    expect((fields[10] ?? "").length).toBeGreaterThan(10);
    expect([
      ...epcQrPayload({ ...transfer, remittance: { text: "x".repeat(200) } }).split("\n")[10]!,
    ]).toHaveLength(140);
  });

  it("refuses what a bank app could not use, naming the field", () => {
    expect(() => epcQrPayload({ ...transfer, iban: "not an iban" })).toThrow(/iban/);
    expect(() => epcQrPayload({ ...transfer, amountMinor: 0 })).toThrow(/amount/);
    expect(() => epcQrPayload({ ...transfer, bic: "XX" })).toThrow(/bic/);
  });
});
