// Ephemeral replies to commands: help, lists, confirmations and refusals. Pure text and blocks.
import { isDomainError } from "../../domain/errors.ts";
import { formatMoney } from "../../domain/money.ts";
import { DEFAULT_LOCALE, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import {
  type Block,
  capBlocks,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Markup,
  markup,
  section,
  slackText,
  truncate,
} from "./blocks.ts";
import { type ListenerDeps, md, translatedUserMessage, userMessageOf } from "./support.ts";

export type Reply = { text: string; blocks?: Block[] };

/** A refusal: its message is prose that may quote what the user typed, so all of it is escaped. */
export function buildErrorReply(message: string | Markup): Reply {
  return { text: truncate(slackText`:warning: ${message}`, LIMITS.messageText) };
}

/** The ephemeral reply for an error: its words escaped, or kept when Cobro wrote them as mrkdwn (mentions). */
export function errorReply(
  error: unknown,
  deps: ListenerDeps,
  where: string,
  locale: Locale = DEFAULT_LOCALE,
): Reply {
  if (isDomainError(error) && error.mrkdwn)
    return buildErrorReply(markup(translatedUserMessage(error, locale) ?? error.userMessage));
  return buildErrorReply(userMessageOf(error, deps, where, locale));
}

export function buildTextReply(text: string): Reply {
  return { text: truncate(text, LIMITS.messageText) };
}

/** Usages stay as typed (keywords are the same in every language); what they do is in the catalogues. */
export const HELP_TEXT = {
  milestone: [
    ["`/milestone done <project> <milestone>`", "help.milestone.done"],
    ["`/milestone list [project]`", "help.milestone.list"],
    ['`/milestone add <project> "<name>" <amount> [YYYY-MM-DD]`', "help.milestone.add"],
    ["`/milestone undo <project> <milestone>`", "help.milestone.undo"],
  ],
  aging: [["`/aging [client | project | @collector] [as-of YYYY-MM-DD] [by issue]`", "help.aging"]],
  cobro: [
    ["`/cobro setup`", "help.cobro.setup"],
    ["`/cobro client <name>` · `/cobro project <code>`", "help.cobro.parties"],
    ["`/cobro policy client <name>|project <code>|business|public|individual`", "help.cobro.policy"],
    ["`/cobro link <project>`", "help.cobro.link"],
    ["`/cobro time`", "help.cobro.time"],
    ["`/cobro language es|fr|en|auto`", "help.cobro.language"],
    ["`/cobro about`", "help.cobro.about"],
    ["`/cobro help`", "help.cobro.help"],
  ],
} as const satisfies Record<string, readonly (readonly [string, MessageKey])[]>;

export function buildHelpReply(locale: Locale = DEFAULT_LOCALE): Reply {
  const lines = [...HELP_TEXT.milestone, ...HELP_TEXT.aging, ...HELP_TEXT.cobro].map(
    ([usage, key]) => [usage, t(locale, key)] as const,
  );
  const blocks: Block[] = [
    header(t(locale, "help.title")),
    ...lines.map(([usage, what]) => section(`${usage}\n${what}`)),
    context(t(locale, "help.footer")),
  ];
  return { text: lines.map(([usage, what]) => `${usage}: ${what}`).join("\n"), blocks };
}

export function buildUsageReply(command: "milestone" | "cobro", problem: string): Reply {
  const lines = HELP_TEXT[command];
  return {
    text: truncate(`:warning: ${problem}\n${lines.map(([usage]) => usage).join("\n")}`, LIMITS.messageText),
  };
}

export type MilestoneListModel = {
  scope: string;
  locale: Locale;
  items: {
    projectCode: string;
    name: string;
    amountMinor: number;
    currency: string;
    plannedDate: string | null;
    status: "planned" | "done" | "invoiced";
  }[];
};

const STATUS_ICON = {
  planned: ":white_circle:",
  done: ":large_green_circle:",
  invoiced: ":receipt:",
} as const;

/** The scopes list-milestones names in words (a project's scope is its code and name). */
const SCOPE_WORDS: Record<string, MessageKey> = {
  "your projects": "milestone.list.your_projects",
  "all projects": "milestone.list.all_projects",
};

export function buildMilestoneListReply(model: MilestoneListModel): Reply {
  const { locale } = model;
  const wordsKey = SCOPE_WORDS[model.scope];
  const scope = wordsKey ? t(locale, wordsKey) : model.scope;
  if (model.items.length === 0) return buildTextReply(md(locale, "milestone.list.empty", { scope }));
  const rows = model.items.map(
    (m) =>
      `${STATUS_ICON[m.status]} *${escapeMrkdwn(m.projectCode)}* ${escapeMrkdwn(m.name)} · ${formatMoney(
        { amountMinor: m.amountMinor, currency: m.currency },
        locale,
      )}${m.plannedDate ? ` · ${m.plannedDate}` : ""} · ${t(locale, "milestone.status", { status: m.status })}`,
  );
  // Several rows per section keep long lists within the 50-block message limit.
  const chunks: Block[] = [];
  let current: string[] = [];
  let length = 0;
  for (const row of rows) {
    if (current.length > 0 && length + row.length + 1 > LIMITS.sectionText - 10) {
      chunks.push(section(current.join("\n")));
      current = [];
      length = 0;
    }
    current.push(row);
    length += row.length + 1;
  }
  if (current.length > 0) chunks.push(section(current.join("\n")));
  const blocks = capBlocks(
    [header(t(locale, "milestone.list.title", { scope })), ...chunks],
    LIMITS.messageBlocks,
    (n) => t(locale, "milestone.list.more", { count: n }),
  );
  return {
    text: truncate(md(locale, "milestone.list.summary", { scope, count: rows.length }), LIMITS.messageText),
    blocks,
  };
}

export function buildMilestoneDoneReply(input: {
  alreadyDone: boolean;
  projectCode: string;
  milestoneName: string;
  amountMinor: number;
  currency: string;
  locale: Locale;
  autoIssued: boolean;
}): Reply {
  const values = {
    project: input.projectCode,
    milestone: input.milestoneName,
    amount: { amountMinor: input.amountMinor, currency: input.currency },
  };
  if (input.alreadyDone) return buildTextReply(md(input.locale, "milestone.done.already", values));
  return buildTextReply(
    md(input.locale, input.autoIssued ? "milestone.done.issued" : "milestone.done.draft", values),
  );
}
