// What a workspace's VERI*FACTU sending state says to a person: the warning (records not sent,
// records to correct, certificate expiring) or nothing when all is well. Pure: state and now in.

export type VerifactuBacklog = {
  unsent: number;
  oldestUnsentAt: Date | null;
  rejected: number;
  withErrors: number;
  /** The first refused or accepted-with-errors records, for the message. */
  toCorrect: { seriesNumber: string; code: string | null; error: string | null }[];
  failingSince: Date | null;
  lastError: string | null;
  nextSendAt: Date | null;
  certificate: { subject: string; notAfter: Date } | null;
};

/** Records normally leave within the AEAT's wait (60 s); later than this they are "not sent". */
const LATE_MINUTES = 15;
const EXPIRY_WARNING_DAYS = 30;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** What needs attention, as facts a reader's language can word (the App Home) or English lines can. */
export type VerifactuWarning =
  | { kind: "unsent"; count: number; cause: "no_certificate" | "not_running" }
  | { kind: "unsent"; count: number; cause: "failing"; since: Date; lastError: string | null }
  | { kind: "to_correct"; rejected: number; withErrors: number; sample: string }
  | { kind: "certificate_expired"; subject: string; on: Date }
  | { kind: "certificate_expiring"; subject: string; on: Date; daysLeft: number };

/** The warnings, none when nothing needs anyone: persistent until the cause clears (art. 16.4). */
export function verifactuWarningsOf(backlog: VerifactuBacklog, now: Date): VerifactuWarning[] {
  const warnings: VerifactuWarning[] = [];
  const late =
    backlog.unsent > 0 &&
    (backlog.failingSince !== null ||
      backlog.certificate === null ||
      (backlog.oldestUnsentAt !== null &&
        now.getTime() - backlog.oldestUnsentAt.getTime() > LATE_MINUTES * 60_000));
  if (late) {
    const count = backlog.unsent;
    if (backlog.certificate === null) warnings.push({ kind: "unsent", count, cause: "no_certificate" });
    else if (backlog.failingSince) {
      const { failingSince: since, lastError } = backlog;
      warnings.push({ kind: "unsent", count, cause: "failing", since, lastError });
    } else warnings.push({ kind: "unsent", count, cause: "not_running" });
  }
  if (backlog.rejected + backlog.withErrors > 0) {
    const sample = backlog.toCorrect
      .slice(0, 3)
      .map((r) => `${r.seriesNumber}${r.code ? ` (${r.code}${r.error ? ` ${r.error}` : ""})` : ""}`)
      .join("; ");
    warnings.push({ kind: "to_correct", rejected: backlog.rejected, withErrors: backlog.withErrors, sample });
  }
  const cert = backlog.certificate;
  if (cert) {
    const daysLeft = Math.floor((cert.notAfter.getTime() - now.getTime()) / 86_400_000);
    if (daysLeft < 0)
      warnings.push({ kind: "certificate_expired", subject: cert.subject, on: cert.notAfter });
    else if (daysLeft <= EXPIRY_WARNING_DAYS) {
      warnings.push({ kind: "certificate_expiring", subject: cert.subject, on: cert.notAfter, daysLeft });
    }
  }
  return warnings;
}

function englishLine(warning: VerifactuWarning): string {
  switch (warning.kind) {
    case "unsent": {
      const why =
        warning.cause === "no_certificate"
          ? "no certificate is imported (cobro verifactu cert import FILE --password …)"
          : warning.cause === "failing"
            ? `sending fails since ${warning.since.toISOString()}: ${warning.lastError ?? "no answer"}; retried at least hourly, sent with Incidencia when it works again`
            : "they are waiting for the sending job (is `cobro serve` running?)";
      return `${warning.count} VERI*FACTU record(s) not sent to the AEAT: ${why}.`;
    }
    case "to_correct":
      return `${warning.rejected} record(s) refused and ${warning.withErrors} accepted with errors by the AEAT: ${warning.sample}. Fix the cause, then cobro verifactu correct NUMBER re-sends each.`;
    case "certificate_expired":
      return `The AEAT certificate of ${warning.subject} expired on ${day(warning.on)}: import a renewed one.`;
    case "certificate_expiring":
      return `The AEAT certificate of ${warning.subject} expires on ${day(warning.on)} (${warning.daysLeft} days): renew it and import the new one.`;
  }
}

/** The warnings as English lines (the CLI, the billing channel's daily post). */
export function verifactuWarnings(backlog: VerifactuBacklog, now: Date): string[] {
  return verifactuWarningsOf(backlog, now).map(englishLine);
}
