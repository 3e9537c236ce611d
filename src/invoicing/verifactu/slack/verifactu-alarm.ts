// The billing-channel alarm for a broken VERI*FACTU chain: which issuer, which record, what is wrong.
import { truncate } from "../../../slack/kit/blocks.ts";

export type ChainAlarm = {
  asOf: string;
  issuerNif: string;
  sequence: number;
  seriesNumber: string;
  kind: "alta" | "anulacion";
  problems: string[];
};

export function buildVerifactuChainAlarm(payload: ChainAlarm): {
  text: string;
  blocks: unknown[];
} {
  const text = `VERI*FACTU alarm: the chain of ${payload.issuerNif} is broken at record ${payload.sequence} (${payload.seriesNumber}).`;
  const detail = payload.problems.map((problem) => `• ${problem}`).join("\n");
  return {
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: "VERI*FACTU chain broken", emoji: true } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(
            `:rotating_light: *${text}*\nWhat is wrong (${payload.kind} record):\n${detail}`,
            3000,
          ),
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: truncate(
              `Checked ${payload.asOf}. Records are never edited: restore them from a backup, then run \`cobro verifactu verify --nif ${payload.issuerNif}\`. This alarm comes back every day until the chain holds.`,
              3000,
            ),
          },
        ],
      },
    ],
  };
}
