// npm run bench:generate -- --invoices 1000000 --clients 10000 [--database-url URL] [--today YYYY-MM-DD]
// Without a URL (and no DATABASE_URL) it runs on an in-memory PGlite, for small N only.
import { parseArgs } from "node:util";
import { type Database, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { generateDataset } from "./generate-data.ts";

const { values } = parseArgs({
  options: {
    invoices: { type: "string" },
    clients: { type: "string" },
    "database-url": { type: "string" },
    today: { type: "string" },
    seed: { type: "string" },
  },
});
const url = values["database-url"] ?? process.env.DATABASE_URL;
const invoices = Number(values.invoices ?? (url ? 1_000_000 : 20_000));
const clients = Number(values.clients ?? Math.max(10, Math.round(invoices / 100)));
if (!Number.isSafeInteger(invoices) || invoices < 1 || !Number.isSafeInteger(clients) || clients < 1) {
  console.error("--invoices and --clients are positive whole numbers");
  process.exit(2);
}

const database: Database = url ? openPostgres(url, { max: 2 }) : await openMemoryPglite();
try {
  await runMigrations(database);
  console.log(`Generating ${invoices} invoices for ${clients} clients on ${database.kind}…`);
  const result = await generateDataset(database, {
    invoices,
    clients,
    databaseUrl: url,
    today: values.today,
    seed: values.seed ? Number(values.seed) : undefined,
    onProgress: (table, rows) => console.log(`  ${table}: ${rows.toLocaleString("en")} rows`),
  });
  const total = result.clients + result.projects + result.invoices + result.payments;
  console.log(
    [
      `workspace ${result.workspaceId} (${result.method}${result.triggersOff ? ", foreign-key triggers skipped" : ""})`,
      `  ${result.clients} clients, ${result.projects} projects, ${result.invoices} invoices (${result.openInvoices} open), ${result.payments} payments`,
      `  ${total} rows in ${result.seconds.toFixed(1)} s: ${result.rowsPerSecond.toLocaleString("en")} rows/s, ${Math.round(result.invoices / result.seconds).toLocaleString("en")} invoices/s`,
    ].join("\n"),
  );
} finally {
  await database.close();
}
