import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { ProgressWriter } from "./import-progress.ts";

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A status line rewritten in place: only when stderr is a terminal. */
  progress?: ProgressWriter;
};

export type CliRuntime = CliIo & {
  config: Config;
  logger: Logger;
  /**
   * Opens the database, runs migrations and builds the context; closed by the CLI after the
   * command. `onOpened` runs between opening and migrating (serve answers /healthz from there).
   */
  openApp: (onOpened?: (database: Database) => void | Promise<void>) => Promise<AppContext>;
};

export type CliCommand = {
  summary: string;
  usage: string;
  /** More than the one-line usage for `--help`: subcommands, options, examples. */
  help?: string;
  /** Resolves to the process exit code. */
  run: (runtime: CliRuntime, args: string[]) => Promise<number>;
};

/** Exit codes: 0 ok, 1 failed, 2 bad usage or input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
