// Sends a claimed reminder e-mail ({type: "reminder"}) with the invoice PDF, after checking once more
// that the invoice is still open and not disputed or paused. Provider outages wait, never drop.
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import {
  type DeliveryHandler,
  type Mailer,
  OutcomeUnknownError,
  RetryLaterError,
  readPayload,
  textToHtml,
} from "../../delivery/index.ts";
import { daysBetween } from "../../domain/calendar.ts";
import { collectionBlock, collectionState } from "../../domain/dunning.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import { lateInterestJurisdiction } from "../../domain/invoice-parties.ts";
import { interestLawOf } from "../../domain/late-interest.ts";
import { formatMoney } from "../../domain/money.ts";
import { localToday } from "../../domain/overdue.ts";
import { payUrlOf } from "../../domain/payment-links.ts";
import { renderReminderEmail } from "../../domain/reminder-email.ts";
import { findInvoice } from "../../invoicing/index.ts";
import { findWorkspaceById } from "../../workspace/index.ts";
import { ReminderEmailPayload } from "../collection-payloads.ts";
import { findInvoiceCollection } from "../repo.ts";

export type ReminderEmailOptions = {
  db: Db;
  now: () => Date;
  mailer: Mailer;
  mailFrom: string;
  /** Where clients reach Cobro: the "Paid already" link (and the pay link, with `payments`). */
  publicUrl?: string | undefined;
  payments?: { publicUrl: string } | null | undefined;
  /** The issued invoice's PDF (src/pdf); reminders attach it when available. */
  invoicePdf?: (
    workspaceId: string,
    invoiceId: string,
  ) => Promise<{ filename: string; content: Buffer } | null>;
};

const MAX_WAIT_SECONDS = 600;

/** Where the e-mail providers' clients put the HTTP status of a refusal (SendGrid: code; others: statusCode, response.status). */
const ProviderError = z.object({
  code: z.number().optional().catch(undefined),
  statusCode: z.number().optional().catch(undefined),
  response: z.object({ status: z.number().optional() }).optional().catch(undefined),
});

/** 4xx other than 429 will not get better by retrying; everything else (5xx, network) waits. */
export function translateMailError(error: unknown, attempts: number): never {
  if (error instanceof RetryLaterError || error instanceof OutcomeUnknownError || isDomainError(error)) {
    throw error;
  }
  const said = ProviderError.safeParse(error);
  const code = said.success
    ? (said.data.code ?? said.data.statusCode ?? said.data.response?.status)
    : undefined;
  if (code === 429) throw new RetryLaterError(60, "e-mail provider rate limit");
  if (typeof code === "number" && code >= 400 && code < 500) {
    throw new DomainError("email.refused", `e-mail provider refused the message (${code})`, {
      userMessage: `The e-mail provider refused the message (HTTP ${code}): check the client's address and the sender settings.`,
      messageKey: "collections.error.email_refused",
      messageValues: { code },
    });
  }
  const wait = Math.min(MAX_WAIT_SECONDS, 30 * 2 ** Math.max(0, attempts - 1));
  throw new RetryLaterError(
    wait,
    `e-mail provider unavailable: ${error instanceof Error ? error.message : String(error)}`,
    { failure: true },
  );
}

export function reminderEmailHandler(options: ReminderEmailOptions): DeliveryHandler {
  return async (delivery) => {
    const payload = readPayload(delivery, ReminderEmailPayload);
    const workspace = await findWorkspaceById(options.db, delivery.workspaceId);
    const view = workspace
      ? await findInvoiceCollection(options.db, delivery.workspaceId, payload.invoiceId)
      : null;
    if (!workspace || !view) return { skipped: "invoice gone" };
    const today = localToday(options.now(), workspace.timeZone);
    // The send may come hours after the claim (outage, pacing): the client must not be chased for paid money.
    const block = collectionBlock({ ...collectionState(view), formalApproved: true }, today);
    if (block) return { skipped: block };
    if (payload.to.length === 0) {
      throw new DomainError("reminder.no_recipient", "client has no e-mail address", {
        userMessage: `${view.clientName} has no e-mail address: add one to the client so reminders can go.`,
        messageKey: "collections.error.reminder_no_email",
        messageValues: { client: view.clientName },
      });
    }
    const locale = payload.language;
    const interest = payload.interest;
    const pdf = options.invoicePdf ? await options.invoicePdf(delivery.workspaceId, payload.invoiceId) : null;
    const invoice = await findInvoice(options.db, delivery.workspaceId, payload.invoiceId);
    const token = invoice?.receiptToken;
    const rendered = renderReminderEmail(payload.template, payload.tone, payload.language, {
      number: view.number ?? "",
      clientName: view.clientName,
      sellerName: workspace.seller?.legalName ?? workspace.name,
      openText: formatMoney({ amountMinor: view.openMinor, currency: view.currency }, locale),
      dueDate: view.dueDate,
      daysPastDue: Math.max(0, daysBetween(view.dueDate, today)),
      interestLaw: interestLawOf(
        lateInterestJurisdiction(workspace.settings, workspace.seller),
        view.profile,
      ),
      attached: pdf !== null,
      paidAlreadyUrl: token && options.publicUrl ? `${options.publicUrl}/paid/${token}` : undefined,
      payUrl: token && options.payments ? payUrlOf(options.payments.publicUrl, token) : undefined,
      ...(workspace.seller?.iban ? { paymentDetails: `IBAN ${workspace.seller.iban}` } : {}),
      ...(interest && !interest.problem
        ? {
            interestText: formatMoney(
              { amountMinor: interest.interestMinor, currency: interest.currency },
              locale,
            ),
            interestAsOf: interest.asOf,
            ...(interest.compensationMinor > 0
              ? {
                  compensationText: formatMoney(
                    { amountMinor: interest.compensationMinor, currency: "EUR" },
                    locale,
                  ),
                }
              : {}),
          }
        : {}),
    });
    try {
      const sellerName = workspace.seller?.tradeName ?? workspace.seller?.legalName ?? workspace.name;
      const sent = await options.mailer.send({
        from: { email: options.mailFrom, name: sellerName },
        ...(workspace.seller?.email ? { replyTo: workspace.seller.email } : {}),
        to: payload.to,
        subject: rendered.subject,
        text: rendered.text,
        html: textToHtml(rendered.text),
        attachments: pdf ? [{ ...pdf, contentType: "application/pdf" }] : [],
        categories: ["reminder", payload.tone],
        customArgs: { invoice_id: view.invoiceId, workspace_id: workspace.id, delivery_id: delivery.id },
      });
      return { provider: sent.provider, messageId: sent.messageId, level: payload.level };
    } catch (error) {
      return translateMailError(error, delivery.attempts);
    }
  };
}
