// `/cobro help|setup|time|client|project|policy|link|language|about`: one handler that parses the
// text, and a table that gives each subcommand its one verb (modals open before any slow work).
import { openPolicyModal } from "../collections/index.ts";
import { linkProjectChannel, loadDeclaracionResponsable, openPartyModal } from "../invoicing/index.ts";
import { openTimeEntryModal } from "../timesheets/index.ts";
import { chooseLanguage, openSetupModal } from "../workspace/index.ts";
import { buildAboutReply } from "./kit/about.ts";
import { markup } from "./kit/blocks.ts";
import type { CommandArgs } from "./kit/handler.ts";
import { type CobroCommand, parseCobroCommand } from "./kit/parse-command.ts";
import { buildHelpReply, buildTextReply, buildUsageReply, errorReply, type Reply } from "./kit/replies.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  md,
  readerLocale,
  responder,
} from "./kit/support.ts";

type Verb = CobroCommand["verb"];
/** A subcommand: its reply, or null when it opened a modal instead. */
type Subcommand<V extends Verb> = (
  deps: ListenerDeps,
  args: CommandArgs,
  parsed: Extract<CobroCommand, { verb: V }>,
) => Promise<Reply | null>;

const modalOpened = () => null;

const SUBCOMMANDS: { [V in Verb]: Subcommand<V> } = {
  help: async (_deps, { context }) => buildHelpReply(await readerLocale(context)),
  invalid: async (_deps, _args, parsed) => buildUsageReply("cobro", parsed.problem),
  language: (deps, { command, context }, parsed) =>
    chooseLanguage(deps, context, command.user_id, parsed.language),
  about: async (deps, { context }) =>
    buildAboutReply(
      await loadDeclaracionResponsable(ctxOf(deps, context), { producer: deps.verifactuProducer }),
      await readerLocale(context),
    ),
  setup: (deps, { command, context, client }) =>
    openSetupModal(deps, client, {
      triggerId: command.trigger_id,
      userId: command.user_id,
      channelId: command.channel_id,
      context,
    }).then(modalOpened),
  time: (deps, { command, context, client }) =>
    openTimeEntryModal(deps, client, {
      triggerId: command.trigger_id,
      channelId: command.channel_id,
      context,
    }).then(modalOpened),
  client: (deps, { command, context, client }, parsed) =>
    openPartyModal(deps, client, { kind: "client", reference: parsed.reference, command, context }).then(
      modalOpened,
    ),
  project: (deps, { command, context, client }, parsed) =>
    openPartyModal(deps, client, { kind: "project", reference: parsed.reference, command, context }).then(
      modalOpened,
    ),
  policy: (deps, { command, context, client }, parsed) =>
    openPolicyModal(deps, client, {
      scope: parsed.scope,
      triggerId: command.trigger_id,
      context,
    }).then(modalOpened),
  link: async (deps, { command, context }, parsed) => {
    const linked = await linkProjectChannel(ctxOf(deps, context), {
      project: parsed.project,
      channelId: command.channel_id,
    });
    return linkedReply(linked, await readerLocale(context));
  },
};

function linkedReply(
  linked: {
    alreadyDone: boolean;
    projectCode: string;
    projectName: string;
    previousChannelId?: string | null;
  },
  locale: ReturnType<typeof localeOf>,
): Reply {
  const values = { project: linked.projectCode, name: linked.projectName };
  if (linked.alreadyDone) return buildTextReply(md(locale, "cobro.link.already", values));
  const before = linked.previousChannelId ? markup(`<#${linked.previousChannelId}>`) : "none";
  return buildTextReply(md(locale, "cobro.link.done", { ...values, before }));
}

function runSubcommand<V extends Verb>(
  deps: ListenerDeps,
  args: CommandArgs,
  parsed: Extract<CobroCommand, { verb: V }>,
): Promise<Reply | null> {
  const subcommand: Subcommand<V> = SUBCOMMANDS[parsed.verb];
  return subcommand(deps, args, parsed);
}

export async function cobroCommand(deps: ListenerDeps, args: CommandArgs) {
  const { ack, command, respond, context } = args;
  await ack();
  const parsed = parseCobroCommand(command.text ?? "", localeOf(context));
  const answer = responder(deps, respond);
  try {
    const reply = await runSubcommand(deps, args, parsed);
    if (reply) await answer.reply(reply);
  } catch (error) {
    // A first command's refusal is said in their Slack language too (asked once, then remembered).
    const locale = await readerLocale(context).catch(() => localeOf(context));
    await answer.reply(errorReply(error, deps, "/cobro", locale)).catch(logReplyFailure(deps, "/cobro"));
  }
}
