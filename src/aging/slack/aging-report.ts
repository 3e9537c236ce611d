// /aging in Slack: the request that `/aging`'s text or a button's state asks for, and the views of
// what the services answer: the report message, its shared copy, the bucket drill-down and the App
// Home summary, in the reader's language (the shared copy in the workspace's). Pure: request and
// report model in, blocks out, every Block Kit limit held whatever the data and the language.
import type { types } from "@slack/bolt";
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import type { AgingReport, ClientAging } from "../../domain/aging.ts";
import { isCalendarDate } from "../../domain/calendar.ts";
import { formatMoney } from "../../domain/money.ts";
import { calendarDate, DEFAULT_LOCALE, isLocale, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  header,
  LIMITS,
  option,
  type PlainOption,
  plain,
  rowCost,
  section,
  TABLE_LIMITS,
  type TableCell,
  tableBlock,
  textCell,
  truncate,
} from "../../slack/kit/blocks.ts";
import {
  AGING_ACTIONS,
  type AgingState,
  encodeAgingMenuValue,
  encodeAgingState,
} from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import type { AgingReportResult, AgingRequest } from "../build-aging-report.ts";
import type { AgingInvoicesPage } from "../list-aging-invoices.ts";

export type AgingLabels = { client?: string; project?: string; collector?: string; currency?: string };
export type AgingChoice = { id: string; label: string };

export type AgingMessageModel = {
  report: AgingReport;
  state: AgingState;
  labels: AgingLabels;
  /** Collectors for the filter select (the first ones are shown, with a note when cut). */
  collectors: AgingChoice[];
  collectorsTruncated?: boolean;
  /** A PM's report: only the projects they manage. */
  ownProjectsOnly?: boolean;
  locale: Locale;
};

export type SlackMessage = { text: string; blocks: Block[] };

export const TOP_DEBTORS = 10;
/** Static selects are cut well below Slack's 100 options to keep the message small. */
export const STATIC_SELECT_MAX = 10;
/** Slack refuses messages with much more than ~13k characters of blocks (bolt-js#2509). */
export const MESSAGE_CHAR_BUDGET = 11_500;
const MAX_CURRENCY_ROWS = 8;

/**
 * Cuts to `max` UTF-16 units (what JSON and Slack's counters see; an emoji is 2), by whole code
 * points, ending with an ellipsis when cut.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const money = (amountMinor: number, currency: string, locale: Locale) =>
  formatMoney({ amountMinor, currency }, locale);

/** A bucket's name: "current" in the reader's words, the day ranges ("1-30", "90+") as they are. */
export function bucketName(label: string, locale: Locale): string {
  return label === "current" ? t(locale, "aging.bucket.current") : label;
}

/** Says whose projects a PM's report covers: "you" in their own copy, a mention in a shared one. */
function ownProjectsPart(ownProjectsOnly: boolean | undefined, locale: Locale, manager?: string): string[] {
  if (!ownProjectsOnly) return [];
  return [
    manager ? t(locale, "aging.scope.own_projects_of", { manager }) : t(locale, "aging.scope.own_projects"),
  ];
}

const SCOPE_LABELS: [keyof AgingLabels, MessageKey][] = [
  ["client", "aging.scope.client"],
  ["project", "aging.scope.project"],
  ["collector", "aging.scope.collector"],
  ["currency", "aging.scope.currency"],
];

function scopeLine(
  report: { asOf: string; basis: "due" | "issue"; baseCurrency?: string },
  labels: AgingLabels,
  locale: Locale,
  limitedTo: string[] = [],
): string {
  const parts = [
    md(locale, "aging.scope.as_of", { asOf: calendarDate(report.asOf) }),
    t(locale, "aging.scope.basis", { basis: report.basis }),
    ...limitedTo,
  ];
  if (report.baseCurrency)
    parts.push(md(locale, "aging.scope.base_currency", { currency: report.baseCurrency }));
  for (const [label, key] of SCOPE_LABELS) {
    const name = labels[label];
    if (name) parts.push(md(locale, key, { name }));
  }
  return truncate(parts.join(" · "), 1000);
}

/** The warning under the totals when some currencies have no rate to the base currency. */
function notConvertedNote(report: AgingReport, locale: Locale): string {
  return md(locale, "aging.note.not_converted", {
    base: report.baseCurrency,
    currencies: report.base.notConverted.join(", "),
  });
}

const moreCurrenciesNote = (count: number, locale: Locale) =>
  t(locale, "aging.note.more_currencies", { count });

/** The bucket table as a monospace block: one row per currency, then the base-currency total. */
export function bucketTable(report: AgingReport, locale: Locale): string {
  const currencies = Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return t(locale, "aging.empty");
  const rows: string[][] = [["", ...headNames(report, locale)]];
  for (const [currency, totals] of currencies.slice(0, MAX_CURRENCY_ROWS)) {
    rows.push([currency, ...[...totals.buckets, totals.total].map((a) => money(a, currency, locale))]);
  }
  const showBase = currencies.length > 1 || currencies[0]?.[0] !== report.baseCurrency;
  if (showBase) {
    rows.push([
      `Σ ${report.baseCurrency}`,
      ...[...report.base.buckets, report.base.total].map((a) => money(a, report.baseCurrency, locale)),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
  );
  let text = `\`\`\`${lines.join("\n")}\`\`\``;
  if (currencies.length > MAX_CURRENCY_ROWS) {
    text += `\n${moreCurrenciesNote(currencies.length - MAX_CURRENCY_ROWS, locale)}`;
  }
  if (showBase && report.base.notConverted.length > 0) text += `\n${notConvertedNote(report, locale)}`;
  // A very wide table (many edges) is cut rather than refused.
  return truncate(text, LIMITS.sectionText);
}

/** The bucket names and "total", as the table's and the CSV's column heads. */
export function headNames(report: { buckets: readonly string[] }, locale: Locale): string[] {
  return [...report.buckets.map((b) => bucketName(b, locale)), t(locale, "aging.bucket.total")];
}

// Amounts as formatted text, right-aligned by the column settings: a raw_number cell would repeat
// the value (~25 characters more a cell, two debtors fewer within the message's budget).
const moneyCell = (amountMinor: number, currency: string, locale: Locale): TableCell =>
  textCell(money(amountMinor, currency, locale));

/**
 * The bucket totals as a table block: one row per currency, then the base-currency total, and (the
 * shared copy) the top debtors with their buckets, as many rows as fit in `maxChars` of JSON (a
 * table cell costs ~70 characters against the message's budget). The monospace bucketTable stays
 * the text for surfaces without tables (App Home, modals) and for notifications.
 */
export function bucketTableBlock(
  report: AgingReport,
  locale: Locale,
  maxChars: number,
  debtors: readonly ClientAging[] = [],
): { block: Block; currenciesLeftOut: number; debtorsShown: number } | undefined {
  const currencies = Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return undefined;
  const width = Math.min(report.buckets.length + 2, TABLE_LIMITS.cells);
  const row = (label: string, amounts: number[], currency: string) =>
    [textCell(label), ...amounts.map((a) => moneyCell(a, currency, locale))].slice(0, width);
  const head = [textCell(" "), ...headNames(report, locale).map(textCell)].slice(0, width);
  const showBase = currencies.length > 1 || currencies[0]?.[0] !== report.baseCurrency;
  const baseRow = showBase
    ? [row(`Σ ${report.baseCurrency}`, [...report.base.buckets, report.base.total], report.baseCurrency)]
    : [];
  const cost = (r: TableCell[]) => JSON.stringify(r).length + 1;
  let budget = maxChars - 120 - cost(head) - baseRow.reduce((n, r) => n + cost(r), 0);
  const fits = (r: TableCell[]) => {
    budget -= cost(r);
    return budget >= 0;
  };
  const currencyRows: TableCell[][] = [];
  for (const [currency, totals] of currencies.slice(0, MAX_CURRENCY_ROWS)) {
    const r = row(currency, [...totals.buckets, totals.total], currency);
    if (currencyRows.length > 0 && !fits(r)) break;
    currencyRows.push(r);
  }
  const debtorRows: TableCell[][] = [];
  for (const [i, c] of debtors.entries()) {
    const r = row(`${i + 1}. ${clip(c.name, 60)}`, [...c.buckets, c.total], c.currency);
    if (1 + currencyRows.length + baseRow.length + debtorRows.length >= TABLE_LIMITS.rows || !fits(r)) break;
    debtorRows.push(r);
  }
  const block = {
    type: "table",
    column_settings: [
      { align: "left" as const },
      ...Array.from({ length: width - 1 }, () => ({ align: "right" as const })),
    ],
    rows: [head, ...currencyRows, ...baseRow, ...debtorRows],
  } as Block;
  return {
    block,
    currenciesLeftOut: currencies.length - currencyRows.length,
    debtorsShown: debtorRows.length,
  };
}

/** Where the bucket totals go: the table, with the currencies, debtors or rates it leaves out. */
function bucketBlocks(
  report: AgingReport,
  locale: Locale,
  maxChars: number,
  debtors: readonly ClientAging[] = [],
): Block[] {
  const table = bucketTableBlock(report, locale, maxChars, debtors);
  if (!table) return [section(bucketTable(report, locale))];
  const notes: string[] = [];
  if (table.currenciesLeftOut > 0) notes.push(moreCurrenciesNote(table.currenciesLeftOut, locale));
  const debtorsLeftOut = report.clientCount - table.debtorsShown;
  if (debtors.length > 0 && debtorsLeftOut > 0) {
    notes.push(t(locale, "aging.note.top_debtors", { shown: table.debtorsShown, left: debtorsLeftOut }));
  }
  if (report.base.notConverted.length > 0) notes.push(notConvertedNote(report, locale));
  return [
    table.block,
    ...(notes.length > 0 ? [context(truncate(notes.join("\n"), LIMITS.sectionText))] : []),
  ];
}

/** JSON characters the bucket table may take in the interactive message (debtors need the rest). */
const TABLE_CHAR_BUDGET = 2_600;

function ratesLine(report: AgingReport, locale: Locale): string | undefined {
  if (report.base.ratesUsed.length === 0) return undefined;
  const rates = report.base.ratesUsed.slice(0, 8).map((r) =>
    t(locale, "aging.rates.rate", {
      currency: r.currency,
      rate: Number(r.rate),
      base: report.baseCurrency,
      date: calendarDate(r.onDate),
    }),
  );
  if (report.base.ratesUsed.length > 8) rates.push("…");
  return t(locale, "aging.rates.closing", { rates: rates.join(", ") });
}

function metricsLine(report: AgingReport, locale: Locale): string | undefined {
  const entries = Object.entries(report.metrics).slice(0, 3);
  if (entries.length === 0) return undefined;
  const days = (v: number | null, atLeast = false) =>
    v === null
      ? t(locale, "aging.metrics.none")
      : t(locale, "aging.metrics.days", { days: v, atLeast: String(atLeast) });
  const lines = entries.map(([currency, m]) =>
    t(locale, "aging.metrics.line", {
      currency,
      dso: days(m.dso),
      best: days(m.bestPossibleDso),
      add: days(m.averageDaysDelinquent),
      countback: days(m.dsoCountback, m.dsoCountbackExhausted),
      cei:
        m.cei === null
          ? t(locale, "aging.metrics.none")
          : t(locale, "aging.metrics.percent", { value: m.cei }),
    }),
  );
  lines.push(t(locale, "aging.metrics.period", { days: entries[0]?.[1].periodDays ?? 90 }));
  return lines.join("\n");
}

function debtorLine(client: ClientAging, report: AgingReport, rank: number, locale: Locale): string {
  const overdue = client.buckets.slice(1).reduce((s, a) => s + a, 0);
  const worst = client.buckets.reduceRight((found, amount, i) => (found < 0 && amount !== 0 ? i : found), -1);
  return md(locale, "aging.debtor.line", {
    rank,
    name: clip(client.name, 60),
    id: clip(client.externalId, 30),
    open: { amountMinor: client.total, currency: client.currency },
    overdue: { amountMinor: overdue, currency: client.currency },
    oldest:
      worst > 0
        ? t(locale, "aging.debtor.oldest", {
            days: client.oldestDaysPastDue,
            bucket: report.buckets[worst] ?? "",
          })
        : t(locale, "aging.debtor.not_due"),
  });
}

/** The overflow of a debtor (client): Send reminder, Record payment, View invoices. */
function menu(id: string, locale: Locale): types.Overflow {
  return {
    type: "overflow",
    action_id: AGING_ACTIONS.debtorMenu,
    options: (["remind", "pay", "invoices"] as const).map((verb) =>
      option(t(locale, `aging.menu.${verb}`), encodeAgingMenuValue({ verb, target: "client", id })),
    ),
  };
}

const ALL = "*";

function staticSelect(
  actionId: string,
  placeholder: string,
  choices: AgingChoice[],
  allLabel: string,
  selected: string | undefined,
): types.StaticSelect {
  const options: PlainOption[] = [
    option(allLabel, ALL),
    ...choices.slice(0, STATIC_SELECT_MAX).map((c) => option(clip(c.label, 30), c.id)),
  ];
  const initial = options.find((o) => o.value === selected);
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: plain(placeholder, LIMITS.placeholder),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

function externalSelect(
  actionId: string,
  placeholder: string,
  selected: { id: string; label: string } | undefined,
): types.ExternalSelect {
  return {
    type: "external_select",
    action_id: actionId,
    placeholder: plain(placeholder, LIMITS.placeholder),
    min_query_length: 0,
    ...(selected ? { initial_option: option(clip(selected.label, 40), selected.id) } : {}),
  };
}

/** The report as an ephemeral message with drill-down, debtor menus, filters, export and share. */
export function buildAgingMessage(model: AgingMessageModel): SlackMessage {
  const { report, state, labels, locale } = model;
  const base = { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
  const blocks: Block[] = [
    header(reportHeader(report.asOf, locale, model.ownProjectsOnly)),
    context(scopeLine(report, labels, locale, ownProjectsPart(model.ownProjectsOnly, locale))),
  ];
  blocks.push(...bucketBlocks(report, locale, TABLE_CHAR_BUDGET));
  const rates = ratesLine(report, locale);
  if (rates) blocks.push(context(rates));

  const bucketButtons = report.buckets.flatMap((label, i) => {
    const count = Object.values(report.currencies).some((totals) => (totals.buckets[i] ?? 0) !== 0);
    if (!count) return [];
    return [
      button(
        t(locale, "aging.button.bucket", { bucket: label }),
        AGING_ACTIONS.bucket,
        encodeAgingState({ ...base, k: i, n: 0 }),
      ),
    ];
  });
  if (bucketButtons.length > 0)
    blocks.push(actions(bucketButtons.map((b, i) => ({ ...b, action_id: `${AGING_ACTIONS.bucket}_${i}` }))));

  const metrics = metricsLine(report, locale);
  if (metrics) blocks.push(context(metrics));

  const tail: Block[] = [divider()];
  const currencies = Object.keys(report.currencies)
    .sort()
    .map((c) => ({ id: c, label: c }));
  const placeholder = (what: "client" | "project" | "collector" | "currency") =>
    t(locale, `aging.filter.${what}`);
  const filterElements: types.ActionsBlockElement[] = [
    externalSelect(
      AGING_ACTIONS.filterClient,
      placeholder("client"),
      state.c ? { id: state.c, label: labels.client ?? placeholder("client") } : undefined,
    ),
    externalSelect(
      AGING_ACTIONS.filterProject,
      placeholder("project"),
      state.p ? { id: state.p, label: labels.project ?? placeholder("project") } : undefined,
    ),
    staticSelect(
      AGING_ACTIONS.filterCollector,
      placeholder("collector"),
      model.collectors,
      t(locale, "aging.filter.all_collectors"),
      state.m,
    ),
    staticSelect(
      AGING_ACTIONS.filterCurrency,
      placeholder("currency"),
      currencies,
      t(locale, "aging.filter.all_currencies"),
      state.x,
    ),
  ];
  tail.push({ type: "actions", block_id: `98|${encodeAgingState(base)}`, elements: filterElements });
  if (model.collectorsTruncated || model.collectors.length > STATIC_SELECT_MAX) {
    tail.push(context(t(locale, "aging.filter.collectors_cut", { count: STATIC_SELECT_MAX })));
  }
  const own = encodeAgingState(base);
  tail.push({
    type: "actions",
    block_id: `99|${own}`,
    elements: [
      ...(state.d
        ? []
        : [
            button(
              t(locale, "aging.button.metrics"),
              AGING_ACTIONS.metrics,
              encodeAgingState({ ...base, d: 1 }),
            ),
          ]),
      button(t(locale, "aging.button.export"), AGING_ACTIONS.exportCsv, own),
      button(t(locale, "aging.button.trend"), AGING_ACTIONS.trend, own),
      // One client's report: its statement of account can go to the client from here.
      ...(state.c ? [button(t(locale, "aging.button.statement"), AGING_ACTIONS.statement, own)] : []),
      button(t(locale, "aging.button.share"), AGING_ACTIONS.share, own, "primary"),
    ],
  });

  blocks.push(
    ...debtorBlocks(
      model,
      base,
      size(blocks) + size(tail),
      LIMITS.messageBlocks - blocks.length - tail.length,
    ),
  );
  blocks.push(...tail);
  return { text: fallbackText(report, locale), blocks: fitMessage(blocks, locale) };
}

const size = (blocks: Block[]) => JSON.stringify(blocks).length + 1;

const reportHeader = (asOf: string, locale: Locale, ownProjectsOnly?: boolean) =>
  t(locale, "aging.header", { own: String(Boolean(ownProjectsOnly)), asOf: calendarDate(asOf) });

/**
 * Top debtors, each a section with its overflow menu: up to TOP_DEBTORS, fewer when long names or
 * many currencies would push the message past the size budget; the note says how many are left.
 */
function debtorBlocks(model: AgingMessageModel, base: AgingState, used: number, freeBlocks: number): Block[] {
  const { report, locale } = model;
  if (report.clients.length === 0) return [];
  const out: Block[] = [divider(), section(t(locale, "aging.debtors.title"))];
  // The closing note is one context of about 150 characters of JSON.
  const noteReserve = 250;
  let budget = MESSAGE_CHAR_BUDGET - used - size(out) - noteReserve;
  let shown = 0;
  for (const client of report.clients.slice(0, Math.min(TOP_DEBTORS, freeBlocks - 3))) {
    const block = {
      ...section(debtorLine(client, report, shown + 1, locale), menu(client.clientId, locale)),
      block_id: `${shown + 1}|${encodeAgingState(base)}`,
    } as Block;
    budget -= size([block]);
    if (budget < 0) break;
    out.push(block);
    shown++;
  }
  // The summary report carries only the top debtors; clientCount says how many balances exist.
  const hidden = report.clientCount - shown;
  if (hidden > 0) out.push(context(t(locale, "aging.debtors.more", { count: hidden })));
  return out;
}

/** The non-ephemeral copy posted by "Share in channel": the summary, no private controls. */
export function buildAgingSharedMessage(model: AgingMessageModel, sharedByUserId: string): SlackMessage {
  const { report, labels, locale } = model;
  const sharer = `<@${sharedByUserId.replace(/[^A-Z0-9]/gi, "")}>`;
  const scope = scopeLine(report, labels, locale, ownProjectsPart(model.ownProjectsOnly, locale, sharer));
  const blocks: Block[] = [
    header(reportHeader(report.asOf, locale)),
    context(`${scope} · ${t(locale, "aging.scope.shared_by", { sharer })}`),
    // One table: the totals, then the top debtors by bucket (a message takes one table).
    ...bucketBlocks(report, locale, MESSAGE_CHAR_BUDGET - 3_000, report.clients.slice(0, TOP_DEBTORS)),
  ];
  const rates = ratesLine(report, locale);
  if (rates) blocks.push(context(rates));
  const metrics = metricsLine(report, locale);
  if (metrics) blocks.push(context(metrics));
  return { text: fallbackText(report, locale), blocks: fitMessage(blocks, locale) };
}

function fallbackText(report: AgingReport, locale: Locale): string {
  const totals = Object.entries(report.currencies)
    .slice(0, 5)
    .map(([currency, totals]) => money(totals.total, currency, locale));
  const asOf = calendarDate(report.asOf);
  if (totals.length === 0) return t(locale, "aging.text.empty", { asOf });
  // The table's figures in words, for notifications and screen readers (tables are not read out).
  const buckets = report.buckets
    .map(
      (label, i) =>
        `${bucketName(label, locale)}: ${money(report.base.buckets[i] ?? 0, report.baseCurrency, locale)}`,
    )
    .join(", ");
  return truncate(
    t(locale, "aging.text", { asOf, totals: totals.join(" + "), base: report.baseCurrency, buckets }),
    LIMITS.messageText,
  );
}

/** Block count and overall size: drop debtor rows from the end until the message fits. */
function fitMessage(blocks: Block[], locale: Locale): Block[] {
  let result = capBlocks(blocks, LIMITS.messageBlocks, (n) => t(locale, "aging.more_blocks", { count: n }));
  while (JSON.stringify(result).length > MESSAGE_CHAR_BUDGET) {
    let last = -1;
    result.forEach((b, i) => {
      if (b.type === "section" && b.accessory) last = i;
    });
    if (last < 0) break;
    result = [...result.slice(0, last), ...result.slice(last + 1)];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Drill-down

/** An invoice of a bucket's page, as the drill-down service lists it. */
export type AgingInvoiceItem = Omit<AgingInvoicesPage["invoices"][number], "clientId">;

export type AgingInvoicesModel = {
  state: AgingState;
  labels: AgingLabels;
  asOf: string;
  basis: "due" | "issue";
  bucketLabel: string;
  page: number;
  pageSize: number;
  total: number;
  invoices: AgingInvoiceItem[];
  ownProjectsOnly?: boolean;
  locale: Locale;
};

const MAX_INVOICES_PER_PAGE = 20;

/** The age an invoice's line says in words (the message's text, read out where tables are not). */
function ageText(inv: AgingInvoiceItem, locale: Locale): string {
  if (inv.daysPastDue > 0) return t(locale, "aging.drill.late", { days: inv.daysPastDue });
  if (inv.daysPastDue === 0) return t(locale, "aging.drill.due_today");
  return t(locale, "aging.drill.due_in", { days: -inv.daysPastDue });
}

const dateCell = (date: string | null, locale: Locale, none = "—") =>
  textCell(date ? t(locale, "aging.table.date", { date: calendarDate(date) }) : none);

/** Invoice, client, issue date, due date, days late (or since issue), open amount. */
const DRILL_ALIGN = ["left", "left", "left", "left", "right", "right"] as const;

function drillHead(basis: "due" | "issue", locale: Locale): TableCell[] {
  return [
    textCell(t(locale, "aging.table.invoice")),
    textCell(t(locale, "aging.table.client")),
    textCell(t(locale, "aging.table.issued")),
    textCell(t(locale, "aging.table.due")),
    textCell(t(locale, "aging.table.days", { basis })),
    textCell(t(locale, "aging.table.open")),
  ];
}

function drillRow(inv: AgingInvoiceItem, locale: Locale): TableCell[] {
  return [
    textCell(clip(inv.number ?? t(locale, "aging.drill.no_number"), 60)),
    textCell(clip(inv.clientName, 60)),
    dateCell(inv.issueDate, locale),
    dateCell(inv.dueDate, locale, t(locale, "aging.drill.no_due_date")),
    textCell(inv.daysPastDue > 0 ? t(locale, "aging.table.count", { count: inv.daysPastDue }) : "—"),
    moneyCell(inv.openMinor, inv.currency, locale),
  ];
}

const CHOICES = ["remind", "pay"] as const;

/** An invoice one can act on from a select: what its option says and carries. */
export type ChoosableInvoice = Pick<
  AgingInvoiceItem,
  "invoiceId" | "number" | "clientName" | "openMinor" | "currency"
>;

function invoiceOption(inv: ChoosableInvoice, verb: (typeof CHOICES)[number], locale: Locale): PlainOption {
  const number = inv.number ?? t(locale, "aging.drill.no_number");
  const label = `${number} · ${inv.clientName} · ${money(inv.openMinor, inv.currency, locale)}`;
  return option(
    clip(label, LIMITS.optionText),
    encodeAgingMenuValue({ verb, target: "invoice", id: inv.invoiceId }),
  );
}

/**
 * What the menu of each row offered, in one select under the table (per-row menus cannot go in
 * cells): a group per verb, an option per invoice; the invoice menu's handler answers it.
 */
export function invoiceChooser(
  invoices: ChoosableInvoice[],
  state: AgingState,
  locale: Locale,
  verbs: readonly (typeof CHOICES)[number][] = CHOICES,
): Block {
  const select: types.StaticSelect = {
    type: "static_select",
    action_id: AGING_ACTIONS.invoiceMenu,
    placeholder: plain(t(locale, "aging.drill.choose"), LIMITS.placeholder),
    option_groups: verbs.map((verb) => ({
      label: plain(t(locale, `aging.menu.${verb}`), LIMITS.optionText),
      options: invoices.map((inv) => invoiceOption(inv, verb, locale)),
    })),
  };
  return { type: "actions", block_id: `97|${encodeAgingState(state)}`, elements: [select] };
}

/** The page's invoices that fit the message's size budget, each a row and two choices in the select. */
function fittingInvoices(model: AgingInvoicesModel, used: number): AgingInvoiceItem[] {
  const { locale, state } = model;
  const empty = [
    tableBlock(drillHead(model.basis, locale), [], DRILL_ALIGN),
    invoiceChooser([], state, locale),
  ];
  let budget = MESSAGE_CHAR_BUDGET - used - size(empty);
  const shown: AgingInvoiceItem[] = [];
  for (const inv of model.invoices.slice(0, MAX_INVOICES_PER_PAGE)) {
    budget -= rowCost(drillRow(inv, locale));
    for (const verb of CHOICES) budget -= JSON.stringify(invoiceOption(inv, verb, locale)).length + 1;
    if (budget < 0) break;
    shown.push(inv);
  }
  return shown;
}

function drillText(model: AgingInvoicesModel, shown: AgingInvoiceItem[], head: string): string {
  const { locale } = model;
  const lines = shown.map((inv) =>
    md(locale, "aging.drill.text_line", {
      number: inv.number ?? t(locale, "aging.drill.no_number"),
      client: clip(inv.clientName, 60),
      open: { amountMinor: inv.openMinor, currency: inv.currency },
      age: ageText(inv, locale),
    }),
  );
  return truncate([head, ...lines].join("\n"), LIMITS.messageText);
}

/** A bucket's page of invoices as a table, with one select of what each row's menu offered. */
export function buildAgingInvoicesMessage(model: AgingInvoicesModel): SlackMessage {
  const { state, locale } = model;
  const base = { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
  const pageState = { ...base, k: state.k, n: model.page };
  const pages = Math.max(1, Math.ceil(model.total / model.pageSize));
  const title = t(locale, "aging.drill.title", { bucket: model.bucketLabel, basis: model.basis });
  const asOf = calendarDate(model.asOf);
  const page = { page: model.page + 1, pages, total: model.total };
  const blocks: Block[] = [
    header(t(locale, "aging.drill.header", { title, asOf })),
    context(
      `${scopeLine(model, model.labels, locale, ownProjectsPart(model.ownProjectsOnly, locale))} · ` +
        t(locale, "aging.scope.page", page),
    ),
  ];
  const nav: types.Button[] = [];
  const pageButton = (key: MessageKey, actionId: string, n: number) =>
    button(t(locale, key), actionId, encodeAgingState({ ...base, k: state.k, n }));
  if (model.page > 0) nav.push(pageButton("aging.button.previous", AGING_ACTIONS.pagePrev, model.page - 1));
  if (model.page + 1 < pages)
    nav.push(pageButton("aging.button.next", AGING_ACTIONS.pageNext, model.page + 1));
  nav.push(button(t(locale, "aging.button.back"), AGING_ACTIONS.back, encodeAgingState(base)));
  const tail: Block[] = [actions(nav)];
  const shown = fittingInvoices(model, size(blocks) + size(tail) + 300);
  if (shown.length === 0) blocks.push(section(t(locale, "aging.drill.empty")));
  else {
    blocks.push(
      tableBlock(
        drillHead(model.basis, locale),
        shown.map((inv) => drillRow(inv, locale)),
        DRILL_ALIGN,
      ),
    );
    const left = model.invoices.length - shown.length;
    if (left > 0) blocks.push(context(t(locale, "aging.drill.rows_left", { count: left })));
    blocks.push(invoiceChooser(shown, pageState, locale));
  }
  blocks.push(...tail);
  const head = t(locale, "aging.drill.text", { title, asOf, ...page });
  return { text: drillText(model, shown, head), blocks: fitMessage(blocks, locale) };
}

// ---------------------------------------------------------------------------------------------
// App Home and filter options

/** Summary for the App Home (the Home view adds it through its extraSections). */
export function buildAgingHomeSection(
  report: AgingReport,
  language: string,
): { title: string; blocks: Block[] } {
  const locale = isLocale(language) ? language : DEFAULT_LOCALE;
  const blocks: Block[] = [section(bucketTable(report, locale))];
  const top = report.clients
    .slice(0, 3)
    .map((c) => `${escapeMrkdwn(truncate(c.name, 60))} ${money(c.total, c.currency, locale)}`);
  const asOf = calendarDate(report.asOf);
  blocks.push(
    context(
      truncate(
        top.length > 0
          ? t(locale, "aging.home.summary", { asOf, top: top.join(", ") })
          : t(locale, "aging.home.summary_empty", { asOf }),
        LIMITS.sectionText,
      ),
    ),
  );
  return { title: t(locale, "aging.title"), blocks };
}

/** Options for the client and project external selects (at most 100, Slack's limit). */
export function buildAgingFilterOptions(
  choices: AgingChoice[],
  kind: "client" | "project",
  locale: Locale,
): { options: PlainOption[] } {
  return {
    options: [
      option(t(locale, kind === "client" ? "aging.filter.all_clients" : "aging.filter.all_projects"), ALL),
      ...choices
        .slice(0, LIMITS.selectOptions - 1)
        .map((c) => option(clip(c.label, LIMITS.optionText), c.id)),
    ],
  };
}

export const AGING_ALL = ALL;

/** Ephemeral reply to bad arguments: what is wrong and how to write it. */
export function buildAgingErrorMessage(problem: string, locale: Locale): SlackMessage {
  const usage = t(locale, "aging.usage");
  return {
    text: truncate(`${problem}\n${usage}`, LIMITS.messageText),
    blocks: [section(`:warning: ${escapeMrkdwn(problem)}\n${usage}`)],
  };
}

// ---------------------------------------------------------------------------------------------
// From Slack to the services and back: the request of a command or a button, the views' models

export type AgingArgs =
  | { ok: true; target?: string; asOf?: string; basis: "due" | "issue" }
  | { ok: false; problem: string };

/**
 * The as-of keyword, English or the reader's (`/aging al 2026-06-30`, `/aging au 2026-06-30`). The
 * Spanish and French words count only before a date: `/aging au bon marché` is a client.
 */
function asOfKeyword(token: string, next: string | undefined): "english" | "synonym" | undefined {
  if (token === "as-of" || token === "asof") return "english";
  return (token === "al" || token === "au") && /^\d{4}-/.test(next ?? "") ? "synonym" : undefined;
}

/** "por emisión", "par échéance"…: the basis as a Spanish or French reader says it (accents optional). */
const BASIS_SYNONYMS: Record<string, "due" | "issue"> = {
  "por emision": "issue",
  "por vencimiento": "due",
  "par emission": "issue",
  "par echeance": "due",
};

function basisSynonym(token: string, next: string | undefined): "due" | "issue" | undefined {
  const words = `${token} ${next ?? ""}`
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
  return BASIS_SYNONYMS[words];
}

/**
 * Reads `/aging [client|project|@collector] [as-of|al|au YYYY-MM-DD] [by issue|due | por emisión|
 * vencimiento | par émission|échéance]`; never throws.
 */
export function parseAgingArgs(text: string | undefined, locale: Locale): AgingArgs {
  const tokens = (text ?? "").trim().split(/\s+/).filter(Boolean);
  let asOf: string | undefined;
  let basis: "due" | "issue" = "due";
  const rest: string[] = [];
  const problem = (...args: Parameters<typeof t>) => ({ ok: false as const, problem: t(...args) });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const lower = token.toLowerCase();
    const keyword = lower.startsWith("as-of=") ? "english" : asOfKeyword(lower, tokens[i + 1]);
    if (keyword) {
      const value = lower.startsWith("as-of=") ? token.slice(6) : tokens[++i];
      const example = keyword === "english" ? "as-of" : lower;
      if (!value) return problem(locale, "aging.args.as_of_needs_date", { keyword: example });
      if (!isCalendarDate(value)) {
        return problem(locale, "aging.args.not_a_date", { text: value.slice(0, 40), keyword: example });
      }
      asOf = value;
    } else if (basisSynonym(lower, tokens[i + 1])) {
      basis = basisSynonym(lower, tokens[++i]) ?? basis;
    } else if (lower === "by") {
      const value = tokens[++i]?.toLowerCase();
      if (value !== "issue" && value !== "due") {
        return value
          ? problem(locale, "aging.args.by_not", { given: value.slice(0, 40) })
          : problem(locale, "aging.args.by");
      }
      basis = value;
    } else {
      rest.push(token);
    }
  }
  const target = rest.join(" ");
  const mentions = target.match(/<@[^>]+>/g) ?? [];
  if (mentions.length > 1 || (mentions.length === 1 && target !== mentions[0])) {
    return problem(locale, "aging.args.one_target");
  }
  if (target.length > 200) return problem(locale, "aging.args.too_long");
  return { ok: true, basis, ...(target ? { target } : {}), ...(asOf ? { asOf } : {}) };
}

/** The workspace's language as the services give it (the language of channel posts). */
const workspaceLocaleOf = (locale: string): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

/** The filters of a report, without its drill-down (bucket and page). */
function filtersOf(state: AgingState): AgingState {
  return { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
}

function stateOf(result: AgingReportResult): AgingState {
  const { report, filters } = result;
  return {
    a: report.asOf,
    b: report.basis,
    ...(filters.clientId ? { c: filters.clientId } : {}),
    ...(filters.projectId ? { p: filters.projectId } : {}),
    ...(filters.collectorMemberId ? { m: filters.collectorMemberId } : {}),
    ...(filters.currency ? { x: filters.currency } : {}),
    ...(Object.keys(report.metrics).length > 0 ? { d: 1 as const } : {}),
  };
}

/** The request a button's state asks for; who clicks (the ctx's actor), not the button, decides the scope. */
export function agingRequestOf(state: AgingState): AgingRequest {
  return {
    asOf: state.a,
    basis: state.b,
    clientId: state.c,
    projectId: state.p,
    collectorMemberId: state.m,
    currency: state.x,
    withMetrics: state.d === 1,
  };
}

/** The collectors the report's menu lists (Slack's static select shows the first ones). */
const COLLECTOR_CHOICES = 10;

/**
 * The message shows the totals and at most TOP_DEBTORS debtors (the summary ranks them in SQL), and
 * a filter menu of the first collectors.
 */
export function summaryRequestOf(request: AgingRequest): AgingRequest & { topDebtors: number } {
  return { ...request, topDebtors: TOP_DEBTORS, collectorChoices: COLLECTOR_CHOICES };
}

/** The report as its reader sees it; without `reader`, in the workspace's language (a shared copy). */
export function agingMessageModel(result: AgingReportResult, reader?: Locale): AgingMessageModel {
  const collectors = result.collectors ?? { choices: [], truncated: false };
  return {
    report: result.report,
    state: stateOf(result),
    labels: result.filters.labels,
    collectors: collectors.choices,
    collectorsTruncated: collectors.truncated,
    ownProjectsOnly: result.ownProjectsOnly,
    locale: reader ?? workspaceLocaleOf(result.locale),
  };
}

export function agingInvoicesModel(
  page: AgingInvoicesPage,
  state: AgingState,
  locale: Locale,
): AgingInvoicesModel {
  return {
    state: { ...filtersOf(state), k: page.bucket, n: page.page },
    labels: {},
    asOf: page.asOf,
    basis: page.basis,
    bucketLabel: page.bucketLabel,
    page: page.page,
    pageSize: page.pageSize,
    total: page.total,
    invoices: page.invoices,
    ownProjectsOnly: page.ownProjectsOnly,
    locale,
  };
}

const FILTER_KEYS: Record<string, "c" | "p" | "m" | "x"> = {
  [AGING_ACTIONS.filterClient]: "c",
  [AGING_ACTIONS.filterProject]: "p",
  [AGING_ACTIONS.filterCollector]: "m",
  [AGING_ACTIONS.filterCurrency]: "x",
};

/** The report's state once a filter menu's option is picked ("all" lifts that filter). */
export function filteredState(state: AgingState, actionId: string, selected: string): AgingState {
  const key = FILTER_KEYS[actionId];
  const next = filtersOf(state);
  if (!key) return next;
  if (selected === AGING_ALL) delete next[key];
  else next[key] = selected;
  return next;
}

export const FILTER_SEARCHES: Record<string, { kind: "client" | "project" }> = {
  [AGING_ACTIONS.filterClient]: { kind: "client" },
  [AGING_ACTIONS.filterProject]: { kind: "project" },
};

export function clientPaymentModalModel(
  choice: Extract<DebtorInvoiceChoice, { kind: "clientPayment" }>,
  now: Date,
  locale: Locale,
) {
  return {
    clientId: choice.clientId,
    clientName: choice.clientName,
    currency: choice.currency,
    invoices: choice.invoices,
    openMinor: choice.openMinor,
    today: now.toISOString().slice(0, 10),
    locale,
  };
}
