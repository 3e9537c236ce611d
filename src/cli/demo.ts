import { seedDemo } from "../demo/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

export const demoCommand: CliCommand = {
  summary: "seed a demo consultancy (clients, projects, invoices in every ageing bucket)",
  usage: "demo [--force] [--workspace X]",
  run: async ({ openApp, out, err }, args) => {
    const parsed = parseArgs(args, { values: ["workspace"], booleans: ["force"] });
    if (parsed.positional.length > 0) {
      err("Usage: cobro demo [--force] [--workspace X]");
      return EXIT.usage;
    }
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const result = await seedDemo(cliCtx(app, workspace.id), { force: parsed.flags.has("force") });
    const buckets = Object.entries(result.openByBucket)
      .map(([bucket, n]) => `${bucket.replace("_", " ")}: ${n}`)
      .join(", ");
    out(
      [
        `Demo company "Norte y Loira Consultores SL" seeded into workspace "${workspace.name}":`,
        `  ${result.members} members, ${result.clients} clients (${result.currencies.join(", ")}), ${result.projects} projects, ${result.milestones} milestones`,
        `  ${result.invoices} invoices, ${result.payments} payments, ${result.exchangeRates} exchange rates`,
        `  open invoices by age: ${buckets}`,
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
