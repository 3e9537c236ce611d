// The one error type for refusals a user can act on. Transports turn it into an ephemeral
// Slack message, a modal field error, a CLI line with exit code, or an HTTP 4xx.
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
