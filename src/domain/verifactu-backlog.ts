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

/** The warning lines, empty when nothing needs anyone: persistent until the cause clears (art. 16.4). */
export function verifactuWarnings(backlog: VerifactuBacklog, now: Date): string[] {
  const lines: string[] = [];
  const late =
    backlog.unsent > 0 &&
    (backlog.failingSince !== null ||
      backlog.certificate === null ||
      (backlog.oldestUnsentAt !== null &&
        now.getTime() - backlog.oldestUnsentAt.getTime() > LATE_MINUTES * 60_000));
  if (late) {
    const why =
      backlog.certificate === null
        ? "no certificate is imported (cobro verifactu cert import FILE --password …)"
        : backlog.failingSince
          ? `sending fails since ${backlog.failingSince.toISOString()}: ${backlog.lastError ?? "no answer"}; retried at least hourly, sent with Incidencia when it works again`
          : "they are waiting for the sending job (is `cobro serve` running?)";
    lines.push(`${backlog.unsent} VERI*FACTU record(s) not sent to the AEAT: ${why}.`);
  }
  const toCorrect = backlog.rejected + backlog.withErrors;
  if (toCorrect > 0) {
    const sample = backlog.toCorrect
      .slice(0, 3)
      .map((r) => `${r.seriesNumber}${r.code ? ` (${r.code}${r.error ? ` ${r.error}` : ""})` : ""}`)
      .join("; ");
    lines.push(
      `${backlog.rejected} record(s) refused and ${backlog.withErrors} accepted with errors by the AEAT: ${sample}. Fix the cause, then cobro verifactu correct NUMBER re-sends each.`,
    );
  }
  const cert = backlog.certificate;
  if (cert) {
    const daysLeft = Math.floor((cert.notAfter.getTime() - now.getTime()) / 86_400_000);
    if (daysLeft < 0)
      lines.push(
        `The AEAT certificate of ${cert.subject} expired on ${day(cert.notAfter)}: import a renewed one.`,
      );
    else if (daysLeft <= EXPIRY_WARNING_DAYS) {
      lines.push(
        `The AEAT certificate of ${cert.subject} expires on ${day(cert.notAfter)} (${daysLeft} days): renew it and import the new one.`,
      );
    }
  }
  return lines;
}
