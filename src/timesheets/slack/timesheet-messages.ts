// Timesheet messages: the approval request DM, the decision DM, the reject modal, the App Home
// section of pending approvals and the billing cycle digest. Pure: model in, blocks out.
import { formatMoney } from "../../domain/money.ts";
import { formatHours } from "../../domain/timesheet-billing.ts";
import { calendarDate, DEFAULT_LOCALE, isLocale, type Locale, t } from "../../i18n/index.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  fields,
  header,
  LIMITS,
  type ModalView,
  modal,
  section,
  slackText,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, encodeInvoiceValue } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/say.ts";
import {
  encodeTimesheetRef,
  TIMESHEET_ACTIONS,
  TIMESHEET_CALLBACKS,
  TIMESHEET_FIELDS,
  type TimesheetRef,
} from "./timesheet-ids.ts";

export type TimesheetSummary = {
  timesheetId: string;
  version: number;
  status: "open" | "submitted" | "approved" | "rejected";
  personName: string;
  personEmail: string;
  projectCode: string;
  projectName: string;
  periodStart: string;
  periodEnd: string;
  days: { date: string; minutes: number }[];
  totalMinutes: number;
  billableMinutes: number;
  billableAmountMinor: number | null;
  currency: string;
  rejectionReason: string | null;
  decidedBy: string | null;
  locale: string;
};

export type SlackMessage = { text: string; blocks: Block[] };

const readerOf = (locale: string): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

const weekday = (date: string, locale = "en-GB") =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(locale === "en" ? "en-GB" : locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });

function summaryBlocks(s: TimesheetSummary): Block[] {
  const locale = readerOf(s.locale);
  const amount =
    s.billableAmountMinor === null
      ? t(locale, "timesheet.no_rate")
      : formatMoney({ amountMinor: s.billableAmountMinor, currency: s.currency }, locale);
  const week = t(locale, "timesheet.week", {
    start: calendarDate(s.periodStart),
    end: calendarDate(s.periodEnd),
  });
  return [
    section(
      `*${escapeMrkdwn(s.personName)}* · *${escapeMrkdwn(s.projectCode)}* ${escapeMrkdwn(s.projectName)}\n${week}`,
    ),
    fields(
      s.days
        .filter((d) => d.minutes > 0)
        .map((d) => `*${weekday(d.date, locale)}*\n${formatHours(d.minutes)}`),
    ),
    context(
      t(locale, "timesheet.total", {
        total: formatHours(s.totalMinutes),
        billable: formatHours(s.billableMinutes),
        amount,
      }),
    ),
  ];
}

export function buildApprovalRequest(s: TimesheetSummary, reminder = false): SlackMessage {
  const ref = encodeTimesheetRef({ timesheetId: s.timesheetId, version: s.version });
  const locale = readerOf(s.locale);
  const text = md(locale, "timesheet.request.text", {
    reminder: reminder ? "yes" : "no",
    person: s.personName,
    hours: formatHours(s.totalMinutes),
    project: s.projectCode,
    week: calendarDate(s.periodStart),
  });
  return {
    text,
    blocks: [
      header(t(locale, "timesheet.request.title", { reminder: reminder ? "yes" : "no" })),
      ...summaryBlocks(s),
      actions(
        [
          button(t(locale, "timesheet.button.approve"), TIMESHEET_ACTIONS.approve, ref, "primary"),
          button(t(locale, "timesheet.button.reject"), TIMESHEET_ACTIONS.reject, ref, "danger"),
        ],
        `timesheet_${s.timesheetId}`,
      ),
    ],
  };
}

/** What the approver's request becomes once decided (replaces the buttons). */
export function buildDecidedRequest(s: TimesheetSummary): SlackMessage {
  const verdict =
    s.status === "approved"
      ? `:white_check_mark: Approved${s.decidedBy ? ` by ${escapeMrkdwn(s.decidedBy)}` : ""}`
      : s.status === "rejected"
        ? `:x: Rejected${s.decidedBy ? ` by ${escapeMrkdwn(s.decidedBy)}` : ""}: ${escapeMrkdwn(s.rejectionReason ?? "")}`
        : `Now ${s.status}`;
  return {
    text: slackText`${s.personName}'s timesheet for ${s.projectCode}: ${s.status}`,
    blocks: [...summaryBlocks(s), section(verdict)],
  };
}

export function buildDecisionMessage(s: TimesheetSummary): SlackMessage {
  const approved = s.status === "approved";
  const text = approved
    ? slackText`Your timesheet for ${s.projectCode}, week of ${s.periodStart}, was approved.`
    : slackText`Your timesheet for ${s.projectCode}, week of ${s.periodStart}, was rejected: ${s.rejectionReason ?? ""}`;
  return {
    text,
    blocks: [
      section(approved ? `:white_check_mark: ${escapeMrkdwn(text)}` : `:x: ${escapeMrkdwn(text)}`),
      ...(approved ? [] : [context("Correct your entries with `/cobro time`, then submit the week again.")]),
    ],
  };
}

export function buildRejectModal(label: string, metadata: string): ModalView {
  return modal({
    callbackId: TIMESHEET_CALLBACKS.reject,
    title: "Reject timesheet",
    submit: "Reject",
    privateMetadata: metadata,
    blocks: [
      section(escapeMrkdwn(label)),
      {
        type: "input",
        block_id: TIMESHEET_FIELDS.reason.block,
        label: { type: "plain_text", text: "Why? (sent to the person)" },
        element: {
          type: "plain_text_input",
          action_id: TIMESHEET_FIELDS.reason.action,
          multiline: true,
          max_length: 500,
        },
      },
    ],
  });
}

/** App Home section: submitted timesheets waiting for this approver, approvable at once. */
export function buildPendingApprovalsSection(items: TimesheetSummary[], maxBlocks = 40): Block[] {
  if (items.length === 0) return [header("Timesheets to approve"), context("Nothing waiting for you.")];
  const refs: TimesheetRef[] = items.map((s) => ({ timesheetId: s.timesheetId, version: s.version }));
  // Every ref must fit in one button value; beyond that, approve the first ones that fit.
  const values: string[] = [];
  for (const ref of refs) {
    const next = [...values, encodeTimesheetRef(ref)].join(",");
    if (next.length > LIMITS.buttonValue) break;
    values.push(encodeTimesheetRef(ref));
  }
  const blocks: Block[] = [
    header(`Timesheets to approve (${items.length})`),
    actions([
      button(`Approve all (${values.length})`, TIMESHEET_ACTIONS.approveAll, values.join(","), "primary"),
    ]),
  ];
  for (const s of items) {
    const ref = encodeTimesheetRef({ timesheetId: s.timesheetId, version: s.version });
    blocks.push(
      section(
        `*${escapeMrkdwn(s.personName)}* · ${escapeMrkdwn(s.projectCode)} · ${s.periodStart} · ${formatHours(s.totalMinutes)}`,
        button("Approve", TIMESHEET_ACTIONS.approve, ref),
      ),
    );
  }
  return capBlocks(blocks, maxBlocks, (hidden) => `… and ${hidden} more: approve these first.`);
}

export type DigestDraft = {
  invoiceId: string;
  projectCode: string;
  clientName: string;
  minutes: number;
  totalMinor: number;
  currency: string;
};

export function buildBillingDigest(input: {
  asOf: string;
  cutoff: string;
  drafts: DigestDraft[];
  locale: string;
}): SlackMessage {
  const n = input.drafts.length;
  const ids = input.drafts.map((d) => d.invoiceId).join(",");
  const blocks: Block[] = [
    header(`Time & materials drafts (${n})`),
    context(`Approved, unbilled time up to ${input.cutoff} · cycle of ${input.asOf}`),
  ];
  if (ids.length <= LIMITS.buttonValue) {
    blocks.push(actions([button(`Issue & send all (${n})`, TIMESHEET_ACTIONS.issueAll, ids, "primary")]));
  } else {
    blocks.push(context(`Too many drafts for one button: issue them from the list below or with \`cobro\`.`));
  }
  blocks.push(divider());
  for (const d of input.drafts) {
    blocks.push(
      section(
        `*${escapeMrkdwn(d.projectCode)}* · ${escapeMrkdwn(d.clientName)}\n${formatHours(d.minutes)} · ${formatMoney({ amountMinor: d.totalMinor, currency: d.currency }, input.locale)}`,
        button("Issue & send", ACTIONS.issueAndSend, encodeInvoiceValue({ invoiceId: d.invoiceId })),
      ),
    );
  }
  return {
    text: `${n} time & materials draft invoice(s) are ready to issue.`,
    blocks: capBlocks(
      blocks,
      LIMITS.messageBlocks,
      (hidden) => `… and ${hidden} more drafts: see the App Home.`,
    ),
  };
}

/** `/cobro time`: log or correct one entry, and optionally submit its week. */
export function buildTimeEntryModal(input: {
  today: string;
  projects: { code: string; name: string }[];
  metadata: string;
}): ModalView {
  const text = (
    field: { block: string; action: string },
    label: string,
    initial?: string,
    multiline = false,
  ) =>
    ({
      type: "input",
      block_id: field.block,
      label: { type: "plain_text", text: label },
      element: {
        type: "plain_text_input",
        action_id: field.action,
        ...(initial ? { initial_value: initial } : {}),
        ...(multiline ? { multiline: true, max_length: 2000 } : {}),
      },
    }) as Block;
  const projectOptions = input.projects.slice(0, LIMITS.selectOptions).map((p) => ({
    text: { type: "plain_text" as const, text: `${p.code} · ${p.name}`.slice(0, LIMITS.optionText) },
    value: p.code,
  }));
  return modal({
    callbackId: TIMESHEET_CALLBACKS.log,
    title: "Log time",
    submit: "Save",
    privateMetadata: input.metadata,
    blocks: [
      {
        type: "input",
        block_id: TIMESHEET_FIELDS.project.block,
        label: { type: "plain_text", text: "Project" },
        element: projectOptions.length
          ? { type: "static_select", action_id: TIMESHEET_FIELDS.project.action, options: projectOptions }
          : { type: "plain_text_input", action_id: TIMESHEET_FIELDS.project.action },
      } as Block,
      {
        type: "input",
        block_id: TIMESHEET_FIELDS.date.block,
        label: { type: "plain_text", text: "Day" },
        element: { type: "datepicker", action_id: TIMESHEET_FIELDS.date.action, initial_date: input.today },
      } as Block,
      text(TIMESHEET_FIELDS.hours, "Hours (7.5 or 7:30)"),
      text(TIMESHEET_FIELDS.description, "What you did", undefined, true),
      {
        type: "input",
        optional: true,
        block_id: TIMESHEET_FIELDS.submitWeek.block,
        label: { type: "plain_text", text: "Options" },
        element: {
          type: "checkboxes",
          action_id: TIMESHEET_FIELDS.submitWeek.action,
          options: [
            { text: { type: "plain_text", text: "Non-billable" }, value: "non_billable" },
            { text: { type: "plain_text", text: "Submit this week for approval" }, value: "submit" },
          ],
        },
      } as Block,
      context(
        "Correcting an entry? Log the day again from the tool it came from, or ask your approver to reopen an approved week.",
      ),
    ],
  });
}
