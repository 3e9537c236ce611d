// The Invoicing details modal, pushed from `/cobro setup`: every setting set by name, one text
// input each, its block_id the setting's key (so refusals land next to it).

import { type Block, context, LIMITS, type ModalView, modal, plain } from "../../slack/kit/blocks.ts";
import { CALLBACKS } from "../../slack/kit/ids.ts";

export const SETTING_FIELD_ACTION = "value";

/** One setting as shown: its key, what it is, and its value as one would type it ("" = default). */
export type SettingLine = { key: string; label: string; help: string; value: string };

export function buildSettingsDetailsModal(lines: readonly SettingLine[]): ModalView {
  const blocks: Block[] = [
    context("Leave a field empty for its default. The same keys work on the command line: `cobro settings`."),
    ...lines.map(
      (line): Block => ({
        type: "input",
        block_id: line.key,
        optional: true,
        label: plain(line.label, LIMITS.inputLabel),
        hint: plain(line.help, LIMITS.inputLabel),
        element: {
          type: "plain_text_input",
          action_id: SETTING_FIELD_ACTION,
          max_length: 500,
          ...(line.value ? { initial_value: line.value.slice(0, 500) } : {}),
        },
      }),
    ),
  ];
  return modal({ callbackId: CALLBACKS.settingsDetails, title: "Invoicing details", submit: "Save", blocks });
}
