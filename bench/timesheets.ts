// Rolls 200,000 approved time entries into time-and-materials drafts and prints entries/s and the
// time until the digest is claimed. Needs a real PostgreSQL:
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55434/cobro_bench_ts node --import tsx bench/timesheets.ts
import { pino } from "pino";
import { cliCtx } from "../src/cli/ctx.ts";
import { openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { runBillingCycle } from "../src/timesheets/run-billing-cycle.ts";

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.error("Set BENCH_DATABASE_URL to a PostgreSQL database (it gets a new workspace each run).");
  process.exit(2);
}
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200_000);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 200);
const PEOPLE = 10;
const WEEKS = 4;
const perSheet = Math.ceil(ENTRIES / (PROJECTS * PEOPLE * WEEKS));

const database = openPostgres(url, { max: 4 });
await runMigrations(database);
const q = database.query;
const t0 = performance.now();
const [ws] = await q<{ id: string }>(
  `insert into workspaces (name, billing_channel_id, seller) values ($1, 'CBILLING',
    '{"legalName":"Bench SL","address":{"line1":"x","postcode":"28013","city":"Madrid","country":"ES"},"vatId":"ESB12345678"}')
   returning id`,
  [`bench ${new Date().toISOString()}`],
);
const workspaceId = ws!.id;
await q(
  `insert into clients (workspace_id, external_id, name, profile, currency, country, tax_id)
   select $1, 'C' || g, 'Client ' || g, 'business', 'EUR', 'ES', 'ESB0000000' || g from generate_series(1, 50) g`,
  [workspaceId],
);
await q(
  `insert into projects (workspace_id, client_id, code, name, billing_mode, currency, hourly_rate_minor)
   select $1, (select id from clients where workspace_id = $1 and external_id = 'C' || (1 + g % 50)),
          'P' || g, 'Project ' || g, 'time', 'EUR', 8000 + g
   from generate_series(1, $2::int) g`,
  [workspaceId, PROJECTS],
);
await q(
  `insert into timesheets (workspace_id, project_id, person_email, period_start, period_end, status, version)
   select $1, p.id, 'person' || u || '@bench.example', d::date, d::date + 6, 'approved', 3
   from projects p, generate_series(1, $2::int) u, generate_series('2026-11-02'::date, '2026-11-23'::date, '7 days') d
   where p.workspace_id = $1`,
  [workspaceId, PEOPLE],
);
await q(
  `insert into time_entries (workspace_id, external_id, project_id, person_email, person_name, work_date, minutes, description, timesheet_id)
   select t.workspace_id, 'bench:' || t.id || ':' || n, t.project_id, t.person_email, t.person_email,
          t.period_start + (n % 5), 15 + (n * 7) % 480, 'work', t.id
   from timesheets t, generate_series(1, $2::int) n
   where t.workspace_id = $1`,
  [workspaceId, perSheet],
);
await q("analyze time_entries; analyze timesheets");
const [{ n: total } = { n: 0 }] = await q<{ n: number }>(
  "select count(*)::int as n from time_entries where workspace_id = $1",
  [workspaceId],
);
console.log(
  `setup: ${total} approved entries in ${PROJECTS} projects, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const deps = {
  db: database.db,
  now: () => new Date("2026-12-01T08:00:00Z"),
  logger: pino({ level: "silent" }),
  enqueue: async () => {},
};
const start = performance.now();
const result = await runBillingCycle(cliCtx(deps, workspaceId), { asOf: "2026-12-01" });
const seconds = (performance.now() - start) / 1000;
console.log(
  `billing cycle: ${result.entriesBilled} entries → ${result.drafts.length} drafts in ${seconds.toFixed(2)} s ` +
    `(${Math.round(result.entriesBilled / seconds)} entries/s); digest claimed after ${seconds.toFixed(2)} s`,
);
const again = performance.now();
const second = await runBillingCycle(cliCtx(deps, workspaceId), { asOf: "2026-12-01" });
console.log(
  `second run: ${second.entriesBilled} entries billed, ${((performance.now() - again) / 1000).toFixed(2)} s`,
);
await database.close();
