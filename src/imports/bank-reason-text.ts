// A bank line's reason (a code and its values, domain/bank-matching.ts) in the reader's words: the
// card, the App Home, the confirm and pay replies, the CLI and the write-off's payment reference.
// Plain text: Slack callers escape it (md does).
import type { BankFit, BankReason } from "../domain/bank-matching.ts";
import { DomainError } from "../domain/errors.ts";
import { type Locale, t } from "../i18n/index.ts";
import { translatedUserMessage } from "../slack/kit/support.ts";

export function bankReasonText(reason: BankReason, locale: Locale): string {
  switch (reason.code) {
    case "named_in_text": {
      const named = reason.values.named.map((n) =>
        t(locale, n.via === "rf" ? "imports.reason.named.rf" : "imports.reason.named.number", {
          number: n.number,
        }),
      );
      return t(locale, "imports.reason.named_in_text", {
        named: list(locale, named),
        fit: fitText(reason.values.fit, locale),
      });
    }
    case "other_currency":
      return t(locale, "imports.reason.other_currency", {
        invoices: list(
          locale,
          reason.values.invoices.map((i) => t(locale, "imports.reason.invoice_currency", i)),
        ),
        currency: reason.values.currency,
      });
    case "nothing_open":
      return t(locale, "imports.reason.nothing_open", {
        invoices: list(
          locale,
          reason.values.invoices.map((i) => t(locale, "imports.reason.invoice_status", i)),
        ),
      });
    case "iban_nothing_open":
      return t(locale, "imports.reason.iban_nothing_open", reason.values);
    case "iban_only_invoice":
      return t(locale, "imports.reason.iban_only_invoice", reason.values);
    case "iban_fit":
      return t(locale, "imports.reason.iban_fit", {
        client: reason.values.client,
        fit: fitText(reason.values.fit, locale),
      });
    case "same_amount": {
      const { ibanClients, ...values } = reason.values;
      return t(locale, "imports.reason.same_amount", { ...values, iban: ibanText(ibanClients, locale) });
    }
    case "payer_name":
      return t(locale, "imports.reason.payer_name", {
        iban: ibanText(reason.values.ibanClients, locale),
        client: reason.values.client,
        fit: fitText(reason.values.fit, locale),
      });
    case "unknown_payer":
      return t(locale, "imports.reason.unknown_payer", {
        iban: ibanText(reason.values.ibanClients, locale),
        amount: reason.values.amount,
        named: reason.values.payer ? "yes" : "no",
        payer: reason.values.payer ?? "",
      });
    case "bank_fees":
      return t(locale, "imports.reason.bank_fees", reason.values);
    case "confirmed": {
      const { paid, fee, overpaid, by, actor } = reason.values;
      return t(locale, "imports.reason.confirmed", {
        paid: list(locale, paid),
        fee: fee ? bankReasonText(fee, locale) : "",
        withFee: fee ? "yes" : "no",
        overpaid: overpaid ? "yes" : "no",
        by,
        actor,
      });
    }
    case "refused": {
      const { paid, number, error } = reason.values;
      const refusal = new DomainError(error.code, error.message, {
        userMessage: error.message,
        ...(error.messageKey ? { messageKey: error.messageKey } : {}),
        messageValues: error.messageValues,
      });
      return t(locale, "imports.reason.refused", {
        count: paid.length,
        paid: list(locale, paid),
        number,
        message: translatedUserMessage(refusal, locale) ?? error.message,
      });
    }
    case "dismissed":
      return t(locale, "imports.reason.dismissed", reason.values);
    case "settled_elsewhere":
      return t(locale, "imports.reason.settled_elsewhere");
    case "status":
      return t(locale, "imports.reason.status", reason.values);
    case "text":
      return reason.values.text;
  }
}

function fitText(fit: BankFit, locale: Locale): string {
  switch (fit.kind) {
    case "exact":
      return t(locale, "imports.reason.fit.exact");
    case "overpaid":
      return t(locale, "imports.reason.fit.overpaid", fit);
    case "fee":
      return t(locale, "imports.reason.fit.fee", {
        ...fit,
        fee: t(locale, "imports.reason.bank_fees", fit.fee),
      });
    case "partial":
      return t(locale, "imports.reason.fit.partial", fit);
  }
}

/** The clients the payer's IBAN is known for (several tell nothing), or that it is not known. */
function ibanText(clients: readonly string[], locale: Locale): string {
  return clients.length > 0
    ? t(locale, "imports.reason.iban.known", { clients: list(locale, clients) })
    : t(locale, "imports.reason.iban.unknown");
}

const list = (locale: Locale, items: readonly string[]) => new Intl.ListFormat(locale).format(items);
