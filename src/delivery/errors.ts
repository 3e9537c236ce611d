// The errors a delivery handler throws to tell the worker what happened: wait and retry, outcome
// unknown (ask a person), or settled by a person.
/**
 * Thrown by a handler when the send must wait: the provider said when (429 Retry-After), the
 * channel's next posting slot is later, or (`failure`) the provider is down and we back off.
 * Only a failure counts as a failed attempt.
 */
export class RetryLaterError extends Error {
  readonly seconds: number;
  readonly delayMs: number;
  readonly failure: boolean;
  constructor(seconds: number, reason: string, options: { failure?: boolean } = {}) {
    super(reason);
    this.name = "RetryLaterError";
    this.delayMs = Math.max(0, Math.round(seconds * 1000));
    this.seconds = Math.max(1, Math.ceil(seconds));
    this.failure = options.failure ?? false;
  }
}

/** The provider cannot say whether an earlier call arrived (no Activity API, no history scope…). */
export class OutcomeUnknownError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "OutcomeUnknownError";
  }
}

/** A person said the earlier call arrived, and the provider's answer is not known. */
export class ConfirmedByPersonError extends Error {
  readonly confirmation: Record<string, unknown>;
  constructor(confirmation: Record<string, unknown>) {
    super("confirmed by a person");
    this.name = "ConfirmedByPersonError";
    this.confirmation = confirmation;
  }
}

/** Bolt's contract is to throw when there is none; this type lets callers tell it from a DB failure. */
export class InstallationNotFoundError extends Error {
  constructor(key: string) {
    super(`no Slack installation for ${key}`);
    this.name = "InstallationNotFoundError";
  }
}
