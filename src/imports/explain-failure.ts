// A statement of an import that the database refuses becomes a short message naming what was being
// done and which lines, never the statement or the rows: those may be megabytes of client data.
import { DomainError, isDomainError } from "../domain/errors.ts";

type DatabaseError = { code?: unknown; constraint?: unknown; constraint_name?: unknown; message?: unknown };

function databaseErrorOf(error: unknown): DatabaseError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof (e as DatabaseError).code === "string" && /^[0-9A-Z]{5}$/.test((e as { code: string }).code)) {
      return e as DatabaseError;
    }
  }
  return undefined;
}

/** The reason without the values PostgreSQL quotes after a colon ("invalid input syntax …: "x""). */
function reasonOf(error: unknown): string {
  const database = databaseErrorOf(error);
  const message = String((database ?? (error as DatabaseError | undefined))?.message ?? error);
  const reason = (message.split(":")[0] ?? message).slice(0, 120);
  if (!database) return reason;
  const constraint = database.constraint ?? database.constraint_name;
  return `${reason} (PostgreSQL ${String(database.code)}${typeof constraint === "string" ? `, ${constraint}` : ""})`;
}

export type Lines = { first: number; last: number };

/** Runs one step of an import; a failure other than a refusal for the user is explained, not dumped. */
export async function explainFailure<T>(what: string, lines: Lines, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error)) throw error;
    const where = lines.first === lines.last ? `line ${lines.first}` : `lines ${lines.first}–${lines.last}`;
    const reason = reasonOf(error);
    throw new DomainError("import.failed", `${what} failed at ${where}: ${reason}`, {
      userMessage: `The import stopped at ${where} (${what}): ${reason}. Nothing was imported.`,
      messageKey: "imports.error.failed",
      messageValues: {
        span: lines.first === lines.last ? "one" : "range",
        first: String(lines.first),
        last: String(lines.last),
        what,
        reason,
      },
    });
  }
}
