import { once } from "node:events";
import { createMailer } from "../email/create-mailer.ts";
import { apiRoutes } from "../http/api-routes.ts";
import { healthRoutes } from "../http/health.ts";
import { invoiceRoutes } from "../http/invoice-routes.ts";
import { createHttpServer, type Route } from "../http/server.ts";
import {
  byPayloadType,
  type DeliveryHandlers,
  enqueueDeliveries,
  startDeliveryWorker,
} from "../jobs/deliver.ts";
import { sendInvoiceEmailHandler } from "../jobs/handlers/send-invoice-email.ts";
import { createSlackSenderFor, slackMessageHandlers } from "../jobs/handlers/slack-handlers.ts";
import { timesheetSlackHandlers } from "../jobs/handlers/slack-timesheets.ts";
import { startQueue } from "../jobs/queue.ts";
import { createCipher, resolveEncryptionKey } from "../secrets.ts";
import { findStalledDeliveries } from "../services/claim-delivery.ts";
import { createSlackApp, type SlackApp } from "../slack/app.ts";
import { describeIntegrations } from "./integrations.ts";
import { type CliCommand, EXIT } from "./types.ts";

export const serveCommand: CliCommand = {
  summary: "run the HTTP server (Slack, webhooks, health checks) and the scheduler",
  usage: "serve",
  run: async ({ openApp, config, logger }) => {
    const opened = await openApp();
    const queue = await startQueue(opened.database, logger);
    const app = { ...opened, enqueue: (ids: string[]) => enqueueDeliveries(queue, ids) };
    const slack: SlackApp | undefined =
      config.slack.mode === "off"
        ? undefined
        : createSlackApp({
            deps: app,
            slack: config.slack,
            cipher: createCipher(resolveEncryptionKey(config)),
            publicUrl: config.publicUrl,
            register: [],
          });
    const slackOptions = {
      slack: config.slack,
      db: app.db,
      now: app.now,
      installationStore: slack?.installationStore,
    };
    const slackSender = createSlackSenderFor(slackOptions);
    const timesheetHandlers = slackSender ? timesheetSlackHandlers(slackSender, app.db) : {};
    // One handler per delivery kind; `slack_message` dispatches on payload.type.
    const deliveryHandlers: DeliveryHandlers = {
      slack_message: byPayloadType({
        ...slackMessageHandlers(slackOptions),
        ...timesheetHandlers,
      }),
      slack_dm: byPayloadType(timesheetHandlers),
      email: sendInvoiceEmailHandler({
        ...app,
        mailer: createMailer(config),
        publicUrl: config.publicUrl,
        mailFrom: config.mailFrom,
      }),
    };
    await startDeliveryWorker(queue, app.db, deliveryHandlers, logger);
    // Claims whose enqueue was lost (crash between commit and send) are picked up again.
    const sweeper = setInterval(() => {
      findStalledDeliveries(app.db, 120)
        .then((ids) => enqueueDeliveries(queue, ids))
        .catch((error: unknown) => logger.error({ err: error }, "delivery sweep failed"));
    }, 60_000);
    sweeper.unref();
    await slack?.start();
    const routes: Route[] = [
      ...healthRoutes(app.database),
      ...apiRoutes(app),
      ...invoiceRoutes({ ...app, sendgridWebhookPublicKey: config.sendgrid.webhookPublicKey }),
      ...(slack?.routes ?? []),
    ];
    const server = createHttpServer(routes, logger);
    server.listen(config.port);
    await once(server, "listening");
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, database: app.database.kind }, `Cobro listening on http://localhost:${port}`);
    if (config.slack.mode === "off") logger.warn(describeIntegrations(config)[0]);

    const stop = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      server.close();
      clearInterval(sweeper);
      await slack?.stop();
      await queue.stop();
      await app.database.close();
      process.exit(EXIT.ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await once(server, "close");
    return EXIT.ok;
  },
};
