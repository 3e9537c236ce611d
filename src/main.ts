// Composition root: reads the config once, builds the dependencies and runs one CLI command.

import { commandHelp, runCommand } from "./cli/help.ts";
import { type CliCommand, type CliIo, type CliRuntime, EXIT } from "./cli/types.ts";
import { type Config, loadConfig } from "./config.ts";
import type { AppContext } from "./context.ts";
import type { Database } from "./db/client.ts";
import { isDomainError } from "./domain/errors.ts";
import { configSecrets, createLogger, type Logger } from "./logger.ts";

export async function buildAppContext(
  config: Config,
  logger: Logger,
  onOpened?: (database: Database) => void | Promise<void>,
): Promise<AppContext> {
  // Loaded on use: `serve` binds its port (and answers /healthz) before the database code loads.
  const { openDatabase } = await import("./db/client.ts");
  const { runMigrations } = await import("./db/migrate.ts");
  const database = await openDatabase(config);
  try {
    await onOpened?.(database);
    const { applied, total } = await runMigrations(database);
    if (applied > 0) logger.info({ applied, total, database: database.kind }, "database migrated");
  } catch (error) {
    await database.close();
    throw error;
  }
  // CLI commands run without workers: deliveries they claim are picked up by `serve`'s sweeper.
  return { config, logger, database, db: database.db, now: () => new Date(), enqueue: async () => {} };
}

type Commands = Record<string, CliCommand>;

/** Every command, loaded on use: `serve` loads only its own module, the rest of Cobro after binding. */
async function loadCommands(name: string | undefined): Promise<Commands> {
  if (name === "serve") return { serve: (await import("./cli/serve.ts")).serveCommand };
  return (await import("./cli/index.ts")).commands;
}

function usage(commands: Commands): string {
  const lines = Object.entries(commands).map(
    ([, command]) => `  ${command.usage.padEnd(64)} ${command.summary}`,
  );
  return [
    `Usage: cobro <command> [options]`,
    "",
    "Commands:",
    ...lines,
    "",
    "`cobro help <command>` or `cobro <command> --help` shows one command's usage; docs/command-line.md has the details.",
  ].join("\n");
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  ...(process.stderr.isTTY
    ? {
        progress: {
          inPlace: true,
          write: (text) => process.stderr.write(text === "\n" ? text : `\r${text}\x1b[K`),
        },
      }
    : {}),
};

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io = defaultIo,
): Promise<number> {
  const [name, ...args] = argv;
  const commands = await loadCommands(name);
  if (name === "help" && args[0]) {
    const command = commands[args[0]];
    if (!command) {
      io.err(`Unknown command "${args[0]}".\n\n${usage(commands)}`);
      return EXIT.usage;
    }
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(usage(commands));
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage(commands)}`);
    return EXIT.usage;
  }
  let opened: AppContext | undefined;
  try {
    const config = loadConfig(env);
    const logger = createLogger(config.logLevel, configSecrets(config));
    const runtime: CliRuntime = {
      ...io,
      config,
      logger,
      openApp: async (onOpened) => {
        opened ??= await buildAppContext(config, logger, onOpened);
        return opened;
      },
    };
    return await runCommand(command, runtime, args);
  } catch (error) {
    if (isDomainError(error)) {
      io.err(error.userMessage);
      return EXIT.usage;
    }
    io.err(`cobro ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  } finally {
    if (opened && name !== "serve") await opened.database.close();
  }
}
