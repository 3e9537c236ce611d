// The billing channel's VERI*FACTU warning: what the AEAT is missing and what to do.
import { type Block, context, escapeMrkdwn, section } from "../../../slack/kit/blocks.ts";

export function buildVerifactuWarning(warnings: string[]): { text: string; blocks: Block[] } {
  return {
    text: `VERI*FACTU needs attention: ${warnings[0] ?? ""}`,
    blocks: [
      section(
        `:warning: *VERI*FACTU needs attention*\n${warnings.map((w) => `• ${escapeMrkdwn(w.slice(0, 600))}`).join("\n")}`,
      ),
      context(
        "Repeated each day until it clears. `cobro doctor` and `cobro verifactu export` show the details.",
      ),
    ],
  };
}
