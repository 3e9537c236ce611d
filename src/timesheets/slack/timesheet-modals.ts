// The reject-reason modal and the `/cobro time` modal (and what it turns into once saved), in the
// reader's language. Pure: model and locale in, view out.
import type { Locale } from "../../i18n/index.ts";
import { calendarDate, t } from "../../i18n/index.ts";
import { type Block, context, LIMITS, type ModalView, modal, section } from "../../slack/kit/blocks.ts";
import { TIMESHEET_CALLBACKS, TIMESHEET_FIELDS } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";

type Field = { block: string; action: string };

function textInput(
  field: Field,
  label: string,
  {
    multiline = false,
    optional = false,
    hint,
  }: { multiline?: boolean; optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: "input",
    block_id: field.block,
    label: { type: "plain_text", text: label },
    ...(optional ? { optional } : {}),
    ...(hint ? { hint: { type: "plain_text", text: hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: field.action,
      ...(multiline ? { multiline: true, max_length: 2000 } : {}),
    },
  } as Block;
}

export function buildRejectModal(locale: Locale, metadata: string): ModalView {
  return modal({
    locale,
    callbackId: TIMESHEET_CALLBACKS.reject,
    title: t(locale, "timesheets.reject.title"),
    submit: t(locale, "timesheets.reject.submit"),
    close: t(locale, "timesheets.modal.cancel"),
    privateMetadata: metadata,
    blocks: [textInput(TIMESHEET_FIELDS.reason, t(locale, "timesheets.reject.reason"), { multiline: true })],
  });
}

/** `/cobro time`: log or correct one entry, and optionally submit its week. */
export function buildTimeEntryModal(input: {
  today: string;
  projects: { code: string; name: string }[];
  metadata: string;
  locale: Locale;
}): ModalView {
  const { locale } = input;
  const projectOptions = input.projects.slice(0, LIMITS.selectOptions).map((p) => ({
    text: { type: "plain_text" as const, text: `${p.code} · ${p.name}`.slice(0, LIMITS.optionText) },
    value: p.code,
  }));
  const project = TIMESHEET_FIELDS.project.action;
  const option = (key: "timesheets.log.non_billable" | "timesheets.log.submit_week", value: string) => ({
    text: { type: "plain_text", text: t(locale, key) },
    value,
  });
  return modal({
    locale,
    callbackId: TIMESHEET_CALLBACKS.log,
    title: t(locale, "timesheets.log.title"),
    submit: t(locale, "timesheets.log.save"),
    close: t(locale, "timesheets.modal.cancel"),
    privateMetadata: input.metadata,
    blocks: [
      {
        type: "input",
        block_id: TIMESHEET_FIELDS.project.block,
        label: { type: "plain_text", text: t(locale, "timesheets.log.project") },
        element: projectOptions.length
          ? { type: "static_select", action_id: project, options: projectOptions }
          : { type: "plain_text_input", action_id: project },
      } as Block,
      {
        type: "input",
        block_id: TIMESHEET_FIELDS.date.block,
        label: { type: "plain_text", text: t(locale, "timesheets.log.day") },
        element: { type: "datepicker", action_id: TIMESHEET_FIELDS.date.action, initial_date: input.today },
      } as Block,
      textInput(TIMESHEET_FIELDS.hours, t(locale, "timesheets.log.hours"), {
        optional: true,
        hint: t(locale, "timesheets.log.hours_hint"),
      }),
      textInput(TIMESHEET_FIELDS.description, t(locale, "timesheets.log.description"), {
        multiline: true,
        optional: true,
      }),
      {
        type: "input",
        optional: true,
        block_id: TIMESHEET_FIELDS.submitWeek.block,
        label: { type: "plain_text", text: t(locale, "timesheets.log.options") },
        element: {
          type: "checkboxes",
          action_id: TIMESHEET_FIELDS.submitWeek.action,
          options: [
            option("timesheets.log.non_billable", "non_billable"),
            option("timesheets.log.submit_week", "submit"),
          ],
        },
      } as Block,
      context(t(locale, "timesheets.log.correcting")),
    ],
  });
}

/** The `/cobro time` modal once saved: which week, and its status when it was submitted too. */
export function buildTimeLoggedModal(
  locale: Locale,
  result: { logged: boolean; periodStart: string; submitted: { status: string } | null },
): ModalView {
  const text = md(locale, result.logged ? "timesheets.log.saved" : "timesheets.log.submitted", {
    week: calendarDate(result.periodStart),
    status: result.submitted?.status ?? "none",
  });
  return modal({
    locale,
    callbackId: "message",
    title: t(locale, "timesheets.log.saved_title"),
    close: t(locale, "timesheets.log.done"),
    blocks: [section(`:white_check_mark: ${text}`)],
  });
}
