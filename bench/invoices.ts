// `npm run bench:invoices`: issue, render and queue 1,000 invoices end to end for 50 clients in
// fr/es/en, the way "Issue & send all" does it: issueAndSendInvoices (batches of 100: numbers,
// frozen totals, notices and e-mail claims in one transaction each, deliveries handed to pg-boss),
// then the PDFs of the batch as the e-mail jobs of `serve` render them (renderInvoiceDocuments, on
// the worker pool), overlapping the next batch. PostgreSQL from DATABASE_URL, else an in-memory PGlite. Prints figures; never fails on timing.
import { availableParallelism } from "node:os";
import { pino } from "pino";
import { cliCtx } from "../src/cli/ctx.ts";
import type { ServiceDeps } from "../src/context.ts";
import { contextFor } from "../src/context.ts";
import { type Database, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { clients, exchangeRates, members, workspaces } from "../src/db/schema/index.ts";
import { enqueueDeliveries } from "../src/delivery/index.ts";
import { startQueue } from "../src/delivery/queue.ts";
import { createInvoiceDraft, type DraftLineInput } from "../src/invoicing/create-invoice-draft.ts";
import { issueAndSendInvoices } from "../src/invoicing/issue-and-send-invoices.ts";
import { renderInvoiceDocuments } from "../src/invoicing/render-invoice-documents.ts";
import { modelOf, renderInvoicePdf } from "../src/pdf/render-invoice.ts";
import { createPdfRenderPool } from "../src/pdf/render-pool.ts";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000);
// Issued and rendered before the clock starts, like the traffic a running server has already
// served: the JIT has compiled pdfkit and the issue path in every thread (a cold worker renders its
// first dozens of PDFs several times slower). Not counted anywhere.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const BATCH = 100;
const WORKERS = Number(process.env.BENCH_PDF_WORKERS ?? availableParallelism());
const NOW = new Date("2026-11-23T10:00:00Z");

const url = process.env.DATABASE_URL;
const database: Database = url ? openPostgres(url, { max: 8 }) : await openMemoryPglite();
console.log(url ? "database: PostgreSQL (DATABASE_URL)" : "database: in-memory PGlite (no DATABASE_URL)");
await runMigrations(database);
const logger = pino({ level: "silent" });
const queue = await startQueue(database, logger, { supervise: false });
const deps: ServiceDeps = {
  db: database.db,
  now: () => NOW,
  logger,
  enqueue: (ids) => enqueueDeliveries(database.db, queue, ids),
};

// Small deterministic PRNG (mulberry32), as in generate-data.ts.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const [workspace] = await database.db
  .insert(workspaces)
  .values({
    name: `Bench invoices ${Date.now()}`,
    timeZone: "Europe/Paris",
    baseCurrency: "EUR",
    locale: "fr",
    billingChannelId: "CBILLING",
    seller: {
      legalName: "Atelier Durand SAS",
      tradeName: "Atelier Durand",
      legalForm: "SAS",
      shareCapital: "10 000 €",
      rcs: "RCS Paris 123 456 789",
      siren: "123456789",
      vatId: "FR32123456789",
      address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
      email: "facturation@atelier-durand.example",
      iban: "FR7630006000011234567890189",
      bic: "AGRIFRPP",
      paymentLink: "https://pay.example/atelier-durand",
    },
  })
  .returning();
if (!workspace) throw new Error("no workspace");
const workspaceId = workspace.id;
const [biller] = await database.db
  .insert(members)
  .values({ workspaceId, name: "Bench billing", slackUserId: "UBENCH", roles: ["billing"] })
  .returning({ id: members.id });
if (!biller) throw new Error("no member");
for (const [currency, rate] of [
  ["USD", "0.9213"],
  ["GBP", "1.1702"],
] as const) {
  await database.db
    .insert(exchangeRates)
    .values({ workspaceId, currency, baseCurrency: "EUR", rate, onDate: "2026-11-01" });
}

type Kind = { country: string; language: "fr" | "es" | "en"; currency: string; city: string; taxId?: string };
const KINDS: Kind[] = [
  { country: "FR", language: "fr", currency: "EUR", city: "Lyon", taxId: "FR40303265045" },
  { country: "FR", language: "fr", currency: "EUR", city: "Nantes", taxId: "FR40303265045" },
  { country: "ES", language: "es", currency: "EUR", city: "Madrid", taxId: "ESB12345678" },
  { country: "ES", language: "es", currency: "EUR", city: "Barcelona", taxId: "ESB87654321" },
  { country: "DE", language: "en", currency: "EUR", city: "Berlin", taxId: "DE123456789" },
  { country: "US", language: "en", currency: "USD", city: "Boston", taxId: "EIN 12-3456789" },
  { country: "GB", language: "en", currency: "GBP", city: "London", taxId: "GB123456789" },
];
const clientRows = await database.db
  .insert(clients)
  .values(
    Array.from({ length: CLIENTS }, (_, i) => {
      const kind = KINDS[i % KINDS.length] as Kind;
      return {
        workspaceId,
        externalId: `BENCH-${i + 1}`,
        name: `Client ${kind.country} ${i + 1}`,
        profile: "business" as const,
        emails: [`ap-${i + 1}@client.example`],
        language: kind.language,
        currency: kind.currency,
        paymentTermsDays: pick([30, 45, 60]),
        country: kind.country,
        ...(kind.taxId ? { taxId: kind.taxId } : {}),
        address: { line1: `${i + 1} Main Street`, postcode: "10001", city: kind.city, country: kind.country },
      };
    }),
  )
  .returning();

const DESCRIPTIONS = {
  fr: ["Développement — sprint", "Atelier de cadrage", "Maintenance applicative", "Audit de sécurité"],
  es: ["Desarrollo — sprint", "Taller de definición", "Mantenimiento", "Auditoría de seguridad"],
  en: ["Development — sprint", "Discovery workshop", "Application maintenance", "Security audit"],
} as const;

console.log(`creating ${CLIENTS} clients' ${WARMUP} + ${INVOICES} drafts…`);
let start = performance.now();
const drafts: string[] = [];
for (let i = 0; i < WARMUP + INVOICES; i++) {
  const client = clientRows[i % clientRows.length];
  if (!client) throw new Error("no client");
  const lines: DraftLineInput[] = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ({
    description: pick(DESCRIPTIONS[client.language]),
    quantityMilli: pick([1000, 2500, 5000, 12_000]),
    unitCode: "DAY",
    unitPriceMinor: pick([45_000, 60_000, 75_000, 90_000]),
  }));
  const draft = await createInvoiceDraft(cliCtx(deps, workspaceId), {
    clientId: client.id,
    lines,
    servicePeriodStart: "2026-11-01",
    servicePeriodEnd: "2026-11-20",
  });
  drafts.push(draft.invoice.id);
}
const draftSeconds = (performance.now() - start) / 1000;
console.log(
  `drafts: ${WARMUP + INVOICES} in ${draftSeconds.toFixed(1)} s (${((WARMUP + INVOICES) / draftSeconds).toFixed(0)}/s)`,
);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const phase = { issueAndClaim: 0, pdf: 0 };
const pdfMs: number[] = [];
let pdfBytes = 0;
const sampled: Parameters<typeof modelOf>[0][] = [];
const billing = {
  kind: "member" as const,
  memberId: biller.id,
  slackUserId: "UBENCH",
  roles: ["billing" as const],
};
const pool = createPdfRenderPool(WORKERS);
const timedPool = async (input: Parameters<typeof pool>[0]) => {
  const t = performance.now();
  const pdf = await pool(input);
  pdfMs.push(performance.now() - t);
  pdfBytes += pdf.length;
  if (sampled.length < 200) sampled.push(input);
  return pdf;
};
// Workers load pdfkit and the fonts once, as `serve` does at start: not part of any invoice's time.
await pool.ready();
const warmup = drafts.splice(0, WARMUP);
for (let i = 0; i < warmup.length; i += BATCH) {
  const batch = warmup.slice(i, i + BATCH);
  await issueAndSendInvoices(contextFor(deps, workspaceId, billing), { invoiceIds: batch });
  await renderInvoiceDocuments({ ...cliCtx(deps, workspaceId), renderPdf: pool }, { invoiceIds: batch });
}

console.log(
  `issuing, rendering and queueing ${INVOICES} invoices in batches of ${BATCH}, PDFs on ${WORKERS} worker thread(s)…`,
);
start = performance.now();
const cpuStart = process.cpuUsage();
const eluStart = performance.eventLoopUtilization();
let rendering = Promise.resolve();
for (let i = 0; i < drafts.length; i += BATCH) {
  const t = performance.now();
  const outcomes = await issueAndSendInvoices(contextFor(deps, workspaceId, billing), {
    invoiceIds: drafts.slice(i, i + BATCH),
  });
  phase.issueAndClaim += performance.now() - t;
  const refused = outcomes.find((o) => !o.ok);
  if (refused && !refused.ok) throw new Error(`refused: ${refused.error.userMessage}`);
  // The PDFs of this batch render while the next batch is issued.
  const batchIds = outcomes.map((o) => o.invoiceId);
  const previous = rendering;
  rendering = previous.then(async () => {
    const t2 = performance.now();
    await renderInvoiceDocuments(
      { ...cliCtx(deps, workspaceId), renderPdf: timedPool },
      { invoiceIds: batchIds },
    );
    phase.pdf += performance.now() - t2;
  });
}
await rendering;
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const mainThread = performance.eventLoopUtilization(eluStart);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

// pdfkit alone on the same models, one at a time: what the PDF costs without the database reads.
const alone: number[] = [];
for (const model of sampled.map(modelOf)) {
  const t = performance.now();
  await renderInvoicePdf(model);
  alone.push(performance.now() - t);
}

const [counts] = await database.query<{ issued: string; numbers: string; emails: string; jobs: string }>(
  `select (select count(*) from invoices where workspace_id = $1 and status <> 'draft') as issued,
          (select count(distinct number) from invoices where workspace_id = $1 and number is not null) as numbers,
          (select count(*) from deliveries where workspace_id = $1 and kind = 'email') as emails,
          (select count(*) from pgboss.job where name = 'delivery') as jobs`,
  [workspaceId],
);
const pct = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;
const perInvoice = (total: number) => ms(total / INVOICES);
console.log(
  `end to end: ${INVOICES} invoices in ${seconds.toFixed(2)} s = ${(INVOICES / seconds).toFixed(0)} invoices/s (target ≥ 250)`,
);
console.log(
  `  wall time per invoice: issue + claim + queue ${perInvoice(phase.issueAndClaim)}, PDF ${perInvoice(phase.pdf)} (overlapping)`,
);
console.log(
  `  this process: ${((cpu.user + cpu.system) / 1000 / seconds / 10).toFixed(0)} % of a core (${((cpu.user + cpu.system) / 1000 / INVOICES).toFixed(2)} ms CPU per invoice)`,
);
console.log(
  `  main thread (issue, claims, queue, reads, hand-offs): busy ${ms(mainThread.active / INVOICES)} per invoice; the rest is the PDF workers`,
);
console.log(
  `PDF (one invoice on a worker, queueing included) p50 ${ms(pct(pdfMs, 0.5))}  p95 ${ms(pct(pdfMs, 0.95))}  avg ${(pdfBytes / INVOICES / 1024).toFixed(1)} kB`,
);
console.log(
  `PDF (pdfkit alone, ${alone.length} models) p50 ${ms(pct(alone, 0.5))}  p95 ${ms(pct(alone, 0.95))}`,
);
console.log(
  `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`,
);
console.log(
  `check: ${counts?.issued} issued, ${counts?.numbers} distinct numbers, ${counts?.emails} e-mails claimed, ${counts?.jobs} delivery jobs in the queue (whole database)`,
);
await queue.stop();
await database.close();
