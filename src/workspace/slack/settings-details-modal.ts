// The Invoicing details modal, pushed from `/cobro setup`: every setting set by name, one text
// input each, its block_id the setting's key (so refusals land next to it).

import type { DomainError } from "../../domain/errors.ts";
import { isMessageKey, type Locale, t } from "../../i18n/index.ts";
import { type Block, context, LIMITS, type ModalView, modal, plain } from "../../slack/kit/blocks.ts";
import { CALLBACKS } from "../../slack/kit/ids.ts";
import { translatedUserMessage } from "../../slack/kit/support.ts";

export const SETTING_FIELD_ACTION = "value";

/** One setting as shown: its key, what it is, and its value as one would type it ("" = default). */
export type SettingLine = { key: string; label: string; help: string; value: string };

/** A setting's label or help in the reader's language (the domain keeps the English, for the CLI). */
export function settingText(key: string, part: "label" | "help", locale: Locale, english: string): string {
  const id = `workspace.setting.${key}.${part}`;
  return isMessageKey(id) ? t(locale, id) : english;
}

/** Each refused value's reason in the reader's language, by field (Slack shows it under the field). */
export function fieldRefusals(refusals: Record<string, DomainError>, locale: Locale): Record<string, string> {
  return Object.fromEntries(
    Object.entries(refusals).map(([key, error]) => [
      key,
      translatedUserMessage(error, locale) ?? error.userMessage,
    ]),
  );
}

export function buildSettingsDetailsModal(lines: readonly SettingLine[], locale: Locale): ModalView {
  const blocks: Block[] = [
    context(t(locale, "workspace.details.intro")),
    ...lines.map(
      (line): Block => ({
        type: "input",
        block_id: line.key,
        optional: true,
        label: plain(settingText(line.key, "label", locale, line.label), LIMITS.inputLabel),
        hint: plain(settingText(line.key, "help", locale, line.help), LIMITS.inputLabel),
        element: {
          type: "plain_text_input",
          action_id: SETTING_FIELD_ACTION,
          max_length: 500,
          ...(line.value ? { initial_value: line.value.slice(0, 500) } : {}),
        },
      }),
    ),
  ];
  return modal({
    locale,
    callbackId: CALLBACKS.settingsDetails,
    title: t(locale, "workspace.details.title"),
    submit: t(locale, "workspace.setup.save"),
    blocks,
  });
}
