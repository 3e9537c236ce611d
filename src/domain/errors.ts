// The one error type for refusals a user can act on (transports turn it into an ephemeral Slack
// message, a modal field error, a CLI line with exit code, or an HTTP 4xx), and the two checks that
// raise errors: parseInput (a user's input, refused by name) and present (a missing value, a bug).
import { z } from "zod";

export type DomainErrorOptions = {
  userMessage?: string;
  field?: string;
  details?: unknown;
  /** userMessage is Slack mrkdwn Cobro composed itself (mentions of members), its values escaped. */
  mrkdwn?: boolean;
  /** The userMessage's key in the Slack message catalogues (src/i18n), to say it in the reader's language. */
  messageKey?: string;
  messageValues?: Record<string, string | number>;
};

export class DomainError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly field: string | undefined;
  readonly details: unknown;
  readonly mrkdwn: boolean;
  readonly messageKey: string | undefined;
  readonly messageValues: Record<string, string | number>;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.userMessage = options.userMessage ?? message;
    this.field = options.field;
    this.details = options.details;
    this.mrkdwn = options.mrkdwn ?? false;
    this.messageKey = options.messageKey;
    this.messageValues = options.messageValues ?? {};
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Validates service input with zod and turns the first problem into a DomainError a user can read. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") ?? "";
  throw new DomainError("input.invalid", z.prettifyError(parsed.error), {
    userMessage: `Invalid ${field || "input"}: ${issue?.message ?? "invalid value"}.`,
    ...(field ? { field } : {}),
  });
}

/** A value the code just read or wrote and cannot be missing; if it is, that is a bug, said by name. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing: this is a bug in Cobro`);
  return value;
}
