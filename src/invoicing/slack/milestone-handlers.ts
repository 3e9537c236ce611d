// `/milestone done|list|add|undo` and the milestone picker: ack at once, one service, one reply.
import type { Ctx } from "../../context.ts";
import { isDomainError } from "../../domain/errors.ts";
import type { PickWhy } from "../../domain/match-project.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import type { CommandArgs, ViewArgs } from "../../slack/kit/handler.ts";
import { encodeModalMetadata, FIELDS, MilestoneValueText } from "../../slack/kit/ids.ts";
import { type MilestoneCommand, parseMilestoneCommand } from "../../slack/kit/parse-command.ts";
import {
  buildErrorReply,
  buildHelpReply,
  buildMilestoneDoneReply,
  buildMilestoneListReply,
  buildTextReply,
  buildUsageReply,
  errorReply,
  type Reply,
} from "../../slack/kit/replies.ts";
import {
  ctxOf,
  fieldValue,
  type ListenerDeps,
  localeOf,
  md,
  openModal,
  readerLocale,
  responder,
  translatedUserMessage,
  updateModal,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { addMilestone } from "../add-milestone.ts";
import { type CompleteMilestoneResult, completeMilestone } from "../complete-milestone.ts";
import { listMilestones } from "../list-milestones.ts";
import { markNamedMilestoneDone } from "../mark-named-milestone-done.ts";
import { type NamedMilestoneUndone, undoNamedMilestone } from "../undo-named-milestone.ts";
import { buildMilestonePicker } from "./milestone-picker.ts";

type Asked = { locale: Locale; args: CommandArgs };

/** The reply to one verb of the command; `null` when the picker answered instead. */
async function runVerb(
  ctx: Ctx,
  parsed: Exclude<MilestoneCommand, { verb: "help" | "invalid" }>,
  { locale, args }: Asked,
): Promise<Reply | null> {
  const tokens = "tokens" in parsed ? parsed.tokens : [];
  switch (parsed.verb) {
    case "list": {
      const listed = await listMilestones(ctx, { project: parsed.project });
      return buildMilestoneListReply({ ...listed, locale });
    }
    case "add":
      return milestoneAddedReply(await addMilestone(ctx, parsed), locale);
    case "undo":
      return milestoneUndoneReply(await undoNamedMilestone(ctx, { tokens }), locale);
    case "done": {
      const result = await markNamedMilestoneDone(ctx, { tokens });
      if (result.kind === "done") return milestoneDoneReply(result.done, locale);
      const picker = buildMilestonePicker(
        { ...result, reason: pickReason(result.why, locale), locale },
        encodeModalMetadata({ channelId: args.command.channel_id }),
      );
      await openModal(args.client, args.command.trigger_id, picker);
      return null;
    }
  }
}

export async function milestoneCommand(deps: ListenerDeps, args: CommandArgs) {
  const { ack, command, respond, context } = args;
  await ack();
  const locale = await readerLocale(context);
  const parsed = parseMilestoneCommand(command.text ?? "", locale);
  const answer = responder(deps, respond);
  try {
    if (parsed.verb === "help") return void (await answer.reply(buildHelpReply(locale)));
    if (parsed.verb === "invalid")
      return void (await answer.reply(buildUsageReply("milestone", parsed.problem)));
    const reply = await runVerb(ctxOf(deps, context), parsed, { locale, args });
    if (reply) await answer.reply(reply);
  } catch (error) {
    await answer
      .reply(errorReply(error, deps, "/milestone", locale))
      .catch((e: unknown) => deps.logger.warn({ err: e }, "could not reply to /milestone"));
  }
}

/** The picker submitted: the modal turns into a loading view, then into the outcome. */
export async function milestonePickSubmit(deps: ListenerDeps, { ack, view, context, client }: ViewArgs) {
  const locale = localeOf(context);
  const picked = MilestoneValueText.safeParse(fieldValue(view.state.values, FIELDS.milestone));
  if (!picked.success) {
    return void (await ack({
      response_action: "errors",
      errors: { [FIELDS.milestone.block]: t(locale, "milestone.picker.pick_one") },
    }));
  }
  const title = t(locale, "milestone.picker.title");
  await ack({ response_action: "update", view: buildLoadingModal(title, locale) });
  let text: string;
  try {
    const done = await completeMilestone(ctxOf(deps, context), { milestoneId: picked.data });
    text = milestoneDoneReply(done, locale).text;
  } catch (error) {
    text = slackText`:no_entry: ${userMessageOf(error, deps, "pick milestone", locale)}`;
  }
  await updateModal(client, view.id, buildMessageModal(title, text, locale));
}

// What `/milestone add|undo|done` answer once their service ran, in the reader's language.

/** Why the picker asks, in the reader's words. */
function pickReason(why: PickWhy, locale: Locale): string {
  return t(locale, `milestone.pick.${why.key}`, why);
}

function milestoneAddedReply(added: { projectCode: string; name: string }, locale: Locale): Reply {
  return buildTextReply(md(locale, "milestone.added", { project: added.projectCode, milestone: added.name }));
}

function milestoneUndoneReply(result: NamedMilestoneUndone, locale: Locale): Reply {
  if (result.kind === "pick") {
    return buildErrorReply(t(locale, "milestone.undo.pick", { reason: pickReason(result.why, locale) }));
  }
  const { undone } = result;
  return buildTextReply(
    md(locale, undone.alreadyDone ? "milestone.undo.not_done" : "milestone.undo.done", {
      project: undone.projectCode,
      milestone: undone.milestoneName,
    }),
  );
}

/** The done reply, with the service's warnings (no billing channel, auto-issue refused) under it. */
function milestoneDoneReply(done: CompleteMilestoneResult, locale: Locale): Reply {
  const reply = buildMilestoneDoneReply({ ...done, locale });
  if (done.warnings.length === 0) return reply;
  const lines = done.warnings.map((warning) =>
    warning.kind === "no_billing_channel"
      ? md(locale, "milestone.done.no_billing_channel")
      : md(locale, "milestone.done.auto_issue_failed", {
          reason: isDomainError(warning.error)
            ? (translatedUserMessage(warning.error, locale) ?? warning.error.userMessage)
            : "none",
        }),
  );
  return buildTextReply(`${reply.text}\n${lines.join("\n")}`);
}
