// Time and peak memory of `cobro import` for every kind, from a CSV file on disk, on embedded
// PGlite (a data directory, as `cobro` uses it) and, with BENCH_DATABASE_URL, on PostgreSQL.
//   npm run bench:import                                   # 10,000 and 100,000 rows, PGlite
//   BENCH_ROWS=10000 BENCH_DATABASE_URL=postgres://… npm run bench:import
// Each size gets a new workspace; kinds go in dependency order, row i naming row i of the kind before.
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openEmbedded, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { workspaces } from "../src/db/schema/index.ts";
import { importCsv } from "../src/imports/import-csv.ts";
import { importTimeEntries } from "../src/imports/import-time-entries.ts";
import { serviceDeps, testCtx } from "../test/helpers/deps.ts";
import { csvChunks, type FileKind } from "../test/helpers/import-files.ts";

const SIZES = (process.env.BENCH_ROWS ?? "10000,100000").split(",").map(Number);
const KINDS: FileKind[] = ["clients", "projects", "milestones", "invoices", "payments", "time-entries"];
const url = process.env.BENCH_DATABASE_URL;
const only = process.env.BENCH_BACKEND; // "pglite" | "postgres"

async function writeCsv(dir: string, kind: FileKind, rows: number): Promise<string> {
  const path = join(dir, `${kind}-${rows}.csv`);
  let text = "";
  for await (const chunk of csvChunks(kind, rows)) text += chunk;
  await writeFile(path, text);
  return path;
}

/** Samples RSS while `run` runs: the peak, and its rise over the RSS at the start. */
async function measure<T>(run: () => Promise<T>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const result = await run();
    return { result, seconds: (performance.now() - started) / 1000, peak, rise: peak - before };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1_000_000)} MB`;

async function bench(label: string, database: Database, dir: string) {
  await runMigrations(database);
  for (const rows of SIZES) {
    const [workspace] = await database.db
      .insert(workspaces)
      .values({ name: `import bench ${rows} ${new Date().toISOString()}` })
      .returning({ id: workspaces.id });
    for (const kind of KINDS) {
      const path = await writeCsv(dir, kind, rows);
      const deps = serviceDeps(database.db, () => new Date());
      const csv = createReadStream(path);
      const m = await measure(
        async (): Promise<{ errors: unknown[]; created: number }> =>
          kind === "time-entries"
            ? importTimeEntries(testCtx(deps, workspace!.id), { csv })
            : importCsv(testCtx(deps, workspace!.id), { kind, csv }),
      );
      const { errors, created } = m.result;
      if (errors.length > 0 || created !== rows) {
        throw new Error(
          `${kind}: ${created} created, ${errors.length} errors (first: ${JSON.stringify(errors[0])})`,
        );
      }
      console.log(
        [
          label,
          kind.padEnd(12),
          String(rows).padStart(7),
          `${m.seconds.toFixed(1).padStart(6)} s`,
          `${String(Math.round(rows / m.seconds)).padStart(6)} rows/s`,
          `file ${(statSync(path).size / 1_000_000).toFixed(1)} MB`,
          `peak RSS ${mb(m.peak)} (+${mb(m.rise)})`,
        ].join("  "),
      );
      rmSync(path);
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), "cobro-bench-import-"));
try {
  if (only !== "postgres") {
    const database = await openEmbedded(join(dir, "pglite"));
    try {
      await bench("pglite  ", database, dir);
    } finally {
      await database.close();
    }
  }
  if (url && only !== "pglite") {
    const database = openPostgres(url, { max: 2 });
    try {
      await bench("postgres", database, dir);
    } finally {
      await database.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
