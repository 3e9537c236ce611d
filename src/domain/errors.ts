// The one error type for refusals a user can act on. Transports turn it into an ephemeral
// Slack message, a modal field error, a CLI line with exit code, or an HTTP 4xx.
export type DomainErrorOptions = { userMessage?: string; field?: string; details?: unknown };

export class DomainError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.userMessage = options.userMessage ?? message;
    this.field = options.field;
    this.details = options.details;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
