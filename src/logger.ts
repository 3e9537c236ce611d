import { pino } from "pino";

export type Logger = pino.Logger;

// Logs go to stderr so that CLI output on stdout (JSON, CSV) stays clean for pipes.
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "cobro" } }, pino.destination(2));
}
