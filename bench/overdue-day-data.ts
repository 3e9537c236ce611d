// The collections data set of issue 9/17: `invoices` invoices of `clients` clients (two projects and
// their Slack channels each, 50 people), `open` of them open and `overdue` falling due the day before
// `today`; the rest paid. Loaded with INSERT … SELECT generate_series (one statement per table).
import type { Database } from "../src/db/client.ts";

export type OverdueDayOptions = {
  invoices: number;
  open: number;
  overdue: number;
  clients: number;
  /** The scan's workspace-local date (YYYY-MM-DD): `overdue` invoices fall due the day before. */
  today: string;
};

export const PROJECTS_PER_CLIENT = 2;
export const MEMBERS = 50;

export async function loadOverdueDay(
  database: Database,
  options: OverdueDayOptions,
): Promise<{ workspaceId: string; projects: number }> {
  const { invoices, open, overdue, clients, today } = options;
  const q = database.query;
  const [workspace] = await q<{ id: string }>(
    `insert into workspaces (name, time_zone, collections_channel_id, billing_channel_id)
     values ('Bench ' || now()::text, 'Europe/Madrid', 'CCOLLECT', 'CBILLING') returning id`,
  );
  const ws = String(workspace?.id);
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
       from generate_series(1, ${clients}) g`,
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
  const [projects] = await q<{ n: number }>(
    `select count(*)::int as n from projects where workspace_id = $1`,
    [ws],
  );
  const projectCount = Number(projects?.n);
  // The first `overdue` fall due the day before `today`, the next (open − overdue) later, the rest are paid.
  await q(
    `insert into invoices (workspace_id, kind, status, number, client_id, project_id, currency, issue_date, due_date,
                           subtotal_minor, vat_minor, total_minor, open_minor, source)
     select $1, 'invoice',
            case when g <= ${open} then 'issued' else 'paid' end,
            'B-' || g, p.client_id, p.id, 'EUR', date '${today}' - 90,
            case when g <= ${overdue} then date '${today}' - 1 else date '${today}' + 1 + (g % 60) end,
            100000, 21000, 121000,
            case when g <= ${open} then 121000 else 0 end,
            'import'
       from generate_series(1, ${invoices}) g
       join (select row_number() over (order by code) - 1 as n, id, client_id
               from projects where workspace_id = $1) p on p.n = g % ${projectCount}`,
    [ws],
  );
  if (database.kind === "postgres") await database.exec("vacuum analyze");
  return { workspaceId: ws, projects: projectCount };
}
