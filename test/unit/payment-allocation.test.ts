import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateOldestFirst } from "../../src/domain/payment-allocation.ts";

const open = [
  { id: "a", number: "F-1", openMinor: 1_000 },
  { id: "b", number: "F-2", openMinor: 500 },
  { id: "c", number: "F-3", openMinor: 2_000 },
];

describe("a payment that names no invoice", () => {
  it("settles the oldest first and leaves the rest open", () => {
    expect(allocateOldestFirst(1_200, open)).toEqual([
      { invoiceId: "a", number: "F-1", amountMinor: 1_000 },
      { invoiceId: "b", number: "F-2", amountMinor: 200 },
    ]);
    expect(allocateOldestFirst(3_500, open).map((a) => a.amountMinor)).toEqual([1_000, 500, 2_000]);
  });

  it("refuses more than is open, and nothing at all", () => {
    expect(() => allocateOldestFirst(3_501, open)).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("more than the 3 open invoice(s)") }),
    );
    expect(() => allocateOldestFirst(0, open)).toThrow(
      expect.objectContaining({ userMessage: "A payment must be more than zero." }),
    );
  });

  it("always applies exactly the amount, never more than an invoice's open amount (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amounts, share) => {
          const invoices = amounts.map((openMinor, i) => ({ id: String(i), number: `F-${i}`, openMinor }));
          const total = amounts.reduce((a, b) => a + b, 0);
          const paid = Math.max(1, Math.floor(total * share));
          const parts = allocateOldestFirst(paid, invoices);
          expect(parts.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(paid);
          parts.forEach((part, i) => {
            expect(part.amountMinor).toBeLessThanOrEqual(amounts[i] ?? 0);
            // Every invoice before the last one touched is settled in full.
            if (i < parts.length - 1) expect(part.amountMinor).toBe(amounts[i]);
          });
        },
      ),
    );
  });
});
