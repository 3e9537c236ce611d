// The `/cobro time` modal read back: its answers as the verb's input (zod), and a refusal as the
// modal's field errors, each next to its input.
import { z } from "zod";
import { isMessageKey, type Locale, t } from "../../i18n/index.ts";
import type { ViewArgs } from "../../slack/kit/handler.ts";
import { TIMESHEET_FIELDS } from "../../slack/kit/ids.ts";
import { fieldValue, type ListenerDeps, userMessageOf } from "../../slack/kit/support.ts";
import { TimeEntryFieldErrors } from "../log-time-entry.ts";

type Values = ViewArgs["view"]["state"]["values"];

const Options = z
  .array(z.object({ value: z.string() }))
  .catch([])
  .transform((options) => new Set(options.map((o) => o.value)));

export function timeEntryInput(values: Values) {
  const field = TIMESHEET_FIELDS.submitWeek;
  const options = Options.parse(values[field.block]?.[field.action]?.selected_options ?? []);
  return {
    project: fieldValue(values, TIMESHEET_FIELDS.project),
    date: fieldValue(values, TIMESHEET_FIELDS.date),
    hours: fieldValue(values, TIMESHEET_FIELDS.hours),
    description: fieldValue(values, TIMESHEET_FIELDS.description),
    billable: options.has("non_billable") ? "no" : "yes",
    submitWeek: options.has("submit"),
  };
}

const BLOCK_OF: Record<string, string> = {
  project: TIMESHEET_FIELDS.project.block,
  date: TIMESHEET_FIELDS.date.block,
  hours: TIMESHEET_FIELDS.hours.block,
  billable: TIMESHEET_FIELDS.submitWeek.block,
};

/** Each field's problem next to its input; any other refusal under the hours. */
export function modalFieldErrors(error: unknown, deps: ListenerDeps, locale: Locale): Record<string, string> {
  if (!(error instanceof TimeEntryFieldErrors)) {
    return { [TIMESHEET_FIELDS.hours.block]: userMessageOf(error, deps, "log time", locale) };
  }
  return Object.fromEntries(
    Object.entries(error.fieldErrors).map(([key, problem]) => [
      BLOCK_OF[key] ?? TIMESHEET_FIELDS.hours.block,
      isMessageKey(problem.messageKey)
        ? t(locale, problem.messageKey, problem.messageValues)
        : problem.message,
    ]),
  );
}
