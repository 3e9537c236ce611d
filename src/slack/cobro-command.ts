// `/cobro setup|link|about|help`. Setup opens its modal before touching the database (trigger_id: 3 s).

import type { App, webApi } from "@slack/bolt";
import { openPolicyModal } from "../collections/index.ts";
import { linkProjectChannel, loadDeclaracionResponsable, openPartyModal } from "../invoicing/index.ts";
import { openTimeEntryModal } from "../timesheets/index.ts";
import {
  buildLoadingModal,
  buildMessageModal,
  buildSetupModal,
  chooseLanguage,
  loadWorkspaceSettings,
} from "../workspace/index.ts";
import { buildAboutReply } from "./kit/about.ts";
import { slackText } from "./kit/blocks.ts";
import { COMMANDS, encodeModalMetadata } from "./kit/ids.ts";
import { parseCobroCommand } from "./kit/parse-command.ts";
import { buildHelpReply, buildTextReply, buildUsageReply } from "./kit/replies.ts";
import {
  actorOf,
  errorReply,
  type ListenerDeps,
  localeOf,
  readerLocale,
  responder,
  userMessageOf,
  workspaceIdOf,
} from "./kit/support.ts";

/** Opens the setup modal at once, then fills it (or explains the refusal in it). */
export async function openSetupModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { triggerId: string; userId: string; channelId?: string; context: Record<string, unknown> },
): Promise<void> {
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: buildLoadingModal("Cobro setup"),
  });
  const viewId = opened.view?.id;
  if (!viewId) return;
  try {
    const actor = await actorOf(deps, input.context, input.userId);
    const settings = await loadWorkspaceSettings(deps.db, {
      workspaceId: workspaceIdOf(input.context),
      actor,
    });
    await client.views.update({
      view_id: viewId,
      view: buildSetupModal(
        settings,
        encodeModalMetadata(input.channelId ? { channelId: input.channelId } : {}),
      ),
    });
  } catch (error) {
    await client.views.update({
      view_id: viewId,
      view: buildMessageModal("Cobro setup", `:no_entry: ${userMessageOf(error, deps, "setup")}`),
    });
  }
}

export function registerCobroCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.cobro, async ({ ack, command, respond, context, client }) => {
    await ack();
    const locale = localeOf(context);
    const parsed = parseCobroCommand(command.text ?? "", locale);
    try {
      switch (parsed.verb) {
        case "help":
          return await responder(deps, respond).reply(buildHelpReply(await readerLocale(context)));
        case "language":
          return await responder(deps, respond).reply(
            await chooseLanguage(deps, context, command.user_id, parsed.language),
          );
        case "invalid":
          return await responder(deps, respond).reply(buildUsageReply("cobro", parsed.problem));
        case "about":
          return await responder(deps, respond).reply(
            buildAboutReply(
              await loadDeclaracionResponsable(deps, {
                workspaceId: workspaceIdOf(context),
                producer: deps.verifactuProducer,
              }),
            ),
          );
        case "setup":
          return await openSetupModal(deps, client, {
            triggerId: command.trigger_id,
            userId: command.user_id,
            channelId: command.channel_id,
            context,
          });
        case "time":
          return await openTimeEntryModal(deps, client, {
            triggerId: command.trigger_id,
            channelId: command.channel_id,
            context,
          });
        case "client":
        case "project":
          return await openPartyModal(deps, client, {
            kind: parsed.verb,
            reference: parsed.reference,
            triggerId: command.trigger_id,
            userId: command.user_id,
            context,
          });
        case "policy":
          return await openPolicyModal(deps, client, {
            scope: parsed.scope,
            triggerId: command.trigger_id,
            userId: command.user_id,
            context,
          });
        case "link": {
          const actor = await actorOf(deps, context, command.user_id);
          const linked = await linkProjectChannel(deps, {
            workspaceId: workspaceIdOf(context),
            actor,
            project: parsed.project,
            channelId: command.channel_id,
          });
          return await responder(deps, respond).reply(
            buildTextReply(
              linked.alreadyDone
                ? slackText`This channel is already linked to *${linked.projectCode} · ${linked.projectName}*.`
                : `${slackText`:link: This channel is now linked to *${linked.projectCode} · ${linked.projectName}*`}: its milestone invoices will be posted here.${
                    linked.previousChannelId ? ` (It was <#${linked.previousChannelId}> before.)` : ""
                  }`,
            ),
          );
        }
      }
    } catch (error) {
      await responder(deps, respond)
        .reply(errorReply(error, deps, "/cobro", localeOf(context)))
        .catch((e: unknown) => deps.logger.warn({ err: e }, "could not reply to /cobro"));
    }
  });
}
