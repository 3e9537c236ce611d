import { openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { type CliCommand, EXIT } from "./types.ts";

export const migrateCommand: CliCommand = {
  summary: "apply database migrations",
  usage: "migrate",
  run: async ({ config, out }) => {
    const database = await openDatabase(config);
    try {
      const { applied, total } = await runMigrations(database);
      out(`${database.kind}: ${applied} migration(s) applied, ${total} in total, schema up to date.`);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  },
};
