import { openDatabase } from "../db/client.ts";
import { appliedMigrationCount, expectedMigrations } from "../db/migrate.ts";
import { describeDeliveryBacklog, loadDeliveryBacklog } from "../delivery/index.ts";
import { isDomainError } from "../domain/errors.ts";
import { listWorkspaces } from "../workspace/index.ts";
import { describeVerifactu } from "./doctor-verifactu.ts";
import { describeVerifactuScopes } from "./doctor-verifactu-scope.ts";
import { describeIntegrations } from "./integrations.ts";
import { type CliCommand, EXIT } from "./types.ts";

type WorkspaceBinding = { name: string; team: string | null; id: string };

/** The workspaces with their Slack teams, and a warning for each one no Slack request can reach. */
export function describeWorkspaces(rows: WorkspaceBinding[]): string[] {
  const lines = [`workspaces: ${rows.length === 0 ? "none yet" : rows.length}`];
  for (const w of rows)
    lines.push(`  ${w.name}: ${w.team ? `Slack team ${w.team}` : "no Slack team"} (${w.id})`);
  for (const w of rows.filter((row) => !row.team)) {
    lines.push(
      `warning: workspace "${w.name}" is bound to no Slack team, so Slack does not see its data. ${
        rows.length === 1
          ? "It is bound when Cobro starts with SLACK_BOT_TOKEN or is installed to Slack."
          : `Bind it with \`cobro workspace link "${w.name}" T…\` (the team id is in \`cobro doctor\` once Slack has called).`
      }`,
    );
  }
  return lines;
}

export const doctorCommand: CliCommand = {
  summary: "check configuration, database, migrations and integrations",
  usage: "doctor",
  run: async ({ config, out }) => {
    let healthy = true;
    out("configuration: ok");
    const database = await openDatabase(config).catch((error: unknown) => {
      healthy = false;
      out(
        `database: cannot open: ${isDomainError(error) ? error.userMessage : error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    });
    if (database) {
      try {
        out(
          `database: ${database.kind === "pglite" ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)"}`,
        );
        const applied = await appliedMigrationCount(database);
        const expected = expectedMigrations().length;
        const upToDate = applied >= expected;
        healthy &&= upToDate;
        out(`migrations: ${applied}/${expected} applied${upToDate ? "" : " (run `cobro migrate`)"}`);
        if (upToDate) {
          const rows = await listWorkspaces(database.db);
          for (const line of describeWorkspaces(
            rows.map((w) => ({ name: w.name, team: w.slackTeamId, id: w.id })),
          ))
            out(line);
          for (const line of describeDeliveryBacklog(await loadDeliveryBacklog(database.db), new Date()))
            out(`deliveries: ${line}`);
          for (const line of await describeVerifactuScopes(database.db)) out(line);
          for (const line of await describeVerifactu(database.db, new Date(), config.verifactuAeat))
            out(line);
        }
      } finally {
        await database.close();
      }
    }
    for (const line of describeIntegrations(config)) out(line);
    return healthy ? EXIT.ok : EXIT.failed;
  },
};
