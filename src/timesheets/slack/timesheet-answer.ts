// The one way timesheet handlers answer a click: beside the message clicked (its response_url), or
// in the person's DM when the click came from the App Home (which has none).
import type { z } from "zod";
import { type Locale, t } from "../../i18n/index.ts";
import type { ActionArgs } from "../../slack/kit/handler.ts";
import type { Reply } from "../../slack/kit/replies.ts";
import { errorReply } from "../../slack/kit/replies.ts";
import { slackPortOf } from "../../slack/kit/slack-port.ts";
import { type ListenerDeps, localeOf, logReplyFailure } from "../../slack/kit/support.ts";
import type { SlackMessage } from "./timesheet-messages.ts";

export type TimesheetAnswer = {
  /** A line for the person who clicked; the message clicked stays as it was. */
  notice: (text: string) => Promise<void>;
  /** The request clicked becomes its outcome (from the App Home: the outcome in a DM). */
  decided: (message: SlackMessage) => Promise<void>;
  /** What went wrong, in the reader's language (a refusal's own words, or a generic line, logged). */
  failure: (error: unknown, where: string) => Promise<void>;
};

export function timesheetAnswer(
  deps: ListenerDeps,
  { body, respond, client }: ActionArgs,
  locale: Locale,
): TimesheetAnswer {
  const inDm = (message: Reply) => slackPortOf(client).postMessage({ channel: body.user.id, ...message });
  const notice = async (text: string) => {
    if (!body.response_url) return inDm({ text });
    await respond({ response_type: "ephemeral", replace_original: false, text });
  };
  return {
    notice,
    decided: async (message) => {
      if (body.container?.type !== "message" || !body.response_url) return inDm(message);
      await respond({ replace_original: true, ...message });
    },
    failure: (error, where) =>
      notice(errorReply(error, deps, where, locale).text).catch(logReplyFailure(deps, "reply")),
  };
}

/**
 * A click acked and read: the reader's language, the way to answer them, and the button's value as
 * `schema` parses it; null (the person told the button is out of date) when it does not parse.
 */
export async function readClick<Value>(
  deps: ListenerDeps,
  args: ActionArgs,
  schema: z.ZodType<{ value: Value }>,
): Promise<{ locale: Locale; answer: TimesheetAnswer; value: Value } | null> {
  await args.ack();
  const locale = localeOf(args.context);
  const answer = timesheetAnswer(deps, args, locale);
  const button = schema.safeParse(args.body.actions[0]);
  if (button.success) return { locale, answer, value: button.data.value };
  await answer.notice(t(locale, "timesheets.out_of_date")).catch(logReplyFailure(deps, "reply"));
  return null;
}
