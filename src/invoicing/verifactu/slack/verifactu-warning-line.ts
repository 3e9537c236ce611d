// One VERI*FACTU warning in the reader's language: the billing channel's daily post and the App Home
// of admins say the same thing.
import type { VerifactuWarning } from "../../../domain/verifactu-backlog.ts";
import type { Locale } from "../../../i18n/index.ts";
import { md } from "../../../slack/kit/support.ts";

export function verifactuWarningLine(locale: Locale, w: VerifactuWarning): string {
  switch (w.kind) {
    case "unsent":
      return w.cause === "failing"
        ? md(locale, "invoicing.verifactu_warning.unsent_failing", {
            count: w.count,
            since: w.since,
            error: w.lastError ?? "—",
          })
        : md(locale, `invoicing.verifactu_warning.unsent_${w.cause}`, { count: w.count });
    case "to_correct":
      return md(locale, "invoicing.verifactu_warning.to_correct", { ...w, sample: w.sample });
    case "certificate_expired":
      return md(locale, "invoicing.verifactu_warning.certificate_expired", {
        subject: w.subject,
        date: w.on,
      });
    case "certificate_expiring":
      return md(locale, "invoicing.verifactu_warning.certificate_expiring", {
        subject: w.subject,
        date: w.on,
        days: w.daysLeft,
      });
  }
}
