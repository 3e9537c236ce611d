// `npm run bench:verifactu`: 10,000 Spanish invoices issued the real way (drafts, then issueInvoices
// in batches: numbers, totals and chained VERI*FACTU records in one transaction each), their
// records sent while issuing goes on, through the loopback AEAT stand-in of the tests (mutual TLS
// with a test certificate, every request checked against the AEAT's XSDs by xmllint). The stand-in
// answers TiempoEsperaEnvio = BENCH_WAIT_SECONDS (the AEAT says 60; smaller keeps the run short).
// Prints records per second, requests made and time spent waiting. Never fails on timing. The XSDs
// are read from ../shared/reference/verifactu-xsd beside the checkout, or VERIFACTU_XSD.
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { cliCtx } from "../src/cli/ctx.ts";
import { contextFor, type ServiceDeps } from "../src/context.ts";
import { type Database, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { clients, workspaces } from "../src/db/schema/index.ts";
import { systemActor } from "../src/domain/permissions.ts";
import { createInvoiceDraft } from "../src/invoicing/create-invoice-draft.ts";
import { issueInvoices } from "../src/invoicing/issue-invoices.ts";
import { createAeatClient } from "../src/invoicing/verifactu/aeat-client.ts";
import {
  sendVerifactuRecords,
  type VerifactuSendDeps,
} from "../src/invoicing/verifactu/send-verifactu-records.ts";
import { startAeatStandIn } from "../test/helpers/aeat-stand-in.ts";
import { makeTestPki } from "../test/helpers/test-pki.ts";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const ISSUE_BATCH = Number(process.env.BENCH_ISSUE_BATCH ?? 100);
const WAIT_SECONDS = Number(process.env.BENCH_WAIT_SECONDS ?? 5);
process.env.VERIFACTU_XSD ??= new URL(
  "../../shared/reference/verifactu-xsd/SuministroLR.xsd",
  import.meta.url,
).pathname;

const url = process.env.DATABASE_URL;
const database: Database = url ? openPostgres(url, { max: 8 }) : await openMemoryPglite();
console.log(url ? "database: PostgreSQL (DATABASE_URL)" : "database: in-memory PGlite (no DATABASE_URL)");
await runMigrations(database);
const logger = pino({ level: "silent" });
const pki = makeTestPki();
const aeat = await startAeatStandIn(pki);
aeat.always({ kind: "accept", waitSeconds: WAIT_SECONDS });

const deps: ServiceDeps = { db: database.db, now: () => new Date(), logger, enqueue: async () => {} };
const post = createAeatClient({
  url: aeat.url,
  credentials: {
    format: "pkcs12",
    pfx: readFileSync(pki.clientP12File).toString("base64"),
    passphrase: pki.p12Password,
  },
  ca: pki.caPem,
});
const sendDeps: VerifactuSendDeps = {
  ...deps,
  aeatFor: async () => post,
  system: { version: "bench" },
  instanceId: "bench",
};

const [workspace] = await database.db
  .insert(workspaces)
  .values({
    name: `Bench VERI*FACTU ${Date.now()}`,
    timeZone: "Europe/Madrid",
    baseCurrency: "EUR",
    locale: "es",
    seller: {
      legalName: "Consultora Bench SL",
      address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
      vatId: "ESB12345678",
      nif: "B12345678",
      iban: "ES9121000418450200051332",
    },
  })
  .returning();
if (!workspace) throw new Error("no workspace");
const clientRows = await database.db
  .insert(clients)
  .values(
    Array.from({ length: 20 }, (_, i) => ({
      workspaceId: workspace.id,
      externalId: `ES-${i + 1}`,
      name: `Cliente ${i + 1} SL`,
      profile: "business" as const,
      emails: [`ap-${i + 1}@cliente.example`],
      language: "es" as const,
      currency: "EUR",
      paymentTermsDays: 30,
      country: "ES",
      taxId: i % 2 ? "ESB87654321" : "ESA58818501",
      address: { line1: `Calle ${i + 1}`, postcode: "08001", city: "Barcelona", country: "ES" },
    })),
  )
  .returning();

let issueMs = 0;
let sendMs = 0;
let waitMs = 0;
let sent = 0;
/** Sends what the AEAT's pacing allows now; with `drain`, sleeps out the wait until all are sent. */
async function send(drain: boolean) {
  for (;;) {
    const started = performance.now();
    const outcome = await sendVerifactuRecords(
      { ...sendDeps, ...contextFor(sendDeps, workspace!.id, systemActor("verifactu-send")) },
      { issuerNif: "B12345678" },
    );
    if (outcome.status === "sent") {
      sendMs += performance.now() - started;
      sent += outcome.records;
      continue;
    }
    if (outcome.status === "waiting" && drain) {
      const ms = Math.max(0, outcome.until.getTime() - Date.now());
      waitMs += ms;
      await new Promise((resolve) => setTimeout(resolve, ms));
      continue;
    }
    if (outcome.status === "failed") throw new Error(outcome.error);
    return;
  }
}

console.log(`issuing ${INVOICES} Spanish invoices in batches of ${ISSUE_BATCH}, sending as the AEAT allows…`);
const start = performance.now();
for (let done = 0; done < INVOICES; done += ISSUE_BATCH) {
  const began = performance.now();
  const ids: string[] = [];
  for (let i = done; i < Math.min(INVOICES, done + ISSUE_BATCH); i++) {
    const client = clientRows[i % clientRows.length]!;
    const { invoice } = await createInvoiceDraft(cliCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Consultoría — sprint", quantityMilli: 5000, unitPriceMinor: 60_000 }],
    });
    ids.push(invoice.id);
  }
  const report = await issueInvoices(cliCtx(deps, workspace.id), { invoiceIds: ids });
  if (report.some((r) => !r.ok)) throw new Error(`not issued: ${JSON.stringify(report.find((r) => !r.ok))}`);
  issueMs += performance.now() - began;
  await send(false);
}
await send(true);
const totalMs = performance.now() - start;

const requests = aeat.requests.filter((r) => r.answeredWith === "answer");
const sizes = requests.map((r) => r.records.length);
console.log("");
console.log(
  `invoices issued (drafts + issue + records):  ${INVOICES} in ${(issueMs / 1000).toFixed(1)} s (${Math.round(INVOICES / (issueMs / 1000))}/s)`,
);
console.log(`records sent and accepted:                   ${sent} (stand-in holds ${aeat.held.size})`);
console.log(
  `requests made:                               ${requests.length} (records per request: min ${Math.min(...sizes)}, max ${Math.max(...sizes)})`,
);
console.log(
  `time in requests (build, TLS, XSD, store):   ${(sendMs / 1000).toFixed(1)} s → ${Math.round(sent / (sendMs / 1000))} records/s`,
);
console.log(
  `records held back by TiempoEsperaEnvio (${WAIT_SECONDS} s): ${(waitMs / 1000).toFixed(1)} s in all (issuing went on meanwhile)`,
);
console.log(
  `end to end:                                  ${(totalMs / 1000).toFixed(1)} s → ${Math.round(sent / (totalMs / 1000))} records/s`,
);
if (aeat.schemaComplaints.length > 0) console.log(`schema complaints: ${aeat.schemaComplaints[0]}`);
await aeat.close();
await database.close();
