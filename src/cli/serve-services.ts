// What `cobro serve` runs once its database is ready: the queue worker and its delivery handlers,
// the sweeper, the scheduler, Slack, and the routes of the API, receipts and webhooks. Loaded only
// then (serve.ts imports it late), so that /healthz answers before all of this is loaded.
import { hostname } from "node:os";
import type { Config } from "../config.ts";
import type { AppContext, ServiceDeps } from "../context.ts";
import {
  createMailer,
  enqueueDeliveries,
  findStalledDeliveries,
  startDeliveryWorker,
  startQueue,
} from "../delivery/index.ts";
import { apiRoutes } from "../http/api-routes.ts";
import { invoiceRoutes } from "../http/invoice-routes.ts";
import { payRoutes } from "../http/pay-routes.ts";
import type { Route } from "../http/server.ts";
import { aeatClients, startVerifactuSending, stripePayments } from "../invoicing/index.ts";
import { buildDeliveryHandlers, createSlackSenderFor } from "../job-catalogue.ts";
import type { Logger } from "../logger.ts";
import { createPdfRenderPool } from "../pdf/render-pool.ts";
import { type Scheduler, startScheduler } from "../scheduler.ts";
import { createCipher, resolveEncryptionKey } from "../secrets.ts";
import { createSlackApp, type SlackApp } from "../slack/app.ts";
import { describeIntegrations } from "./integrations.ts";
import { COBRO_VERSION } from "./version.ts";

export type Services = {
  /** The API, receipt, webhook and Slack routes, to mount once everything behind them runs. */
  routes: Route[];
  /** What the services work with, their queue included (the local console acts through it). */
  deps: ServiceDeps;
  /** Stops the workers and lets accepted work finish; the database stays open. */
  stop: () => Promise<void>;
};

export async function startServices(opened: AppContext, config: Config, logger: Logger): Promise<Services> {
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
          postAckWork: config.slackWork,
        });
  const slackSender = createSlackSenderFor({
    slack: config.slack,
    db: app.db,
    now: app.now,
    installationStore: slack?.installationStore,
  });
  // PDFs render on worker threads: the event loop stays free for Slack's 3-second acks. Workers
  // start with the first PDF, so an instance that never sends one never pays for them.
  const renderPdf = createPdfRenderPool();
  const payments = stripePayments(config.stripe, config.publicUrl);
  const deliveryHandlers = buildDeliveryHandlers({
    deps: app,
    slack: slackSender,
    mailer: createMailer(config),
    renderPdf,
    payments,
    publicUrl: config.publicUrl,
    mailFrom: config.mailFrom,
  });
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
  const routes: Route[] = [
    ...apiRoutes(app),
    ...invoiceRoutes({
      ...app,
      payments,
      sendgridWebhook: {
        publicKey: config.sendgrid.webhookPublicKey,
        acceptUnsigned: config.sendgrid.acceptUnsignedEvents,
      },
    }),
    ...payRoutes(app, payments),
    ...(slack?.routes ?? []),
  ];
  if (config.slack.mode === "off") logger.warn(describeIntegrations(config)[0]);
  return {
    routes,
    deps: app,
    stop: async () => {
      clearInterval(sweeper);
      verifactu.stop();
      await scheduler?.stop();
      await slack?.stop();
      await queue.stop();
      await renderPdf.close();
    },
  };
}
