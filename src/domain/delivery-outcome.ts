// What became of one run of a delivery, and how a terminal says why it did not send.

export type DeliveryOutcome =
  | { status: "sent" }
  | { status: "alreadyDone" }
  /** `slots`: posting slots reserved for the retry, to hand to it (see runDelivery). */
  | { status: "retryLater"; seconds: number; delayMs: number; slots?: Record<string, number> }
  | { status: "failed"; error: string }
  /** A person is asked in Slack whether it arrived; `questionId` is the delivery asking (to enqueue). */
  | { status: "unknown"; questionId: string | null };

/** Why a delivery run did not send, in words for a terminal. */
export function explainUnsent(outcome: Exclude<DeliveryOutcome, { status: "sent" | "alreadyDone" }>): string {
  if (outcome.status === "failed") return outcome.error;
  if (outcome.status === "unknown") {
    return "an earlier attempt may have sent it and the provider cannot tell; billing is asked in Slack (Send again / It arrived)";
  }
  return `try again in ${outcome.seconds} s`;
}
