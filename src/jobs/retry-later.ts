/** Thrown by a handler when the provider said "later" (429 Retry-After, per-channel pacing). */
export class RetryLaterError extends Error {
  readonly seconds: number;
  constructor(seconds: number, reason: string) {
    super(reason);
    this.name = "RetryLaterError";
    this.seconds = Math.max(1, Math.ceil(seconds));
  }
}
