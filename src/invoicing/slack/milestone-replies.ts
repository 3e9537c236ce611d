// What `/milestone add|undo|done` answer once their service ran, in the reader's language.
import type { PickWhy } from "../../domain/match-project.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { escapeMrkdwn } from "../../slack/kit/blocks.ts";
import {
  buildErrorReply,
  buildMilestoneDoneReply,
  buildTextReply,
  type Reply,
} from "../../slack/kit/replies.ts";
import { md } from "../../slack/kit/say.ts";
import type { CompleteMilestoneResult } from "../complete-milestone.ts";
import type { NamedMilestoneUndone } from "../undo-named-milestone.ts";

/** Why the picker asks, in the reader's words. */
export function pickReason(why: PickWhy, locale: Locale): string {
  return t(locale, `milestone.pick.${why.key}`, why);
}

export function milestoneAddedReply(added: { projectCode: string; name: string }, locale: Locale): Reply {
  return buildTextReply(md(locale, "milestone.added", { project: added.projectCode, milestone: added.name }));
}

export function milestoneUndoneReply(result: NamedMilestoneUndone, locale: Locale): Reply {
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

/** The done reply, with the service's warnings (a missing client e-mail…) under it. */
export function milestoneDoneReply(done: CompleteMilestoneResult, locale: Locale): Reply {
  const reply = buildMilestoneDoneReply({ ...done, locale });
  return done.warnings.length > 0
    ? buildTextReply(`${reply.text}\n${done.warnings.map(escapeMrkdwn).join("\n")}`)
    : reply;
}
