// A refusal reaches Slack in the reader's words: by its catalogue key with values, a list of
// missing mentions said as a list in their language, or by its code when its words never vary.
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { assertBuyerIdentity } from "../../src/domain/invoice-parties.ts";
import { translatedUserMessage } from "../../src/slack/kit/support.ts";

const refusalOf = (run: () => void): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("no refusal");
};

describe("refusal words", () => {
  it("names each missing client mention in the reader's language, as a list", () => {
    const buyer = { name: "", profile: "business", taxId: null, siren: null, address: null, country: "ES" };
    const error = refusalOf(() => assertBuyerIdentity(buyer as never, "ES"));
    expect(translatedUserMessage(error, "es")).toBe(
      "Faltan datos de este cliente para una factura legal: el nombre, el NIF o número de IVA y la dirección de facturación. Completa el cliente y vuelve a emitirla.",
    );
    expect(translatedUserMessage(error, "fr")).toContain(
      "il manque le nom, le NIF ou numéro de TVA et l’adresse de facturation.",
    );
    expect(translatedUserMessage(error, "en")).toBe(
      "This client's details are incomplete for a legal invoice: name, NIF / VAT number, and billing address missing. Complete the client, then issue again.",
    );
  });

  it.each([
    [
      "slack.not_in_channel",
      "fr",
      "Cobro ne peut pas publier dans ce canal : invitez-le avec `/invite @Cobro` et réessayez.",
    ],
    ["invoice.held", "es", "Esta factura está retenida: libérala antes de emitirla."],
    ["bank.line_not_found", "fr", "Ce crédit bancaire n’est plus dans Cobro."],
  ] as const)("%s is said by its code in %s", (code, locale, said) => {
    expect(translatedUserMessage(new DomainError(code, "x", { userMessage: "English" }), locale)).toBe(said);
  });
});
