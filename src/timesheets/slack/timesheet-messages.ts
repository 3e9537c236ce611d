// Timesheet messages in the reader's language: the approval request DM (its days as a table), the
// decision DM, the reject modal, the App Home section of pending approvals and the billing cycle
// digest. Pure: model and locale in, blocks out.
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
  header,
  LIMITS,
  markup,
  section,
  truncate,
} from "../../slack/kit/blocks.ts";
import {
  ACTIONS,
  encodeInvoiceValue,
  encodeTimesheetRef,
  TIMESHEET_ACTIONS,
  type TimesheetRef,
} from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";

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
  /** The workspace's language (the loader's); views take the reader's as an argument. */
  locale: string;
};

export type SlackMessage = { text: string; blocks: Block[] };

/** A locale a view was given ("es", or anything else: English). */
export const readerOf = (locale: string): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

const weekday = (date: string, locale: Locale) =>
  calendarDate(date).toLocaleDateString(locale === "en" ? "en-GB" : locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });

type TableCell = { type: "raw_text"; text: string };
const cell = (text: string): TableCell => ({ type: "raw_text", text: truncate(text || " ", 200) });

/** The worked days and the total as a table block (a week has at most 7 rows, within Slack's 100). */
function daysTable(s: TimesheetSummary, locale: Locale): Block {
  const worked = s.days.filter((d) => d.minutes > 0);
  return {
    type: "table",
    column_settings: [{ align: "left" }, { align: "right" }],
    rows: [
      [cell(t(locale, "timesheets.table.day")), cell(t(locale, "timesheets.table.hours"))],
      ...worked.map((d) => [cell(weekday(d.date, locale)), cell(formatHours(d.minutes))]),
      [cell(t(locale, "timesheets.table.total")), cell(formatHours(s.totalMinutes))],
    ],
  } as Block;
}

function amountOf(s: TimesheetSummary, locale: Locale): string {
  return s.billableAmountMinor === null
    ? t(locale, "timesheets.no_rate")
    : formatMoney({ amountMinor: s.billableAmountMinor, currency: s.currency }, locale);
}

/** Who, which project and week, the days (a table: messages take them), the total and its amount. */
function summaryBlocks(s: TimesheetSummary, locale: Locale): Block[] {
  const week = { start: calendarDate(s.periodStart), end: calendarDate(s.periodEnd) };
  return [
    section(
      md(locale, "timesheets.summary.who", {
        person: s.personName,
        project: s.projectCode,
        name: s.projectName,
        week: markup(t(locale, "timesheets.week", week)),
      }),
    ),
    daysTable(s, locale),
    context(
      t(locale, "timesheets.total", {
        total: formatHours(s.totalMinutes),
        billable: formatHours(s.billableMinutes),
        amount: amountOf(s, locale),
      }),
    ),
  ];
}

/** The request (or its reminder) to the approver, in the approver's language. */
export function buildApprovalRequest(s: TimesheetSummary, locale: Locale, reminder = false): SlackMessage {
  const ref = encodeTimesheetRef({ timesheetId: s.timesheetId, version: s.version });
  const values = {
    reminder: reminder ? "yes" : "no",
    person: s.personName,
    hours: formatHours(s.totalMinutes),
    project: s.projectCode,
    week: calendarDate(s.periodStart),
  };
  return {
    text: md(locale, "timesheets.request.text", values),
    blocks: [
      header(t(locale, "timesheets.request.title", { reminder: values.reminder })),
      ...summaryBlocks(s, locale),
      actions(
        [
          button(t(locale, "timesheets.button.approve"), TIMESHEET_ACTIONS.approve, ref, "primary"),
          button(t(locale, "timesheets.button.reject"), TIMESHEET_ACTIONS.reject, ref, "danger"),
        ],
        `timesheet_${s.timesheetId}`,
      ),
    ],
  };
}

/** What the approver's request becomes once decided (replaces the buttons), in the approver's language. */
export function buildDecidedRequest(s: TimesheetSummary, locale: Locale): SlackMessage {
  const by = s.decidedBy ?? t(locale, "timesheets.decided.someone");
  const verdict =
    s.status === "approved"
      ? md(locale, "timesheets.decided.approved", { by })
      : s.status === "rejected"
        ? md(locale, "timesheets.decided.rejected", { by, reason: s.rejectionReason ?? "" })
        : t(locale, "timesheets.decided.status", { status: s.status });
  return {
    text: md(locale, "timesheets.decided.text", {
      person: s.personName,
      project: s.projectCode,
      status: s.status,
    }),
    blocks: [...summaryBlocks(s, locale), section(verdict)],
  };
}

/** The decision DM to the person whose time it is, in their language (a rejection says why). */
export function buildDecisionMessage(s: TimesheetSummary, locale: Locale): SlackMessage {
  const approved = s.status === "approved";
  const values = {
    project: s.projectCode,
    week: calendarDate(s.periodStart),
    reason: s.rejectionReason ?? "",
  };
  const text = approved
    ? md(locale, "timesheets.decision.approved", values)
    : md(locale, "timesheets.decision.rejected", values);
  return {
    text,
    blocks: [
      section(`${approved ? ":white_check_mark:" : ":x:"} ${text}`),
      ...(approved ? [] : [context(t(locale, "timesheets.decision.fix"))]),
    ],
  };
}

/** App Home section: submitted timesheets waiting for this approver, approvable at once (text: no tables there). */
export function buildPendingApprovalsSection(
  items: TimesheetSummary[],
  maxBlocks = 40,
  language: string = DEFAULT_LOCALE,
): Block[] {
  const locale = readerOf(language);
  const title = t(locale, "timesheets.pending.title", { count: items.length });
  if (items.length === 0) return [header(title), context(t(locale, "timesheets.pending.none"))];
  const refs: TimesheetRef[] = items.map((s) => ({ timesheetId: s.timesheetId, version: s.version }));
  // Every ref must fit in one button value; beyond that, approve the first ones that fit.
  const values: string[] = [];
  for (const ref of refs) {
    const next = [...values, encodeTimesheetRef(ref)].join(",");
    if (next.length > LIMITS.buttonValue) break;
    values.push(encodeTimesheetRef(ref));
  }
  const approveAll = t(locale, "timesheets.pending.approve_all", { count: values.length });
  const blocks: Block[] = [
    header(title),
    actions([button(approveAll, TIMESHEET_ACTIONS.approveAll, values.join(","), "primary")]),
  ];
  for (const s of items) {
    const ref = encodeTimesheetRef({ timesheetId: s.timesheetId, version: s.version });
    const line = md(locale, "timesheets.pending.line", {
      person: s.personName,
      project: s.projectCode,
      week: calendarDate(s.periodStart),
      hours: formatHours(s.totalMinutes),
    });
    blocks.push(
      section(line, button(t(locale, "timesheets.button.approve"), TIMESHEET_ACTIONS.approve, ref)),
    );
  }
  return capBlocks(blocks, maxBlocks, (hidden) => t(locale, "timesheets.pending.more", { count: hidden }));
}

export type DigestDraft = {
  invoiceId: string;
  projectCode: string;
  clientName: string;
  minutes: number;
  totalMinor: number;
  currency: string;
};

/** The billing cycle's drafts in the billing channel, in the workspace's language. */
export function buildBillingDigest(input: {
  asOf: string;
  cutoff: string;
  drafts: DigestDraft[];
  locale: Locale;
}): SlackMessage {
  const { locale } = input;
  const count = input.drafts.length;
  const ids = input.drafts.map((d) => d.invoiceId).join(",");
  const blocks: Block[] = [
    header(t(locale, "timesheets.digest.title", { count })),
    context(
      t(locale, "timesheets.digest.cutoff", {
        cutoff: calendarDate(input.cutoff),
        asOf: calendarDate(input.asOf),
      }),
    ),
  ];
  if (ids.length <= LIMITS.buttonValue) {
    const all = t(locale, "timesheets.digest.issue_all", { count });
    blocks.push(actions([button(all, TIMESHEET_ACTIONS.issueAll, ids, "primary")]));
  } else {
    blocks.push(context(t(locale, "timesheets.digest.too_many")));
  }
  blocks.push(divider());
  for (const d of input.drafts) {
    const line = md(locale, "timesheets.digest.line", {
      project: d.projectCode,
      client: d.clientName,
      hours: formatHours(d.minutes),
      amount: { amountMinor: d.totalMinor, currency: d.currency },
    });
    const issue = t(locale, "timesheets.digest.issue");
    blocks.push(
      section(line, button(issue, ACTIONS.issueAndSend, encodeInvoiceValue({ invoiceId: d.invoiceId }))),
    );
  }
  return {
    text: t(locale, "timesheets.digest.text", { count }),
    blocks: capBlocks(blocks, LIMITS.messageBlocks, (hidden) =>
      t(locale, "timesheets.digest.more", { count: hidden }),
    ),
  };
}
