// A `cobro` command run in-process against a test database, as main.ts would run it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/cli/help.ts";
import type { CliCommand, CliRuntime } from "../../src/cli/types.ts";
import { loadConfig } from "../../src/config.ts";
import type { ServiceDeps } from "../../src/context.ts";
import type { Database } from "../../src/db/client.ts";
import { silentLogger } from "./deps.ts";

/** Runs `command` with a fresh data directory; `env` adds settings. Output lines are collected. */
export function cliRunner(
  command: CliCommand,
  app: { deps: ServiceDeps; database: Database },
  env: Record<string, string> = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-cli-"));
  const config = loadConfig({ COBRO_DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env });
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const runtime: CliRuntime = {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      config,
      logger: silentLogger,
      openApp: async () => ({ ...app.deps, config, database: app.database }),
    };
    const code = await runCommand(command, runtime, args);
    return { code, out: out.join("\n") };
  };
  return { run, dataDir };
}
