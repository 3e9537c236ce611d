// The modal that asks which milestone is done when the command text was missing or ambiguous.
import { formatMoney } from "../../domain/money.ts";
import { type Locale, t } from "../../i18n/index.ts";
import {
  type Block,
  escapeMrkdwn,
  LIMITS,
  type ModalView,
  modal,
  option,
  plain,
  section,
  truncate,
} from "../../slack/kit/blocks.ts";
import { CALLBACKS, encodeMilestoneValue, FIELDS } from "../../slack/kit/ids.ts";

export type PickerModel = {
  reason: string;
  locale: Locale;
  projects: { id: string; code: string; name: string }[];
  milestones: { id: string; projectId: string; name: string; amountMinor: number; currency: string }[];
};

export function buildMilestonePicker(model: PickerModel, privateMetadata?: string): ModalView {
  if (model.milestones.length === 0) {
    return modal({
      locale: model.locale,
      callbackId: CALLBACKS.pickMilestone,
      title: t(model.locale, "milestone.picker.title"),
      close: t(model.locale, "milestone.picker.close"),
      blocks: [section(t(model.locale, "milestone.picker.none"))],
    });
  }
  const byProject = new Map(model.projects.map((p) => [p.id, p]));
  let remaining = LIMITS.selectOptions;
  const groups: { label: ReturnType<typeof plain>; options: ReturnType<typeof option>[] }[] = [];
  for (const project of model.projects) {
    if (remaining <= 0 || groups.length >= LIMITS.selectOptions) break;
    const options = model.milestones
      .filter((m) => m.projectId === project.id)
      .slice(0, remaining)
      .map((m) =>
        option(
          truncate(
            `${m.name} · ${formatMoney({ amountMinor: m.amountMinor, currency: m.currency }, model.locale)}`,
            LIMITS.optionText,
          ),
          encodeMilestoneValue({ milestoneId: m.id }),
        ),
      );
    if (options.length === 0) continue;
    remaining -= options.length;
    groups.push({ label: plain(`${project.code} · ${project.name}`, LIMITS.optionText), options });
  }
  const hidden =
    model.milestones.filter((m) => byProject.has(m.projectId)).length - (LIMITS.selectOptions - remaining);
  const blocks: Block[] = [
    section(escapeMrkdwn(model.reason)),
    {
      type: "input",
      block_id: FIELDS.milestone.block,
      label: plain(t(model.locale, "milestone.picker.label")),
      ...(hidden > 0 ? { hint: plain(t(model.locale, "milestone.picker.hidden", { count: hidden })) } : {}),
      element: {
        type: "static_select",
        action_id: FIELDS.milestone.action,
        placeholder: plain(t(model.locale, "milestone.picker.placeholder"), LIMITS.placeholder),
        option_groups: groups,
      },
    },
  ];
  return modal({
    locale: model.locale,
    callbackId: CALLBACKS.pickMilestone,
    title: t(model.locale, "milestone.picker.title"),
    submit: t(model.locale, "milestone.picker.submit"),
    blocks,
    ...(privateMetadata ? { privateMetadata } : {}),
  });
}
