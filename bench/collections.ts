// `node --import tsx bench/collections.ts`: the daily overdue scan on BENCH_INVOICES invoices
// (default 1,000,000) of which BENCH_OPEN are open (100,000) and BENCH_OVERDUE (10,000) fall due
// the day before the scan. Uses DATABASE_URL (a throwaway PostgreSQL) or else an in-memory PGlite.
// Prints the scan time, deliveries claimed per second, the Slack messages produced and how long
// they take at Slack's pace (about one a second per channel). Never fails on timing.
import { pino } from "pino";
import { scanOverdue } from "../src/collections/scan-overdue.ts";
import { openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const OPEN = Number(process.env.BENCH_OPEN ?? 100_000);
const OVERDUE = Number(process.env.BENCH_OVERDUE ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2_000);
const PROJECTS_PER_CLIENT = 2;
const MEMBERS = 50;
const TODAY = "2026-11-23";
const SLACK_INTERVAL_S = 1.1;

const url = process.env.DATABASE_URL;
const database = url ? openPostgres(url, { max: 4 }) : await openMemoryPglite();
await runMigrations(database);
const q = database.query;

const started = performance.now();
const [workspace] = await q<{ id: string }>(
  `insert into workspaces (name, time_zone, collections_channel_id, billing_channel_id)
   values ('Bench ' || now()::text, 'Europe/Madrid', 'CCOLLECT', 'CBILLING') returning id`,
);
const ws = workspace!.id;
await q(
  `insert into members (workspace_id, name, email, slack_user_id, roles)
   select $1, 'Member ' || g, 'm' || g || '@bench.example', 'UBENCH' || g, '{collector,pm}'
     from generate_series(1, ${MEMBERS}) g`,
  [ws],
);
await q(
  `insert into clients (workspace_id, external_id, name, profile, emails, currency, country, collector_member_id)
   select $1, 'C' || g, 'Client ' || g, (array['business','public','individual'])[1 + g % 3], '{ap@client.example}', 'EUR', 'ES',
          (select id from members where workspace_id = $1 and slack_user_id = 'UBENCH' || (1 + g % ${MEMBERS / 2}))
     from generate_series(1, ${CLIENTS}) g`,
  [ws],
);
await q(
  `with m as (select id, row_number() over (order by slack_user_id) - 1 as n from members where workspace_id = $1),
        c as (select id, external_id, row_number() over (order by external_id) as n from clients where workspace_id = $1)
   insert into projects (workspace_id, client_id, code, name, billing_mode, currency, slack_channel_id, pm_member_id)
   select $1, c.id, c.external_id || '-' || p, 'Project ' || c.external_id || '-' || p, 'fixed', 'EUR',
          'CPROJ' || c.external_id || '-' || p, m.id
     from c cross join generate_series(1, ${PROJECTS_PER_CLIENT}) p
     join m on m.n = ${MEMBERS / 2} + (c.n * ${PROJECTS_PER_CLIENT} + p) % ${MEMBERS / 2}`,
  [ws],
);
const projectRows = await q<{ id: string; client_id: string }>(
  `select id, client_id from projects where workspace_id = $1 order by code`,
  [ws],
);
// Invoices: the first OVERDUE fall due yesterday, the next (OPEN − OVERDUE) later, the rest are paid.
await q(
  `insert into invoices (workspace_id, kind, status, number, client_id, project_id, currency, issue_date, due_date,
                         subtotal_minor, vat_minor, total_minor, open_minor, source)
   select $1, 'invoice',
          case when g <= ${OPEN} then 'issued' else 'paid' end,
          'B-' || g, p.client_id, p.id, 'EUR', date '2026-09-01', 
          case when g <= ${OVERDUE} then date '${TODAY}' - 1 else date '${TODAY}' + 1 + (g % 60) end,
          100000, 21000, 121000,
          case when g <= ${OPEN} then 121000 else 0 end,
          'import'
     from generate_series(1, ${INVOICES}) g
     join (select row_number() over (order by code) - 1 as n, id, client_id
             from projects where workspace_id = $1) p on p.n = g % ${projectRows.length}`,
  [ws],
);
if (database.kind === "postgres") await database.exec("vacuum analyze");
console.log(
  `${database.kind}: loaded ${INVOICES} invoices (${OPEN} open, ${OVERDUE} due ${TODAY} − 1), ${CLIENTS} clients, ${projectRows.length} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const enqueued: string[] = [];
const deps = {
  db: database.db,
  now: () => new Date(`${TODAY}T07:00:00Z`),
  logger: pino({ level: "silent" }),
  enqueue: async (ids: string[]) => {
    enqueued.push(...ids);
  },
};
const t0 = performance.now();
const result = await scanOverdue(deps, { workspaceId: ws, claimRun: true });
const seconds = (performance.now() - t0) / 1000;
const again0 = performance.now();
const again = await scanOverdue(deps, { workspaceId: ws });
const againSeconds = (performance.now() - again0) / 1000;

const digests = result.digests.length;
const threadPosts = result.overdue;
// Digests go to different channels and DMs, paced per channel, so they go out in parallel;
// the per-invoice thread notes share the channel where invoices are posted.
const digestMinutes = (SLACK_INTERVAL_S * 1) / 60;
const threadHours = (threadPosts * SLACK_INTERVAL_S) / 3600;
console.log(`scan: ${result.overdue} invoices became overdue in ${seconds.toFixed(2)} s (target < 5 s)`);
console.log(
  `deliveries claimed: ${result.deliveriesClaimed} (${(result.deliveriesClaimed / seconds).toFixed(0)}/s), enqueued ${enqueued.length}`,
);
console.log(
  `Slack messages: ${digests} digests (one per person and channel, largest lists ${Math.max(...result.digests.map((d) => d.invoices))} invoices) + ${threadPosts} invoice-thread notes`,
);
console.log(
  `time to deliver at ~1 msg/s per channel: digests ≈ ${digestMinutes.toFixed(2)} min (all channels in parallel; ${digests} posts ≈ ${(digests / 60).toFixed(1)} min if the workspace-wide limit serialises them), thread notes ≈ ${threadHours.toFixed(1)} h in one billing channel`,
);
console.log(`second scan the same day: ${again.overdue} new overdue in ${againSeconds.toFixed(2)} s`);
await database.close();
