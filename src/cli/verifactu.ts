// `cobro verifactu export`: the VERI*FACTU records waiting for the AEAT, as submission bodies.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DomainError } from "../domain/errors.ts";
import { exportVerifactuSubmissions } from "../services/export-verifactu-submissions.ts";
import { resolveWorkspace } from "../services/resolve-workspace.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "verifactu export [--out DIR] [--workspace W]";
const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export const verifactuCommand: CliCommand = {
  summary: "Spanish VERI*FACTU records not yet sent to the AEAT, written as submission XML",
  usage: USAGE,
  run: async ({ openApp, out, config }, args) => {
    const parsed = parseArgs(args, { values: ["out", "workspace"] });
    const [sub, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (sub !== "export")
      throw usage(sub ? `Unknown verifactu command "${sub}".` : "Say what to do: export.");
    if (rest.length > 0) throw usage(`Unexpected argument "${rest[0]}".`);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const submissions = await exportVerifactuSubmissions(app, {
      workspaceId: workspace.id,
      version: VERSION,
      producer: config.verifactuProducer,
    });
    if (submissions.length === 0) {
      out("No VERI*FACTU record is waiting to be sent.");
      return EXIT.ok;
    }
    const dir = stringFlag(parsed, "out") ?? ".";
    await mkdir(dir, { recursive: true });
    for (const [index, submission] of submissions.entries()) {
      const file = join(dir, `verifactu-${submission.issuerNif}-${index + 1}.xml`);
      await writeFile(file, submission.xml);
      out(
        `Wrote ${file}: ${submission.records} record(s) of ${submission.issuerNif}, not sent (AEAT submission is not built).`,
      );
    }
    return EXIT.ok;
  },
};
