// The billing channel's VERI*FACTU warning, in the workspace's language: what the AEAT is missing
// and what to do.
import type { VerifactuWarning } from "../../../domain/verifactu-backlog.ts";
import { type Locale, t } from "../../../i18n/index.ts";
import { type Block, context, section } from "../../../slack/kit/blocks.ts";
import { verifactuWarningLine } from "./verifactu-warning-line.ts";

export function buildVerifactuWarning(
  locale: Locale,
  warnings: VerifactuWarning[],
): { text: string; blocks: Block[] } {
  const title = t(locale, "invoicing.verifactu_warning.title");
  const lines = warnings.map((w) => verifactuWarningLine(locale, w).slice(0, 600));
  return {
    text: `${title}: ${lines[0] ?? ""}`,
    blocks: [
      section(`:warning: *${title}*\n${lines.map((line) => `• ${line}`).join("\n")}`),
      context(t(locale, "invoicing.verifactu_warning.repeated")),
    ],
  };
}
