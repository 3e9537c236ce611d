// The statement e-mail handler: builds the client's statement as of the sending day, renders it in
// the client's language and e-mails it with the PDF attached.

import { contextFor, type ServiceDeps } from "../../context.ts";
import { type DeliveryHandler, type Mailer, readPayload, textToHtml } from "../../delivery/index.ts";
import { formatDate } from "../../domain/calendar.ts";
import { formatMoney } from "../../domain/money.ts";
import { systemActor } from "../../domain/permissions.ts";
import { composeStatementEmail } from "../../domain/statement.ts";
import { LOCALES } from "../../pdf/i18n.ts";
import { renderStatementPdf } from "../../pdf/render-statement.ts";
import { StatementEmailPayload } from "../collection-payloads.ts";
import { loadClientStatement } from "../load-client-statement.ts";
import { translateMailError } from "./send-reminder-email.ts";

export function sendStatementEmailHandler(
  deps: ServiceDeps & { mailer: Mailer; mailFrom: string },
): DeliveryHandler {
  return async (delivery) => {
    const payload = readPayload(delivery, StatementEmailPayload);
    const ctx = contextFor(deps, delivery.workspaceId, systemActor("delivery"));
    const statement = await loadClientStatement(ctx, { client: payload.clientId });
    if (payload.onlyIfOverdue && !statement.currencies.some((c) => c.overdueMinor > 0)) {
      return { skipped: "nothing overdue any more" };
    }
    const locale = LOCALES[statement.client.language];
    const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale);
    const sellerName = statement.seller.tradeName ?? statement.seller.legalName;
    const email = composeStatementEmail({
      language: statement.client.language,
      sellerName,
      asOf: formatDate(statement.asOf),
      totals: statement.currencies.map((c) => money(c.totalMinor, c.currency)),
    });
    const pdf = await renderStatementPdf(statement);
    try {
      const sent = await deps.mailer.send({
        from: { email: deps.mailFrom, name: sellerName },
        ...(statement.seller.email ? { replyTo: statement.seller.email } : {}),
        to: payload.to,
        subject: email.subject,
        text: email.text,
        html: textToHtml(email.text),
        attachments: [
          { filename: `statement-${statement.asOf}.pdf`, contentType: "application/pdf", content: pdf },
        ],
        categories: ["statement"],
        customArgs: {
          client_id: statement.clientId,
          workspace_id: delivery.workspaceId,
          delivery_id: delivery.id,
        },
      });
      return { provider: sent.provider, messageId: sent.messageId, asOf: statement.asOf };
    } catch (error) {
      return translateMailError(error, delivery.attempts);
    }
  };
}
