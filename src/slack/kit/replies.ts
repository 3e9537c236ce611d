// Ephemeral replies to commands: help, lists, confirmations and refusals. Pure text and blocks.
import { formatMoney } from "../../domain/money.ts";
import {
  type Block,
  capBlocks,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Markup,
  section,
  slackText,
  truncate,
} from "./blocks.ts";

export type Reply = { text: string; blocks?: Block[] };

/** A refusal: its message is prose that may quote what the user typed, so all of it is escaped. */
export function buildErrorReply(message: string | Markup): Reply {
  return { text: truncate(slackText`:warning: ${message}`, LIMITS.messageText) };
}

export function buildTextReply(text: string): Reply {
  return { text: truncate(text, LIMITS.messageText) };
}

export const HELP_TEXT = {
  milestone: [
    [
      "`/milestone done <project> <milestone>`",
      "Mark a milestone done: a draft invoice goes to billing (or is issued at once if your admin chose so). Project by code or the start of its name; leave things out and Cobro asks.",
    ],
    ["`/milestone list [project]`", "Milestones of your projects, or of one project, with their status."],
    [
      '`/milestone add <project> "<name>" <amount> [YYYY-MM-DD]`',
      "Plan a milestone on a project (PM of the project, billing or admin).",
    ],
    [
      "`/milestone undo <project> <milestone>`",
      "Undo a milestone marked done by mistake, as long as its invoice is not issued.",
    ],
  ],
  aging: [["`/aging [30|60|90]`", "Accounts-receivable aging: what is owed, by how late."]],
  cobro: [
    [
      "`/cobro setup`",
      "Admins: channels, region, seller identity on invoices, auto-issue, and who has which role.",
    ],
    [
      "`/cobro client <name>` · `/cobro project <code>`",
      "Billing: see a client's or a project's details and complete them (address, ids, PO, IRPF, collector, PM, approver, rate).",
    ],
    [
      "`/cobro policy client <name>|project <code>|business|public|individual`",
      "Collectors, billing: the reminder policy in force and where it comes from; edit it for that client, project or profile.",
    ],
    [
      "`/cobro link <project>`",
      "Link the channel you are in to a project: its milestone invoices are posted here too.",
    ],
    ["`/cobro time`", "Log your hours on a project and submit the week for approval."],
    [
      "`/cobro about`",
      "What Cobro is as a Spanish invoicing system: its declaración responsable (VERI*FACTU), for this version.",
    ],
    ["`/cobro help`", "This help."],
  ],
} as const;

export function buildHelpReply(): Reply {
  const lines = [...HELP_TEXT.milestone, ...HELP_TEXT.aging, ...HELP_TEXT.cobro];
  const blocks: Block[] = [
    header("Cobro commands"),
    ...lines.map(([usage, what]) => section(`${usage}\n${what}`)),
    context(
      "Buttons on invoice messages: *Issue & send* and *Hold* need the billing role. The App Home shows what needs you.",
    ),
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
  locale: string;
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

export function buildMilestoneListReply(model: MilestoneListModel): Reply {
  if (model.items.length === 0) {
    return buildTextReply(
      `No milestones on ${model.scope}. Add one with \`/milestone add <project> "<name>" <amount>\`.`,
    );
  }
  const rows = model.items.map(
    (m) =>
      `${STATUS_ICON[m.status]} *${escapeMrkdwn(m.projectCode)}* ${escapeMrkdwn(m.name)} · ${formatMoney(
        { amountMinor: m.amountMinor, currency: m.currency },
        model.locale,
      )}${m.plannedDate ? ` · ${m.plannedDate}` : ""} · ${m.status}`,
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
    [header(`Milestones · ${model.scope}`), ...chunks],
    LIMITS.messageBlocks,
    (n) => `${n} more sections not shown: narrow with \`/milestone list <project>\`.`,
  );
  return { text: truncate(`Milestones of ${model.scope}: ${rows.length}`, LIMITS.messageText), blocks };
}

export function buildMilestoneDoneReply(input: {
  alreadyDone: boolean;
  projectCode: string;
  milestoneName: string;
  amountMinor: number;
  currency: string;
  locale: string;
  autoIssued: boolean;
}): Reply {
  const amount = formatMoney({ amountMinor: input.amountMinor, currency: input.currency }, input.locale);
  const name = `*${escapeMrkdwn(input.projectCode)} · ${escapeMrkdwn(input.milestoneName)}*`;
  if (input.alreadyDone) return buildTextReply(`${name} was already marked done: nothing changed.`);
  const next = input.autoIssued
    ? "its invoice was issued and is being e-mailed."
    : "a draft invoice is waiting for billing in the billing channel.";
  return buildTextReply(`:white_check_mark: ${name} is done (${amount}); ${next}`);
}
