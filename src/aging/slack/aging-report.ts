// /aging in Slack: the report message, its shared copy, the bucket drill-down and the App Home
// summary. Pure: report model in, blocks out, every Block Kit limit held whatever the data.
import type { types } from "@slack/bolt";
import type { AgingReport, ClientAging } from "../../domain/aging.ts";
import { formatMoney } from "../../domain/money.ts";
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
  section,
  truncate,
} from "../../slack/kit/blocks.ts";
import {
  AGING_ACTIONS,
  type AgingState,
  encodeAgingMenuValue,
  encodeAgingState,
} from "../../slack/kit/ids.ts";

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
  locale: string;
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

const money = (amountMinor: number, currency: string, locale: string) =>
  formatMoney({ amountMinor, currency }, locale);

/** Says whose projects a PM's report covers: "you" in their own copy, a mention in a shared one. */
function ownProjectsPart(ownProjectsOnly: boolean | undefined, manager = "you"): string[] {
  return ownProjectsOnly ? [`only the projects ${manager} manage${manager === "you" ? "" : "s"}`] : [];
}

function scopeLine(
  report: { asOf: string; basis: "due" | "issue"; baseCurrency?: string },
  labels: AgingLabels,
  limitedTo: string[] = [],
): string {
  const parts = [
    `As of *${report.asOf}*`,
    report.basis === "due" ? "by due date" : "by issue date",
    ...limitedTo,
  ];
  if (report.baseCurrency) parts.push(`base currency ${report.baseCurrency}`);
  if (labels.client) parts.push(`client: ${escapeMrkdwn(labels.client)}`);
  if (labels.project) parts.push(`project: ${escapeMrkdwn(labels.project)}`);
  if (labels.collector) parts.push(`collector: ${escapeMrkdwn(labels.collector)}`);
  if (labels.currency) parts.push(`currency: ${labels.currency}`);
  return truncate(parts.join(" · "), 1000);
}

/** The bucket table as a monospace block: one row per currency, then the base-currency total. */
export function bucketTable(report: AgingReport, locale: string): string {
  const currencies = Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return "Nothing is open. :tada:";
  const rows: string[][] = [["", ...report.buckets, "total"]];
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
    text += `\n${currencies.length - MAX_CURRENCY_ROWS} more currencies: filter by currency or export CSV.`;
  }
  if (showBase && report.base.notConverted.length > 0) {
    text += `\n:warning: Σ ${report.baseCurrency} leaves out ${report.base.notConverted.join(", ")}: no stored exchange rate, so not converted (add one with \`cobro rates fx import\`, or let the daily ECB fetch run).`;
  }
  // A very wide table (many edges) is cut rather than refused.
  return truncate(text, LIMITS.sectionText);
}

/** Slack's table block: at most 100 rows of at most 20 cells (one table per message). */
export const TABLE_LIMITS = { rows: 100, cells: 20 } as const;

type TableCell = { type: "raw_text"; text: string };

const textCell = (text: string): TableCell => ({ type: "raw_text", text: clip(text || " ", 200) });
// Amounts as formatted text, right-aligned by the column settings: a raw_number cell would repeat
// the value (~25 characters more a cell, two debtors fewer within the message's budget).
const moneyCell = (amountMinor: number, currency: string, locale: string): TableCell =>
  textCell(money(amountMinor, currency, locale));

/**
 * The bucket totals as a table block: one row per currency, then the base-currency total, and (the
 * shared copy) the top debtors with their buckets, as many rows as fit in `maxChars` of JSON (a
 * table cell costs ~70 characters against the message's budget). The monospace bucketTable stays
 * the text for surfaces without tables (App Home, modals) and for notifications.
 */
export function bucketTableBlock(
  report: AgingReport,
  locale: string,
  maxChars: number,
  debtors: readonly ClientAging[] = [],
): { block: Block; currenciesLeftOut: number; debtorsShown: number } | undefined {
  const currencies = Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return undefined;
  const width = Math.min(report.buckets.length + 2, TABLE_LIMITS.cells);
  const row = (label: string, amounts: number[], currency: string) =>
    [textCell(label), ...amounts.map((a) => moneyCell(a, currency, locale))].slice(0, width);
  const head = [textCell(" "), ...[...report.buckets, "total"].map(textCell)].slice(0, width);
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
  locale: string,
  maxChars: number,
  debtors: readonly ClientAging[] = [],
): Block[] {
  const table = bucketTableBlock(report, locale, maxChars, debtors);
  if (!table) return [section(bucketTable(report, locale))];
  const notes: string[] = [];
  if (table.currenciesLeftOut > 0) {
    notes.push(`${table.currenciesLeftOut} more currencies: filter by currency or export CSV.`);
  }
  const debtorsLeftOut = report.clientCount - table.debtorsShown;
  if (debtors.length > 0 && debtorsLeftOut > 0) {
    notes.push(
      `Top ${table.debtorsShown} debtors by amount × days past due; ${debtorsLeftOut} more not shown.`,
    );
  }
  if (report.base.notConverted.length > 0) {
    notes.push(
      `:warning: Σ ${report.baseCurrency} leaves out ${report.base.notConverted.join(", ")}: no stored exchange rate, so not converted (add one with \`cobro rates fx import\`, or let the daily ECB fetch run).`,
    );
  }
  return [
    table.block,
    ...(notes.length > 0 ? [context(truncate(notes.join("\n"), LIMITS.sectionText))] : []),
  ];
}

/** JSON characters the bucket table may take in the interactive message (debtors need the rest). */
const TABLE_CHAR_BUDGET = 2_600;

function ratesLine(report: AgingReport): string | undefined {
  if (report.base.ratesUsed.length === 0) return undefined;
  const rates = report.base.ratesUsed
    .slice(0, 8)
    .map(
      (r) =>
        `1 ${r.currency} = ${r.rate.replace(/0+$/, "").replace(/\.$/, "")} ${report.baseCurrency} (${r.onDate})`,
    );
  return `Closing rates: ${rates.join(", ")}${report.base.ratesUsed.length > 8 ? ", …" : ""}`;
}

function metricsLine(report: AgingReport): string | undefined {
  const entries = Object.entries(report.metrics).slice(0, 3);
  if (entries.length === 0) return undefined;
  const show = (v: number | null, unit: string) => (v === null ? "n/a" : `${v}${unit}`);
  return entries
    .map(
      ([currency, m]) =>
        `${currency}: DSO ${show(m.dso, " d")} · best possible ${show(m.bestPossibleDso, " d")} · ` +
        `ADD ${show(m.averageDaysDelinquent, " d")} · countback ${m.dsoCountbackExhausted ? "≥ " : ""}${m.dsoCountback} d · ` +
        `CEI ${show(m.cei, " %")}`,
    )
    .join("\n")
    .concat(`\n_DSO over ${entries[0]?.[1].periodDays ?? 90} days; CEI month to date._`);
}

function debtorLine(client: ClientAging, report: AgingReport, rank: number, locale: string): string {
  const overdue = client.buckets.slice(1).reduce((s, a) => s + a, 0);
  const worst = client.buckets.reduceRight((found, amount, i) => (found < 0 && amount !== 0 ? i : found), -1);
  const name = escapeMrkdwn(clip(client.name, 60));
  const id = escapeMrkdwn(clip(client.externalId, 30));
  const worstText =
    worst > 0 ? ` · oldest ${client.oldestDaysPastDue} d (${report.buckets[worst]})` : " · not yet due";
  return (
    `*${rank}. ${name}* (${id})\n${money(client.total, client.currency, locale)} open` +
    ` · ${money(overdue, client.currency, locale)} overdue${worstText}`
  );
}

function debtorMenu(clientId: string): types.Overflow {
  return {
    type: "overflow",
    action_id: AGING_ACTIONS.debtorMenu,
    options: [
      option("Send reminder", encodeAgingMenuValue({ verb: "remind", target: "client", id: clientId })),
      option("Record payment", encodeAgingMenuValue({ verb: "pay", target: "client", id: clientId })),
      option("View invoices", encodeAgingMenuValue({ verb: "invoices", target: "client", id: clientId })),
    ],
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
    header(`${reportTitle(model.ownProjectsOnly)} · ${report.asOf}`),
    context(scopeLine(report, labels, ownProjectsPart(model.ownProjectsOnly))),
  ];
  blocks.push(...bucketBlocks(report, locale, TABLE_CHAR_BUDGET));
  const rates = ratesLine(report);
  if (rates) blocks.push(context(rates));

  const bucketButtons = report.buckets.flatMap((label, i) => {
    const count = Object.values(report.currencies).some((t) => (t.buckets[i] ?? 0) !== 0);
    if (!count) return [];
    return [
      button(
        `${label === "current" ? "Not yet due" : `${label} days`} ›`,
        AGING_ACTIONS.bucket,
        encodeAgingState({ ...base, k: i, n: 0 }),
      ),
    ];
  });
  if (bucketButtons.length > 0)
    blocks.push(actions(bucketButtons.map((b, i) => ({ ...b, action_id: `${AGING_ACTIONS.bucket}_${i}` }))));

  const metrics = metricsLine(report);
  if (metrics) blocks.push(context(metrics));

  const tail: Block[] = [divider()];
  const currencies = Object.keys(report.currencies)
    .sort()
    .map((c) => ({ id: c, label: c }));
  const filterElements: types.ActionsBlockElement[] = [
    externalSelect(
      AGING_ACTIONS.filterClient,
      "Client…",
      state.c ? { id: state.c, label: labels.client ?? "Client" } : undefined,
    ),
    externalSelect(
      AGING_ACTIONS.filterProject,
      "Project…",
      state.p ? { id: state.p, label: labels.project ?? "Project" } : undefined,
    ),
    staticSelect(AGING_ACTIONS.filterCollector, "Collector…", model.collectors, "All collectors", state.m),
    staticSelect(AGING_ACTIONS.filterCurrency, "Currency…", currencies, "All currencies", state.x),
  ];
  tail.push({ type: "actions", block_id: `98|${encodeAgingState(base)}`, elements: filterElements });
  if (model.collectorsTruncated || model.collectors.length > STATIC_SELECT_MAX) {
    tail.push(
      context(
        `Only the first ${STATIC_SELECT_MAX} collectors are listed: type \`/aging @name\` for another.`,
      ),
    );
  }
  tail.push({
    type: "actions",
    block_id: `99|${encodeAgingState(base)}`,
    elements: [
      ...(state.d
        ? []
        : [button("DSO · ADD · CEI", AGING_ACTIONS.metrics, encodeAgingState({ ...base, d: 1 }))]),
      button("Export CSV", AGING_ACTIONS.exportCsv, encodeAgingState(base)),
      button("12-month trend", AGING_ACTIONS.trend, encodeAgingState(base)),
      // One client's report: its statement of account can go to the client from here.
      ...(state.c ? [button("E-mail statement", AGING_ACTIONS.statement, encodeAgingState(base))] : []),
      button("Share in channel", AGING_ACTIONS.share, encodeAgingState(base), "primary"),
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
  return { text: fallbackText(report, locale), blocks: fitMessage(blocks) };
}

const size = (blocks: Block[]) => JSON.stringify(blocks).length + 1;

const reportTitle = (ownProjectsOnly: boolean | undefined) =>
  ownProjectsOnly ? "Aged receivables of your projects" : "Aged receivables";

/**
 * Top debtors, each a section with its overflow menu: up to TOP_DEBTORS, fewer when long names or
 * many currencies would push the message past the size budget; the note says how many are left.
 */
function debtorBlocks(model: AgingMessageModel, base: AgingState, used: number, freeBlocks: number): Block[] {
  const { report, locale } = model;
  if (report.clients.length === 0) return [];
  const out: Block[] = [divider(), section("*Top debtors* (amount × days past due)")];
  // The closing note is one context of about 150 characters of JSON.
  const noteReserve = 250;
  let budget = MESSAGE_CHAR_BUDGET - used - size(out) - noteReserve;
  let shown = 0;
  for (const client of report.clients.slice(0, Math.min(TOP_DEBTORS, freeBlocks - 3))) {
    const block = {
      ...section(debtorLine(client, report, shown + 1, locale), debtorMenu(client.clientId)),
      block_id: `${shown + 1}|${encodeAgingState(base)}`,
    } as Block;
    budget -= size([block]);
    if (budget < 0) break;
    out.push(block);
    shown++;
  }
  // The summary report carries only the top debtors; clientCount says how many balances exist.
  const hidden = report.clientCount - shown;
  if (hidden > 0) {
    out.push(
      context(
        `${hidden} more client balance${hidden === 1 ? "" : "s"} not shown: filter, drill into a bucket, or export CSV for all of them.`,
      ),
    );
  }
  return out;
}

/** The non-ephemeral copy posted by "Share in channel": the summary, no private controls. */
export function buildAgingSharedMessage(model: AgingMessageModel, sharedByUserId: string): SlackMessage {
  const { report, labels, locale } = model;
  const sharer = `<@${sharedByUserId.replace(/[^A-Z0-9]/gi, "")}>`;
  const blocks: Block[] = [
    header(`Aged receivables · ${report.asOf}`),
    context(
      `${scopeLine(report, labels, ownProjectsPart(model.ownProjectsOnly, sharer))} · shared by ${sharer}`,
    ),
    // One table: the totals, then the top debtors by bucket (a message takes one table).
    ...bucketBlocks(report, locale, MESSAGE_CHAR_BUDGET - 3_000, report.clients.slice(0, TOP_DEBTORS)),
  ];
  const rates = ratesLine(report);
  if (rates) blocks.push(context(rates));
  const metrics = metricsLine(report);
  if (metrics) blocks.push(context(metrics));
  return { text: fallbackText(report, locale), blocks: fitMessage(blocks) };
}

function fallbackText(report: AgingReport, locale: string): string {
  const totals = Object.entries(report.currencies)
    .slice(0, 5)
    .map(([currency, t]) => money(t.total, currency, locale));
  // The table's figures in words, for notifications and screen readers (tables are not read out).
  const buckets = report.buckets
    .map((label, i) => `${label}: ${money(report.base.buckets[i] ?? 0, report.baseCurrency, locale)}`)
    .join(", ");
  return truncate(
    `Aged receivables as of ${report.asOf}: ${totals.length > 0 ? `${totals.join(" + ")} (${report.baseCurrency} ${buckets})` : "nothing open"}`,
    LIMITS.messageText,
  );
}

/** Block count and overall size: drop debtor rows from the end until the message fits. */
function fitMessage(blocks: Block[]): Block[] {
  let result = capBlocks(blocks, LIMITS.messageBlocks, (n) => `${n} more not shown.`);
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

export type AgingInvoiceItem = {
  invoiceId: string;
  clientName: string;
  number: string | null;
  currency: string;
  dueDate: string | null;
  issueDate: string | null;
  daysPastDue: number;
  openMinor: number;
};

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
  locale: string;
};

const MAX_INVOICES_PER_PAGE = 20;

function invoiceMenu(invoiceId: string): types.Overflow {
  return {
    type: "overflow",
    action_id: AGING_ACTIONS.invoiceMenu,
    options: [
      option("Send reminder", encodeAgingMenuValue({ verb: "remind", target: "invoice", id: invoiceId })),
      option("Record payment", encodeAgingMenuValue({ verb: "pay", target: "invoice", id: invoiceId })),
    ],
  };
}

export function buildAgingInvoicesMessage(model: AgingInvoicesModel): SlackMessage {
  const { state, locale } = model;
  const base = { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
  const pages = Math.max(1, Math.ceil(model.total / model.pageSize));
  const title =
    model.bucketLabel === "current"
      ? "Not yet due"
      : `${model.bucketLabel} days past ${model.basis === "due" ? "due" : "issue"}`;
  const blocks: Block[] = [
    header(`${title} · ${model.asOf}`),
    context(
      `${scopeLine(model, model.labels, ownProjectsPart(model.ownProjectsOnly))} · ` +
        `page ${model.page + 1} of ${pages} · ${model.total} invoice${model.total === 1 ? "" : "s"}`,
    ),
  ];
  if (model.invoices.length === 0) blocks.push(section("No invoices on this page."));
  model.invoices.slice(0, MAX_INVOICES_PER_PAGE).forEach((inv, i) => {
    const due = inv.dueDate ? `due ${inv.dueDate}` : "no due date";
    const age =
      inv.daysPastDue > 0
        ? `${inv.daysPastDue} d late`
        : inv.daysPastDue === 0
          ? "due today"
          : `in ${-inv.daysPastDue} d`;
    blocks.push({
      ...section(
        `*${escapeMrkdwn(truncate(inv.number ?? "(no number)", 60))}* · ${escapeMrkdwn(truncate(inv.clientName, 80))}\n` +
          `${money(inv.openMinor, inv.currency, locale)} open · ${due} · ${age}`,
        invoiceMenu(inv.invoiceId),
      ),
      block_id: `${i + 1}|${encodeAgingState({ ...base, k: state.k, n: model.page })}`,
    } as Block);
  });
  const nav: types.Button[] = [];
  if (model.page > 0)
    nav.push(
      button(
        "‹ Previous",
        AGING_ACTIONS.pagePrev,
        encodeAgingState({ ...base, k: state.k, n: model.page - 1 }),
      ),
    );
  if (model.page + 1 < pages)
    nav.push(
      button("Next ›", AGING_ACTIONS.pageNext, encodeAgingState({ ...base, k: state.k, n: model.page + 1 })),
    );
  nav.push(button("Back to summary", AGING_ACTIONS.back, encodeAgingState(base)));
  blocks.push(actions(nav));
  return {
    text: truncate(
      `${title} as of ${model.asOf}: ${model.total} invoices (page ${model.page + 1} of ${pages})`,
      LIMITS.messageText,
    ),
    blocks: fitMessage(blocks),
  };
}

// ---------------------------------------------------------------------------------------------
// App Home and filter options

/** Summary for the App Home (the Home view adds it through its extraSections). */
export function buildAgingHomeSection(
  report: AgingReport,
  locale: string,
): { title: string; blocks: Block[] } {
  const blocks: Block[] = [section(bucketTable(report, locale))];
  const top = report.clients
    .slice(0, 3)
    .map((c) => `${escapeMrkdwn(truncate(c.name, 60))} ${money(c.total, c.currency, locale)}`);
  blocks.push(
    context(
      truncate(
        `As of ${report.asOf}${top.length > 0 ? ` · top debtors: ${top.join(", ")}` : ""} · \`/aging\` for details, filters and export.`,
        LIMITS.sectionText,
      ),
    ),
  );
  return { title: "Aged receivables", blocks };
}

/** Options for the client and project external selects (at most 100, Slack's limit). */
export function buildAgingFilterOptions(
  choices: AgingChoice[],
  allLabel: string,
): { options: PlainOption[] } {
  return {
    options: [
      option(allLabel, ALL),
      ...choices
        .slice(0, LIMITS.selectOptions - 1)
        .map((c) => option(clip(c.label, LIMITS.optionText), c.id)),
    ],
  };
}

export const AGING_ALL = ALL;

export const AGING_USAGE =
  "Write `/aging` for everything, or `/aging [client | project | @collector] [as-of YYYY-MM-DD] [by issue]`, " +
  "e.g. `/aging acme as-of 2026-03-31` or `/aging @carla by issue`.";

/** Ephemeral reply to bad arguments: what is wrong and how to write it. */
export function buildAgingErrorMessage(problem: string): SlackMessage {
  const text = `${problem}\n${AGING_USAGE}`;
  return {
    text: truncate(text, LIMITS.messageText),
    blocks: [section(`:warning: ${escapeMrkdwn(problem)}\n${AGING_USAGE}`)],
  };
}
