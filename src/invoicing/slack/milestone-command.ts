// `/milestone done|list|add|undo`: ack at once, then one service, then an ephemeral reply.

import type { App, RespondFn } from "@slack/bolt";
import { matchMilestone, type PickWhy } from "../../domain/match-project.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { escapeMrkdwn } from "../../slack/kit/blocks.ts";
import { COMMANDS, encodeModalMetadata } from "../../slack/kit/ids.ts";
import { parseMilestoneCommand } from "../../slack/kit/parse-command.ts";
import {
  buildErrorReply,
  buildHelpReply,
  buildMilestoneDoneReply,
  buildMilestoneListReply,
  buildTextReply,
  buildUsageReply,
  type Reply,
} from "../../slack/kit/replies.ts";
import { md } from "../../slack/kit/say.ts";
import { actorOf, errorReply, type ListenerDeps, localeOf, workspaceIdOf } from "../../slack/kit/support.ts";
import { addMilestone } from "../add-milestone.ts";
import { completeMilestone } from "../complete-milestone.ts";
import { findMilestoneChoices } from "../find-milestone-choices.ts";
import { listMilestones } from "../list-milestones.ts";
import { undoMilestone } from "../undo-milestone.ts";
import { buildMilestonePicker } from "./milestone-picker.ts";

/** Why the picker asks, in the reader's words. */
function pickReason(why: PickWhy, locale: Locale): string {
  return t(locale, `milestone.pick.${why.key}`, why);
}

const ephemeral = (reply: Reply) => ({ response_type: "ephemeral" as const, ...reply });

export async function replyEphemeral(respond: RespondFn, reply: Reply): Promise<void> {
  await respond(ephemeral(reply));
}

export function registerMilestoneCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.milestone, async ({ ack, command, respond, context, client }) => {
    await ack();
    const locale = localeOf(context);
    const parsed = parseMilestoneCommand(command.text ?? "", locale);
    try {
      if (parsed.verb === "help") return await replyEphemeral(respond, buildHelpReply(locale));
      if (parsed.verb === "invalid")
        return await replyEphemeral(respond, buildUsageReply("milestone", parsed.problem));
      const workspaceId = workspaceIdOf(context);
      const actor = await actorOf(deps, context, command.user_id);
      switch (parsed.verb) {
        case "list": {
          const result = await listMilestones(deps.db, { workspaceId, actor, project: parsed.project });
          return await replyEphemeral(respond, buildMilestoneListReply({ ...result, locale }));
        }
        case "add": {
          const added = await addMilestone(deps, { workspaceId, actor, ...parsed });
          return await replyEphemeral(
            respond,
            buildTextReply(
              md(locale, "milestone.added", { project: added.projectCode, milestone: added.name }),
            ),
          );
        }
        case "done":
        case "undo": {
          const choices = await findMilestoneChoices(deps.db, {
            workspaceId,
            actor,
            statuses: parsed.verb === "done" ? ["planned", "done"] : ["done"],
            everyProject: parsed.tokens.length > 0,
            tokens: parsed.tokens,
          });
          const match = matchMilestone(parsed.tokens, choices.projects, choices.milestones);
          if (match.kind === "pick") {
            if (parsed.verb === "undo") {
              return await replyEphemeral(
                respond,
                buildErrorReply(t(locale, "milestone.undo.pick", { reason: pickReason(match.why, locale) })),
              );
            }
            const open = await findMilestoneChoices(deps.db, { workspaceId, actor, statuses: ["planned"] });
            const wanted = new Set(match.milestoneIds);
            const narrowed = open.milestones.filter((m) => wanted.has(m.id));
            await client.views.open({
              trigger_id: command.trigger_id,
              view: buildMilestonePicker(
                {
                  reason: pickReason(match.why, locale),
                  locale,
                  projects: open.projects,
                  milestones: narrowed.length > 0 ? narrowed : open.milestones,
                },
                encodeModalMetadata({ channelId: command.channel_id }),
              ),
            });
            return;
          }
          if (parsed.verb === "undo") {
            const undone = await undoMilestone(deps, { workspaceId, actor, milestoneId: match.milestoneId });
            return await replyEphemeral(
              respond,
              buildTextReply(
                md(locale, undone.alreadyDone ? "milestone.undo.not_done" : "milestone.undo.done", {
                  project: undone.projectCode,
                  milestone: undone.milestoneName,
                }),
              ),
            );
          }
          const done = await completeMilestone(deps, { workspaceId, actor, milestoneId: match.milestoneId });
          const reply = buildMilestoneDoneReply({ ...done, locale });
          return await replyEphemeral(
            respond,
            done.warnings.length > 0
              ? buildTextReply(`${reply.text}\n${done.warnings.map(escapeMrkdwn).join("\n")}`)
              : reply,
          );
        }
      }
    } catch (error) {
      await replyEphemeral(respond, errorReply(error, deps, "/milestone", locale)).catch((e: unknown) =>
        deps.logger.warn({ err: e }, "could not reply to /milestone"),
      );
    }
  });
}
