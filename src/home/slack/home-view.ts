// The App Home tab: what needs this user now, in their language. Each section has its own block
// budget so that all of them show, within Slack's 100 blocks, whatever the data.

import { buildAgingHomeSection } from "../../aging/index.ts";
import { collectionButtons, type InvoiceLine } from "../../collections/index.ts";
import type { AgingReport } from "../../domain/aging.ts";
import type { VerifactuWarning } from "../../domain/verifactu-backlog.ts";
import { CATALOGUES, calendarDate, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import { verifactuWarningLine } from "../../invoicing/index.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  type HomeView,
  header,
  LIMITS,
  section,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, encodeInvoiceValue, encodeMilestoneValue } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import { buildPendingApprovalsSection, type TimesheetSummary } from "../../timesheets/index.ts";

/** Why an overdue invoice is not nagged about: shown beside it. */
export type HomeNote =
  | { kind: "disputed" }
  | { kind: "paused"; until: string }
  | { kind: "promised"; on: string };

/** An overdue invoice in the Home: a digest line, with whether the user is its collector. */
export type HomeCollectionItem = Omit<InvoiceLine, "note"> & { asCollector: boolean; note: HomeNote | null };

/** Admins: what waits to go out, how long the oldest has waited, recent failures with their reason. */
export type HomeDeliveries = {
  waiting: number;
  oldestMinutes: number;
  unknown: number;
  /** `slackError`: the Slack error code the stored (English) reason was written for, said in the reader's language. */
  failures: { reason: string; count: number; slackError?: string | null }[];
  failureDays: number;
};

export type HomeModel = {
  /** The viewer's language. */
  locale: Locale;
  isAdmin: boolean;
  roles: string[];
  milestonesDue: {
    id: string;
    projectCode: string;
    name: string;
    amountMinor: number;
    currency: string;
    plannedDate: string | null;
    overdue: boolean;
  }[];
  draftsToIssue: {
    invoiceId: string;
    clientName: string;
    /** The project's name; null for an invoice without project. */
    label: string | null;
    totalMinor: number;
    currency: string;
    status: "draft" | "held";
  }[];
  /** null: the user approves nothing, no section. */
  pendingApprovals?: TimesheetSummary[] | null;
  collections?: { items: HomeCollectionItem[]; total: number } | null;
  aging?: AgingReport | null;
  /** Admins: VERI*FACTU warnings (records not sent or refused, certificate expiring). */
  verifactuWarnings?: VerifactuWarning[];
  deliveries?: HomeDeliveries | null;
  /** Sections contributed by other areas, already built. */
  extraSections?: { title: string; blocks: Block[] }[];
};

/** Items per list (blocks: milestones 1 each, drafts and overdue invoices 2 each, approvals 1). */
const MILESTONES_SHOWN = 10;
const DRAFTS_SHOWN = 8;
const OVERDUE_SHOWN = 8;
const APPROVAL_BLOCKS = 12;
const EXTRA_BLOCKS = 10;

const ROLE_KEYS = {
  admin: "home.role.admin",
  billing: "home.role.billing",
  collector: "home.role.collector",
  approver: "home.role.approver",
  pm: "home.role.pm",
} as const;

function rolesLine(locale: Locale, roles: string[]): string {
  if (roles.length === 0) return t(locale, "home.roles.none");
  const names = roles.map((r) => (r in ROLE_KEYS ? t(locale, ROLE_KEYS[r as keyof typeof ROLE_KEYS]) : r));
  return t(locale, "home.roles", { roles: new Intl.ListFormat(locale).format(names) });
}

function milestoneBlocks(model: HomeModel): Block[] {
  const { locale } = model;
  const blocks: Block[] = [divider(), header(t(locale, "home.milestones.title"))];
  if (model.milestonesDue.length === 0) blocks.push(context(t(locale, "home.milestones.none")));
  for (const m of model.milestonesDue.slice(0, MILESTONES_SHOWN)) {
    const amount = { amountMinor: m.amountMinor, currency: m.currency };
    const line = m.plannedDate
      ? md(locale, m.overdue ? "home.milestone.was_due" : "home.milestone.due", {
          project: m.projectCode,
          milestone: m.name,
          amount,
          date: calendarDate(m.plannedDate),
        })
      : md(locale, "home.milestone.no_date", { project: m.projectCode, milestone: m.name, amount });
    const value = encodeMilestoneValue({ milestoneId: m.id });
    blocks.push(
      section(
        line,
        button(t(locale, "home.milestone.mark_done"), ACTIONS.markMilestoneDone, value, "primary"),
      ),
    );
  }
  const hidden = model.milestonesDue.length - MILESTONES_SHOWN;
  if (hidden > 0) blocks.push(context(t(locale, "home.milestones.more", { count: hidden })));
  return blocks;
}

function draftBlocks(model: HomeModel): Block[] {
  const { locale } = model;
  if (model.draftsToIssue.length === 0 && !model.roles.includes("billing")) return [];
  const blocks: Block[] = [divider(), header(t(locale, "home.drafts.title"))];
  if (model.draftsToIssue.length === 0) blocks.push(context(t(locale, "home.drafts.none")));
  for (const d of model.draftsToIssue.slice(0, DRAFTS_SHOWN)) {
    const value = encodeInvoiceValue({ invoiceId: d.invoiceId });
    const values = {
      client: d.clientName,
      label: d.label ?? t(locale, "home.draft.no_project"),
      amount: { amountMinor: d.totalMinor, currency: d.currency },
      status: d.status,
    };
    blocks.push(
      section(md(locale, "home.draft.line", values)),
      actions([
        button(t(locale, "home.draft.issue"), ACTIONS.issueAndSend, value, "primary"),
        button(t(locale, "home.draft.edit"), ACTIONS.editDraft, value),
      ]),
    );
  }
  const hidden = model.draftsToIssue.length - DRAFTS_SHOWN;
  if (hidden > 0) blocks.push(context(t(locale, "home.drafts.more", { count: hidden })));
  return blocks;
}

function noteText(locale: Locale, note: HomeNote): string {
  if (note.kind === "disputed") return t(locale, "collections.note.disputed");
  if (note.kind === "paused")
    return t(locale, "collections.note.paused_until", { date: calendarDate(note.until) });
  return t(locale, "home.collection.promised", { date: calendarDate(note.on) });
}

function collectionBlocks(model: HomeModel): Block[] {
  if (!model.collections) return [];
  const { locale } = model;
  const { items, total } = model.collections;
  const blocks: Block[] = [divider(), header(t(locale, "home.collections.title", { count: total }))];
  if (items.length === 0) blocks.push(context(t(locale, "home.collections.none")));
  for (const item of items.slice(0, OVERDUE_SHOWN)) {
    const names = { number: item.number, client: item.clientName, project: item.projectName ?? "" };
    const detail = t(locale, "home.collection.detail", {
      amount: { amountMinor: item.openMinor, currency: item.currency },
      days: item.daysPastDue,
      due: calendarDate(item.dueDate),
      why: item.asCollector ? "collector" : "pm",
    });
    const note = item.note ? ` · _${noteText(locale, item.note)}_` : "";
    const title = md(
      locale,
      item.projectName ? "home.collection.title_project" : "home.collection.title",
      names,
    );
    const line = `${title}
${detail}${note}`;
    blocks.push(
      section(line),
      actions(collectionButtons(item.invoiceId, locale), `home_collection:${item.invoiceId}`),
    );
  }
  const hidden = total - Math.min(items.length, OVERDUE_SHOWN);
  if (hidden > 0) blocks.push(context(t(locale, "home.collections.more", { count: hidden })));
  return blocks;
}

function deliveryLines(locale: Locale, d: HomeDeliveries): string[] {
  const minutes = d.oldestMinutes;
  const age =
    minutes < 120
      ? t(locale, "home.age.minutes", { count: minutes })
      : minutes < 48 * 60
        ? t(locale, "home.age.hours", { count: Math.floor(minutes / 60) })
        : t(locale, "home.age.days", { count: Math.floor(minutes / 1440) });
  const lines = [
    d.waiting === 0
      ? t(locale, "home.deliveries.none")
      : t(locale, "home.deliveries.waiting", { count: d.waiting, age }),
  ];
  if (d.unknown > 0) lines.push(t(locale, "home.deliveries.unknown", { count: d.unknown }));
  for (const f of d.failures) {
    lines.push(
      md(locale, "home.deliveries.failed", {
        days: d.failureDays,
        count: f.count,
        reason: failureReason(f, locale),
      }),
    );
  }
  return lines;
}

function failureReason(f: { reason: string; slackError?: string | null }, locale: Locale): string {
  const key = `home.failure.slack.${f.slackError}`;
  return f.slackError && key in CATALOGUES.en ? t(locale, key as MessageKey) : f.reason;
}

export function buildHomeView(model: HomeModel): HomeView {
  const { locale } = model;
  const blocks: Block[] = [header(t(locale, "home.title")), context(rolesLine(locale, model.roles))];
  // First: the AEAT must get every record, and the warning stays until it has (Orden art. 16.4).
  if (model.verifactuWarnings && model.verifactuWarnings.length > 0) {
    const lines = model.verifactuWarnings
      .slice(0, 3)
      .map((w) => section(`:warning: ${verifactuWarningLine(locale, w)}`));
    blocks.push(divider(), header(t(locale, "invoicing.verifactu_warning.title")), ...lines);
  }
  blocks.push(...milestoneBlocks(model), ...draftBlocks(model));
  if (model.pendingApprovals) {
    blocks.push(divider(), ...buildPendingApprovalsSection(model.pendingApprovals, APPROVAL_BLOCKS, locale));
  }
  blocks.push(...collectionBlocks(model));
  if (model.aging) {
    const aging = buildAgingHomeSection(model.aging, locale);
    blocks.push(divider(), header(aging.title), ...aging.blocks.slice(0, 3));
  }
  for (const extra of model.extraSections ?? []) {
    blocks.push(divider(), header(extra.title), ...extra.blocks.slice(0, EXTRA_BLOCKS));
  }
  if (model.isAdmin && model.deliveries) {
    const lines = deliveryLines(locale, model.deliveries);
    blocks.push(divider(), header(t(locale, "home.deliveries.title")), section(lines.join("\n")));
  }
  if (model.isAdmin) {
    const open = button(t(locale, "home.settings.open"), ACTIONS.openSetup, "setup");
    blocks.push(divider(), header(t(locale, "home.settings.title")), actions([open]));
  }
  const more = (count: number) => t(locale, "home.more_blocks", { count });
  return { type: "home", blocks: capBlocks(blocks, LIMITS.viewBlocks, more) };
}
