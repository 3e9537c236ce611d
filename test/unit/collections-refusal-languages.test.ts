// A reminder or statement e-mail the provider refuses is explained to a Slack reader in their
// language (the delivery keeps the English words for logs and the CLI).
import { describe, expect, it } from "vitest";
import { translateMailError } from "../../src/collections/jobs/send-reminder-email.ts";
import { assertMayApproveFormalNotice } from "../../src/domain/dunning.ts";
import { translatedUserMessage } from "../../src/slack/kit/support.ts";

function refusal(): unknown {
  try {
    translateMailError({ code: 400 }, 1);
  } catch (error) {
    return error;
  }
  throw new Error("a 400 from the provider was not refused");
}

describe("the e-mail provider's refusal in the reader's language", () => {
  it.each([
    [
      "fr",
      "Le fournisseur d’e-mail a refusé le message (HTTP 400) : vérifiez l’adresse du client et les réglages de l’expéditeur.",
    ],
    [
      "es",
      "El proveedor de correo rechazó el mensaje (HTTP 400): revisa la dirección del cliente y la configuración del remitente.",
    ],
  ] as const)("%s", (locale, words) => {
    const error = refusal();
    expect(translatedUserMessage(error, locale)).toBe(words);
    expect((error as { userMessage: string }).userMessage).toContain(
      "The e-mail provider refused the message (HTTP 400)",
    );
  });
});

describe("the formal notice's approval refused to a PM in the reader's language", () => {
  it.each([
    [
      "fr",
      "Seuls le recouvrement, la facturation ou un administrateur peuvent approuver une mise en demeure. Un administrateur peut attribuer des rôles avec `/cobro setup`.",
    ],
    [
      "es",
      "Solo alguien de cobros, de facturación o un administrador puede aprobar un requerimiento formal. Un administrador puede asignar roles con `/cobro setup`.",
    ],
  ] as const)("%s", (locale, words) => {
    let error: unknown = null;
    try {
      assertMayApproveFormalNotice(["pm"]);
    } catch (refused) {
      error = refused;
    }
    expect(translatedUserMessage(error, locale)).toBe(words);
  });
});
