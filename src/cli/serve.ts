import { once } from "node:events";
import { hostname } from "node:os";
import { createMailer } from "../email/create-mailer.ts";
import { apiRoutes } from "../http/api-routes.ts";
import { guardProcess } from "../http/guard-process.ts";
import { healthRoutes } from "../http/health.ts";
import { invoiceRoutes } from "../http/invoice-routes.ts";
import { createHttpServer, type Route } from "../http/server.ts";
import {
  byPayloadType,
  DELIVERY_QUESTION_PAYLOAD,
  type DeliveryHandlers,
  enqueueDeliveries,
  startDeliveryWorker,
} from "../jobs/deliver.ts";
import { deliveryQuestionHandler } from "../jobs/handlers/delivery-question.ts";
import { sendInvoiceEmailHandler } from "../jobs/handlers/send-invoice-email.ts";
import { reminderEmailHandler } from "../jobs/handlers/send-reminder-email.ts";
import { sendStatementEmailHandler } from "../jobs/handlers/send-statement-email.ts";
import { collectionsSlackHandlers } from "../jobs/handlers/slack-collections.ts";
import { createSlackSenderFor, slackMessageHandlers } from "../jobs/handlers/slack-handlers.ts";
import { timesheetSlackHandlers } from "../jobs/handlers/slack-timesheets.ts";
import { verifactuAlarmSlackHandlers } from "../jobs/handlers/slack-verifactu-alarm.ts";
import { verifactuSlackHandlers } from "../jobs/handlers/slack-verifactu-warning.ts";
import { startQueue } from "../jobs/queue.ts";
import { type Scheduler, startScheduler } from "../jobs/scheduler.ts";
import { aeatClients, startVerifactuSending } from "../jobs/verifactu-sender.ts";
import { createPdfRenderPool } from "../pdf/render-pool.ts";
import { createCipher, resolveEncryptionKey } from "../secrets.ts";
import { findStalledDeliveries } from "../services/claim-delivery.ts";
import { invoicePdfAttachment } from "../services/render-invoice-document.ts";
import { REMINDER_EMAIL_PAYLOAD } from "../services/run-reminders.ts";
import { STATEMENT_EMAIL_PAYLOAD } from "../services/send-client-statement.ts";
import { INVOICE_EMAIL_PAYLOAD } from "../services/send-invoice.ts";
import { createSlackApp, type SlackApp } from "../slack/app.ts";
import { registerCollectionsListeners } from "../slack/listeners/collections.ts";
import { describeIntegrations } from "./integrations.ts";
import { type CliCommand, EXIT } from "./types.ts";
import { COBRO_VERSION } from "./version.ts";

export const serveCommand: CliCommand = {
  summary: "run the HTTP server (Slack, webhooks, health checks) and the scheduler",
  usage: "serve",
  run: async ({ openApp, config, logger }) => {
    // Liveness first: /healthz answers while migrations and workers start; /readyz once migrated.
    const routes: Route[] = [];
    const server = createHttpServer(routes, logger);
    const opened = await openApp(async (database) => {
      routes.push(...healthRoutes(database));
      server.listen(config.port);
      await once(server, "listening");
    });
    const queue = await startQueue(opened.database, logger);
    const app = { ...opened, enqueue: (ids: string[]) => enqueueDeliveries(opened.db, queue, ids) };
    const cipher = createCipher(resolveEncryptionKey(config));
    const slack: SlackApp | undefined =
      config.slack.mode === "off"
        ? undefined
        : createSlackApp({
            deps: { ...app, verifactuProducer: config.verifactuProducer },
            slack: config.slack,
            cipher,
            publicUrl: config.publicUrl,
            register: [registerCollectionsListeners],
            postAckWork: config.slackWork,
          });
    const slackOptions = {
      slack: config.slack,
      db: app.db,
      now: app.now,
      installationStore: slack?.installationStore,
    };
    const slackSender = createSlackSenderFor(slackOptions);
    const timesheetHandlers = slackSender ? timesheetSlackHandlers(slackSender, app.db) : {};
    const collectionsHandlers = slackSender ? collectionsSlackHandlers(slackSender, app.db, app.now) : {};
    const verifactuHandlers = slackSender ? verifactuSlackHandlers(slackSender, app.db, app.now) : {};
    const verifactuAlarmHandlers = slackSender ? verifactuAlarmSlackHandlers(slackSender, app.db) : {};
    const mailer = createMailer(config);
    // PDFs render on worker threads: the event loop stays free for Slack's 3-second acks. Workers
    // start with the first PDF, so an instance that never sends one never pays for them.
    const renderPdf = createPdfRenderPool();
    // One handler per delivery kind; `slack_message` dispatches on payload.type.
    const deliveryHandlers: DeliveryHandlers = {
      slack_message: byPayloadType({
        ...slackMessageHandlers(slackOptions),
        ...timesheetHandlers,
        ...collectionsHandlers,
        ...(slackSender ? { [DELIVERY_QUESTION_PAYLOAD]: deliveryQuestionHandler(slackSender, app.db) } : {}),
        ...verifactuAlarmHandlers,
        ...verifactuHandlers,
      }),
      slack_dm: byPayloadType({ ...timesheetHandlers, ...collectionsHandlers }),
      email: byPayloadType({
        [INVOICE_EMAIL_PAYLOAD]: sendInvoiceEmailHandler({
          ...app,
          renderPdf,
          mailer,
          publicUrl: config.publicUrl,
          mailFrom: config.mailFrom,
        }),
        [REMINDER_EMAIL_PAYLOAD]: reminderEmailHandler({
          db: app.db,
          now: app.now,
          mailer,
          mailFrom: config.mailFrom,
          invoicePdf: (workspaceId, invoiceId) =>
            invoicePdfAttachment({ ...app, renderPdf }, { workspaceId, invoiceId }),
        }),
        [STATEMENT_EMAIL_PAYLOAD]: sendStatementEmailHandler({
          db: app.db,
          now: app.now,
          mailer,
          mailFrom: config.mailFrom,
        }),
      }),
    };
    await startDeliveryWorker(queue, app.db, deliveryHandlers, logger, {
      concurrency: config.deliveryConcurrency,
    });
    const verifactu = await startVerifactuSending(queue, {
      ...app,
      aeatFor: aeatClients(app.db, cipher, config.verifactuAeat),
      system: { version: COBRO_VERSION, producer: config.verifactuProducer },
      instanceId: `${hostname()}:${process.pid}`,
    });
    // Claims of other processes (`cobro run`, an instance that stopped) and jobs lost between
    // commit and enqueue are queued here, within seconds.
    const sweeper = setInterval(() => {
      findStalledDeliveries(app.db, { unqueuedSeconds: 2, stalledSeconds: 120 })
        .then((ids) => enqueueDeliveries(app.db, queue, ids))
        .catch((error: unknown) => logger.error({ err: error }, "delivery sweep failed"));
    }, 3_000);
    sweeper.unref();
    // node-cron says when; the scheduled_runs claim makes any number of instances run each day once.
    const scheduler: Scheduler | undefined = config.scheduler
      ? startScheduler(app, { ecb: config.ecb })
      : undefined;
    await slack?.start();
    routes.push(
      ...apiRoutes(app),
      ...invoiceRoutes({
        ...app,
        sendgridWebhook: {
          publicKey: config.sendgrid.webhookPublicKey,
          acceptUnsigned: config.sendgrid.acceptUnsignedEvents,
        },
      }),
      ...(slack?.routes ?? []),
    );
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, database: app.database.kind }, `Cobro listening on http://localhost:${port}`);
    if (config.slack.mode === "off") logger.warn(describeIntegrations(config)[0]);
    // From here a stray error is logged and serving goes on; before, a failed start stops.
    guardProcess(logger);

    const stop = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      server.close();
      clearInterval(sweeper);
      verifactu.stop();
      await scheduler?.stop();
      await slack?.stop();
      await queue.stop();
      await renderPdf.close();
      await app.database.close();
      process.exit(EXIT.ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await once(server, "close");
    return EXIT.ok;
  },
};
