// Keeps `cobro serve` answering when a stray callback throws or a promise nobody awaits rejects:
// the error is logged and the process goes on, since requests are independent and each one's own
// errors are already answered by the server. A burst of them means the process is in a state it
// cannot serve from: it then exits (code 1) for its supervisor to start a fresh one.
import type { Logger } from "../logger.ts";

export type ProcessGuardOptions = { burst: number; windowMs: number; exit: (code: number) => void };

const DEFAULTS: ProcessGuardOptions = { burst: 20, windowMs: 60_000, exit: (code) => process.exit(code) };

/** Installs the guard; returns a function that removes it. */
export function guardProcess(logger: Logger, options: ProcessGuardOptions = DEFAULTS): () => void {
  const recent: number[] = [];
  const record = (kind: string, error: unknown) => {
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && (recent[0] ?? now) < now - options.windowMs) recent.shift();
    if (recent.length >= options.burst) {
      logger.fatal({ err: error, kind }, `${recent.length} uncaught errors within a minute: exiting`);
      options.exit(1);
      return;
    }
    logger.error({ err: error, kind }, `${kind}: logged, Cobro keeps serving`);
  };
  const onException = (error: Error) => record("uncaught exception", error);
  const onRejection = (reason: unknown) => record("unhandled rejection", reason);
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
  };
}
