import { describe, expect, it } from "vitest";
import { buildEditDraftModal } from "../../src/invoicing/slack/edit-draft-modal.ts";
import { SEVEN_MINUTES_LINE } from "../helpers/printable-invoice.ts";

type Input = { type: string; label?: { text: string }; element?: { initial_value?: string } };

describe("Edit draft modal", () => {
  it("says what a time line's numbers count: minutes, at a price per 60 minutes", () => {
    const view = buildEditDraftModal(
      {
        invoiceId: "8f0c6b1e-4a55-4a53-9d3f-2f8e1c1d2a10",
        clientName: "Globex",
        currency: "EUR",
        totalMinor: 1400,
        locale: "en",
        lines: [
          SEVEN_MINUTES_LINE,
          {
            description: "Workshop",
            quantityMilli: 1000,
            unitCode: "C62",
            unitPriceMinor: 50_000,
            priceBaseQuantityMilli: 1000,
            vatRateBp: 2000,
          },
        ],
        servicePeriodStart: null,
        servicePeriodEnd: null,
        notes: null,
      },
      "en",
    );
    const inputs = (view.blocks as Input[]).filter((b) => b.type === "input");
    const labelled = inputs.map((b) => [b.label?.text, b.element?.initial_value]);
    expect(labelled).toContainEqual(["Quantity (minutes)", "7"]);
    expect(labelled).toContainEqual(["Unit price (EUR per 60 minutes)", "100.00"]);
    expect(labelled).toContainEqual(["Quantity", "1"]);
    expect(labelled).toContainEqual(["Unit price (EUR)", "500.00"]);
  });
});
