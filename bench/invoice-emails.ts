// `npm run bench:invoice-emails`: from the click on "Issue & send all" for 1,000 drafts to the last
// e-mail handed to SendGrid, through what `serve` runs: issueAndSendInvoices, the delivery worker
// (its e-mail queue and places), the real invoice e-mail handler rendering each PDF on the worker
// pool, and the real SendGrid mailer against a loopback stand-in that answers after
// BENCH_MAIL_LATENCY_MS (150 ms). Prints e-mails/s, the time to the last one, PDFs attached and peak
// RSS. PostgreSQL from DATABASE_URL, else an in-memory PGlite. Never fails on timing.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { cliCtx } from "../src/cli/ctx.ts";
import type { ServiceDeps } from "../src/context.ts";
import { contextFor } from "../src/context.ts";
import { type Database, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { clients, members, workspaces } from "../src/db/schema/index.ts";
import { createSendgridMailer } from "../src/delivery/email/sendgrid-mailer.ts";
import { byPayloadType, enqueueDeliveries, startDeliveryWorker } from "../src/delivery/index.ts";
import { startQueue } from "../src/delivery/queue.ts";
import { createInvoiceDraft } from "../src/invoicing/create-invoice-draft.ts";
import { issueAndSendInvoices } from "../src/invoicing/issue-and-send-invoices.ts";
import { sendInvoiceEmailHandler } from "../src/invoicing/jobs/send-invoice-email.ts";
import { INVOICE_EMAIL_PAYLOAD } from "../src/invoicing/repo.ts";
import { createPdfRenderPool } from "../src/pdf/render-pool.ts";
import { runWithServeFlags } from "./serve-node-flags.ts";

// What serve does, with its heap bound: the peak RSS is the server's.
runWithServeFlags();

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000);
const CLIENTS = 50;
const MAIL_LATENCY_MS = Number(process.env.BENCH_MAIL_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.COBRO_DELIVERY_CONCURRENCY ?? 8);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 600);
const logger = pino({ level: "silent" });

// The SendGrid stand-in: records each e-mail by delivery id with its attachments.
const received = new Map<string, { count: number; pdfs: number }>();
let lastMailAt = 0;
const server = createServer(async (req, res) => {
  let body = "";
  for await (const chunk of req) body += chunk;
  await new Promise((resolve) => setTimeout(resolve, MAIL_LATENCY_MS));
  const mail = JSON.parse(body) as {
    custom_args?: { delivery_id?: string };
    attachments?: { type?: string; content?: string }[];
  };
  const id = String(mail.custom_args?.delivery_id);
  const pdfs = (mail.attachments ?? []).filter(
    (a) =>
      a.type === "application/pdf" &&
      Buffer.from(a.content ?? "", "base64")
        .subarray(0, 5)
        .toString() === "%PDF-",
  ).length;
  received.set(id, { count: (received.get(id)?.count ?? 0) + 1, pdfs });
  lastMailAt = Date.now();
  res.writeHead(202, { "x-message-id": `sg-${received.size}` }).end();
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const sendgridUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const url = process.env.DATABASE_URL;
const database: Database = url ? openPostgres(url, { max: 8 }) : await openMemoryPglite();
await runMigrations(database);
const queue = await startQueue(database, logger, { supervise: false });
const deps: ServiceDeps = {
  db: database.db,
  now: () => new Date(),
  logger,
  enqueue: (ids) => enqueueDeliveries(database.db, queue, ids),
};
const [workspace] = await database.db
  .insert(workspaces)
  .values({
    name: `Bench e-mails ${Date.now()}`,
    timeZone: "Europe/Madrid",
    baseCurrency: "EUR",
    locale: "es",
    seller: {
      legalName: "Estudio Norte SL",
      vatId: "ESB12345678",
      address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
      email: "facturas@estudio-norte.example",
      iban: "ES9121000418450200051332",
    },
  })
  .returning();
if (!workspace) throw new Error("no workspace");
const clientRows = await database.db
  .insert(clients)
  .values(
    Array.from({ length: CLIENTS }, (_, i) => ({
      workspaceId: workspace.id,
      externalId: `MAIL-${i + 1}`,
      name: `Cliente ${i + 1} SL`,
      profile: "business" as const,
      emails: [`ap-${i + 1}@client.example`],
      language: "es" as const,
      currency: "EUR",
      paymentTermsDays: 30,
      country: "ES",
      taxId: "ESB87654321",
      address: { line1: `Calle ${i + 1}`, postcode: "08001", city: "Barcelona", country: "ES" },
    })),
  )
  .returning();
const drafts: string[] = [];
for (let i = 0; i < INVOICES; i++) {
  const draft = await createInvoiceDraft(cliCtx(deps, workspace.id), {
    clientId: clientRows[i % CLIENTS]!.id,
    lines: [
      { description: "Desarrollo — sprint", quantityMilli: 5000, unitCode: "DAY", unitPriceMinor: 60_000 },
    ],
    servicePeriodStart: "2026-11-01",
    servicePeriodEnd: "2026-11-20",
  });
  drafts.push(draft.invoice.id);
}

const renderPdf = createPdfRenderPool();
await renderPdf.ready();
const mailer = createSendgridMailer({ apiKey: "SG.bench", apiUrl: sendgridUrl });
await startDeliveryWorker(
  queue,
  database.db,
  {
    email: byPayloadType({
      [INVOICE_EMAIL_PAYLOAD]: sendInvoiceEmailHandler({
        ...deps,
        renderPdf,
        mailer,
        publicUrl: "https://cobro.example",
        mailFrom: "facturas@estudio-norte.example",
      }),
    }),
  },
  logger,
  { concurrency: CONCURRENCY },
);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
console.log(`Issue & send all: ${INVOICES} invoices, SendGrid stand-in at ${MAIL_LATENCY_MS} ms a call…`);
const [biller] = await database.db
  .insert(members)
  .values({ workspaceId: workspace.id, name: "Bench billing", slackUserId: "UBENCH", roles: ["billing"] })
  .returning({ id: members.id });
if (!biller) throw new Error("no member");
const clicked = Date.now();
const outcomes = await issueAndSendInvoices(
  contextFor(deps, workspace.id, {
    kind: "member",
    memberId: biller.id,
    slackUserId: "UBENCH",
    roles: ["billing"],
  }),
  {
    invoiceIds: drafts,
  },
);
const issuedAt = Date.now();
const refused = outcomes.filter((o) => !o.ok).length;
while (received.size < INVOICES - refused && Date.now() - clicked < TIMEOUT_S * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
clearInterval(sampler);
const seconds = ((lastMailAt || Date.now()) - clicked) / 1000;
const withPdf = [...received.values()].filter((r) => r.pdfs > 0).length;
const duplicates = [...received.values()].filter((r) => r.count > 1).length;
console.log(
  [
    `database                 ${database.kind}, COBRO_DELIVERY_CONCURRENCY=${CONCURRENCY}`,
    `issued and claimed in    ${((issuedAt - clicked) / 1000).toFixed(1)} s (${refused} refused)`,
    `e-mails handed over      ${received.size} of ${INVOICES}, the last ${seconds.toFixed(1)} s after the click`,
    `e-mails per second       ${(received.size / seconds).toFixed(1)}`,
    `with the PDF attached    ${withPdf}`,
    `duplicates               ${duplicates}`,
    `peak RSS                 ${Math.round(peakRss / 1024 / 1024)} MB`,
  ].join("\n"),
);
await queue.stop();
await renderPdf.close();
server.close();
await database.close();
process.exit(0);
