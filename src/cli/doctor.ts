import { openDatabase } from "../db/client.ts";
import { appliedMigrationCount, expectedMigrations } from "../db/migrate.ts";
import { workspaces } from "../db/schema/index.ts";
import { isDomainError } from "../domain/errors.ts";
import { describeIntegrations } from "./integrations.ts";
import { type CliCommand, EXIT } from "./types.ts";

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
          const rows = await database.db
            .select({ name: workspaces.name, team: workspaces.slackTeamId, id: workspaces.id })
            .from(workspaces);
          out(
            `workspaces: ${rows.length === 0 ? "none yet" : rows.map((w) => `${w.name} (${w.team ?? "no Slack team"}, ${w.id})`).join("; ")}`,
          );
        }
      } finally {
        await database.close();
      }
    }
    for (const line of describeIntegrations(config)) out(line);
    return healthy ? EXIT.ok : EXIT.failed;
  },
};
