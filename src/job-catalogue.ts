// The delivery job catalogue: every kind of delivery Cobro sends (Slack posts, DMs, e-mails) and the
// handler of each, which lives in its capability. One function builds them for `cobro serve`, the
// CLI's immediate sends and the tests alike, so each runs the same handlers.

import {
  collectionsSlackHandlers,
  REMINDER_EMAIL_PAYLOAD,
  reminderEmailHandler,
  STATEMENT_EMAIL_PAYLOAD,
  sendStatementEmailHandler,
} from "./collections/index.ts";
import type { Config } from "./config.ts";
import { contextFor, type ServiceDeps } from "./context.ts";
import type { Db } from "./db/client.ts";
import {
  byPayloadType,
  createSlackSender,
  DELIVERY_QUESTION_PAYLOAD,
  type DeliveryHandlers,
  deliveryQuestionHandler,
  fixedBotToken,
  installedBotToken,
  type Mailer,
  type SlackSender,
} from "./delivery/index.ts";
import { systemActor } from "./domain/permissions.ts";
import { bankSlackHandlers } from "./imports/index.ts";
import {
  INVOICE_EMAIL_PAYLOAD,
  invoicePdfAttachment,
  invoiceSlackHandlers,
  type StripePayments,
  sendInvoiceEmailHandler,
  verifactuAlarmSlackHandlers,
  verifactuSlackHandlers,
} from "./invoicing/index.ts";
import type { PdfRenderer } from "./pdf/render-invoice.ts";
import { timesheetSlackHandlers } from "./timesheets/index.ts";

export type DeliveryPorts = {
  deps: ServiceDeps;
  /** Absent when Slack is not connected: Slack deliveries then wait, e-mails still go. */
  slack: SlackSender | undefined;
  mailer: Mailer;
  renderPdf?: PdfRenderer;
  /** Stripe, when configured: invoices and their e-mails then carry a pay link. */
  payments?: StripePayments | null;
  publicUrl: string;
  mailFrom: string;
};

export function buildDeliveryHandlers(ports: DeliveryPorts): DeliveryHandlers {
  const { deps, slack, mailer, mailFrom } = ports;
  const { db, now } = deps;
  const pdfDeps = {
    ...deps,
    payments: ports.payments ?? null,
    ...(ports.renderPdf ? { renderPdf: ports.renderPdf } : {}),
  };
  const direct = slack
    ? { ...timesheetSlackHandlers(slack, deps), ...collectionsSlackHandlers(slack, db, now) }
    : {};
  return {
    slack_message: byPayloadType(
      slack
        ? {
            ...invoiceSlackHandlers(slack, db),
            ...direct,
            [DELIVERY_QUESTION_PAYLOAD]: deliveryQuestionHandler(slack, db),
            ...verifactuAlarmSlackHandlers(slack, db),
            ...verifactuSlackHandlers(slack, db, now),
            ...bankSlackHandlers(slack, deps),
          }
        : {},
    ),
    slack_dm: byPayloadType(direct),
    email: byPayloadType({
      [INVOICE_EMAIL_PAYLOAD]: sendInvoiceEmailHandler({
        ...pdfDeps,
        mailer,
        publicUrl: ports.publicUrl,
        mailFrom,
      }),
      [REMINDER_EMAIL_PAYLOAD]: reminderEmailHandler({
        db,
        now,
        mailer,
        mailFrom,
        publicUrl: ports.publicUrl,
        payments: ports.payments ?? null,
        invoicePdf: (workspaceId, invoiceId) =>
          invoicePdfAttachment(
            { ...pdfDeps, ...contextFor(deps, workspaceId, systemActor("delivery")) },
            { invoiceId },
          ),
      }),
      [STATEMENT_EMAIL_PAYLOAD]: sendStatementEmailHandler({ ...deps, mailer, mailFrom }),
    }),
  };
}

export type SlackHandlerOptions = {
  slack: Config["slack"];
  db: Db;
  now: () => Date;
  installationStore?: { fetchInstallation: Parameters<typeof installedBotToken>[1] } | undefined;
  channelIntervalMs?: number;
};

export function createSlackSenderFor(options: SlackHandlerOptions): SlackSender | undefined {
  const { slack } = options;
  if (slack.mode === "off") return undefined;
  const botToken =
    slack.mode === "oauth"
      ? options.installationStore
        ? installedBotToken(options.db, options.installationStore.fetchInstallation)
        : undefined
      : slack.botToken
        ? fixedBotToken(slack.botToken)
        : undefined;
  if (!botToken) return undefined;
  return createSlackSender({
    db: options.db,
    now: options.now,
    botToken,
    apiUrl: slack.apiUrl,
    ...(options.channelIntervalMs !== undefined ? { channelIntervalMs: options.channelIntervalMs } : {}),
  });
}
