// The answer, in the thread of a statement shared with Cobro, in the sharer's language: what the
// import did, or why nothing was imported and what to share instead.
import { isDomainError } from "../../domain/errors.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { escapeMrkdwn } from "../../slack/kit/blocks.ts";
import { md, translatedUserMessage } from "../../slack/kit/support.ts";
import type { BankFileAnswer } from "../import-shared-bank-file.ts";

const FORMAT_NAMES = { camt: "ISO 20022 camt", norma43: "Norma 43", cfonb120: "CFONB 120" } as const;
const MB = 1024 * 1024;

/** A refusal's words: the catalogue's when it has them, Cobro's own mrkdwn kept, else escaped English. */
function reasonOf(error: unknown, locale: Locale): string {
  if (!isDomainError(error)) return escapeMrkdwn(t(locale, "error.unexpected"));
  if (error.mrkdwn) return translatedUserMessage(error, locale) ?? error.userMessage;
  return escapeMrkdwn(translatedUserMessage(error, locale) ?? error.userMessage);
}

export function buildBankFileReply(answer: BankFileAnswer, locale: Locale): { text: string } {
  switch (answer.kind) {
    case "imported": {
      const s = answer.summary;
      const lines = [
        md(locale, "imports.bank_file.imported", {
          file: answer.fileName,
          format: FORMAT_NAMES[answer.format],
          lines: s.lines,
        }),
        `• ${md(locale, "imports.bank_file.paid", { count: s.paid, invoices: s.invoicesPaid })}`,
        `• ${md(locale, "imports.bank_file.suggested", { count: s.suggested })}`,
        `• ${md(locale, "imports.bank_file.waiting", { count: s.waiting })}`,
        ...(s.alreadyImported > 0
          ? [`• ${md(locale, "imports.bank_file.already", { count: s.alreadyImported })}`]
          : []),
      ];
      return { text: lines.join("\n") };
    }
    case "not_statement":
      return { text: md(locale, "imports.bank_file.not_statement", { file: answer.fileName }) };
    case "too_big":
      return {
        text: md(locale, "imports.bank_file.too_big", {
          file: answer.fileName,
          size: Math.ceil(answer.sizeBytes / MB),
          limit: answer.limitBytes / MB,
        }),
      };
    case "refused": {
      const reason = reasonOf(answer.error, locale);
      if (answer.fileName === null) return { text: `:warning: ${reason}` };
      return {
        text: `:warning: ${md(locale, "imports.bank_file.refused", { file: answer.fileName })}\n${reason}`,
      };
    }
  }
}
