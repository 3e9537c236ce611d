// `/cobro setup|link|about|help`. Setup opens its modal before touching the database (trigger_id: 3 s).

import type { App } from "@slack/bolt";
import { openPolicyModal } from "../collections/index.ts";
import { linkProjectChannel, loadDeclaracionResponsable, openPartyModal } from "../invoicing/index.ts";
import { openTimeEntryModal } from "../timesheets/index.ts";
import { chooseLanguage, openSetupModal } from "../workspace/index.ts";
import { buildAboutReply } from "./kit/about.ts";
import { slackText } from "./kit/blocks.ts";
import { COMMANDS } from "./kit/ids.ts";
import { parseCobroCommand } from "./kit/parse-command.ts";
import { buildHelpReply, buildTextReply, buildUsageReply } from "./kit/replies.ts";
import {
  actorOf,
  errorReply,
  type ListenerDeps,
  localeOf,
  readerLocale,
  responder,
  workspaceIdOf,
} from "./kit/support.ts";

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
