// Aged receivables: bucket edges, days past due, the report view model and the AR metrics.
// Pure: dates are "YYYY-MM-DD" strings and "today" (asOf) always comes in as an argument.
import { toDayNumber } from "./calendar.ts";
import { DomainError } from "./errors.ts";
import { convert, toDecimalString } from "./money.ts";

/**
 * Upper bounds (inclusive, in days past due) of the overdue buckets; "current" (≤ 0 days, not yet
 * due) always comes first and the last bucket is "more than the last edge".
 * [30, 60, 90] → current, 1-30, 31-60, 61-90, 90+ (so 90 days lands in 61-90 and 91 in 90+).
 */
export const DEFAULT_AGING_EDGES: readonly number[] = [30, 60, 90];
export const MAX_AGING_EDGES = 8;

export type AgingBasis = "due" | "issue";

export function validateAgingEdges(edges: readonly number[] | undefined): number[] {
  if (edges === undefined || edges.length === 0) return [...DEFAULT_AGING_EDGES];
  const ok =
    edges.length <= MAX_AGING_EDGES &&
    edges.every(
      (e, i) => Number.isSafeInteger(e) && e > 0 && e <= 3650 && (i === 0 || e > (edges[i - 1] ?? 0)),
    );
  if (!ok) {
    throw new DomainError("aging.edges", `invalid aging edges ${JSON.stringify(edges)}`, {
      userMessage: `Aging bucket edges must be 1 to ${MAX_AGING_EDGES} increasing whole numbers of days between 1 and 3650, such as 30, 60, 90.`,
      messageKey: "aging.error.edges",
      messageValues: { max: MAX_AGING_EDGES },
    });
  }
  return [...edges];
}

/** Bucket labels for the edges: ["current", "1-30", "31-60", "61-90", "90+"]. */
export function bucketLabels(edges: readonly number[]): string[] {
  const labels = ["current"];
  let from = 1;
  for (const edge of edges) {
    labels.push(`${from}-${edge}`);
    from = edge + 1;
  }
  labels.push(`${edges[edges.length - 1] ?? 0}+`);
  return labels;
}

/** Calendar days between the due date and the as-of date; ≤ 0 means not yet due ("current"). */
export function daysPastDue(asOf: string, dueDate: string): number {
  return toDayNumber(asOf) - toDayNumber(dueDate);
}

/** Index into bucketLabels(edges) for a number of days past due. */
export function bucketIndex(days: number, edges: readonly number[]): number {
  if (days <= 0) return 0;
  for (let i = 0; i < edges.length; i++) {
    if (days <= (edges[i] ?? 0)) return i + 1;
  }
  return edges.length + 1;
}

export function bucketFor(days: number, edges: readonly number[]): string {
  return bucketLabels(edges)[bucketIndex(days, edges)] ?? "current";
}

/** The default buckets as the demo's summary names them ("not_due" for current). */
export type AgeingBucket = "not_due" | "1-30" | "31-60" | "61-90" | "90+";

export function ageingBucket(daysPastDue: number): AgeingBucket {
  const label = bucketFor(daysPastDue, DEFAULT_AGING_EDGES);
  return (label === "current" ? "not_due" : label) as AgeingBucket;
}

// ---------------------------------------------------------------------------------------------
// Report view model

/** One row of the SQL aggregate: open amounts of one client, currency and bucket. */
export type AgingAggregateRow = {
  clientId: string;
  externalId: string;
  clientName: string;
  currency: string;
  bucket: number;
  openMinor: number;
  count: number;
  maxDaysPastDue: number;
  /** Σ open × max(days past due, 0), as a decimal string (may exceed 2^53). */
  weightedMinorDays: string;
};

/** Closing rate: 1 unit of `currency` = `rate` units of the base currency, as stored. */
export type StoredRate = { currency: string; rate: string; onDate: string };

export type CurrencyTotals = { buckets: number[]; total: number; count: number };

export type ClientAging = {
  clientId: string;
  externalId: string;
  name: string;
  currency: string;
  buckets: number[];
  total: number;
  count: number;
  oldestDaysPastDue: number;
  weightedMinorDays: bigint;
  /** Amount × age in base-currency minor·days; null when the currency has no stored rate. */
  scoreInBase: bigint | null;
  /** Open total in base-currency minor units, truncated, for ordering ties only; null without a rate. */
  totalInBase: bigint | null;
};

export type BaseTotals = {
  currency: string;
  buckets: number[];
  total: number;
  /** The rates actually used, kept with the report run. */
  ratesUsed: StoredRate[];
  /** Currencies with open items but no stored rate: left out of the base total, never added raw. */
  notConverted: string[];
};

export type AgingReport = {
  asOf: string;
  basis: AgingBasis;
  baseCurrency: string;
  edges: number[];
  buckets: string[];
  currencies: Record<string, CurrencyTotals>;
  base: BaseTotals;
  /**
   * Client × currency balances ordered as top debtors, in the order SQL ranked them (the order of
   * rankDebtors, which the tests check it against): every one of them from buildAgingReport, only
   * the first ones from buildAgingSummaryReport (clientCount says how many there are in all).
   */
  clients: ClientAging[];
  /** Number of client × currency balances with an open amount, whether or not all are in clients. */
  clientCount: number;
  metrics: Record<string, CurrencyMetrics>;
};

export type BuildAgingReportInput = {
  asOf: string;
  basis: AgingBasis;
  baseCurrency: string;
  edges: readonly number[];
  rows: readonly AgingAggregateRow[];
  rates: readonly StoredRate[];
  metricsInput?: Record<string, MetricsInput>;
};

const zeros = (n: number) => Array.from({ length: n }, () => 0);

type BucketRow = { currency: string; bucket: number; openMinor: number; count: number };

/** Adds one (currency, bucket) aggregate row to its currency's totals, refusing rows SQL should never give. */
function addToCurrencyTotals(
  currencies: Record<string, CurrencyTotals>,
  row: BucketRow,
  width: number,
  what: "aggregate" | "totals",
): void {
  if (row.bucket < 0 || row.bucket >= width || !Number.isSafeInteger(row.openMinor)) {
    throw new DomainError("aging.row", `${what} row out of range: ${JSON.stringify(row)}`);
  }
  const totals = currencies[row.currency] ?? { buckets: zeros(width), total: 0, count: 0 };
  currencies[row.currency] = totals;
  totals.buckets[row.bucket] = (totals.buckets[row.bucket] ?? 0) + row.openMinor;
  totals.total += row.openMinor;
  totals.count += row.count;
}

/** The report of the aggregate's rows; its clients keep the order of their first rows (SQL's ranking). */
export function buildAgingReport(input: BuildAgingReportInput): AgingReport {
  const edges = validateAgingEdges(input.edges);
  const labels = bucketLabels(edges);
  const width = labels.length;
  const currencies: Record<string, CurrencyTotals> = {};
  const byClient = new Map<string, ClientAging>();

  for (const row of input.rows) {
    addToCurrencyTotals(currencies, row, width, "aggregate");

    const key = `${row.clientId}:${row.currency}`;
    let client = byClient.get(key);
    if (!client) {
      client = {
        clientId: row.clientId,
        externalId: row.externalId,
        name: row.clientName,
        currency: row.currency,
        buckets: zeros(width),
        total: 0,
        count: 0,
        oldestDaysPastDue: row.maxDaysPastDue,
        weightedMinorDays: 0n,
        scoreInBase: null,
        totalInBase: null,
      };
      byClient.set(key, client);
    }
    client.buckets[row.bucket] = (client.buckets[row.bucket] ?? 0) + row.openMinor;
    client.total += row.openMinor;
    client.count += row.count;
    client.oldestDaysPastDue = Math.max(client.oldestDaysPastDue, row.maxDaysPastDue);
    client.weightedMinorDays += BigInt(row.weightedMinorDays);
  }

  const clients = [...byClient.values()];
  return finishReport(input, edges, currencies, clients, clients.length);
}

/** One per-currency × bucket line of the summary query. */
export type AgingTotalsRow = { currency: string; bucket: number; openMinor: number; count: number };

/** One top debtor of the summary query: a client × currency balance with its per-bucket amounts. */
export type AgingDebtorRow = {
  clientId: string;
  externalId: string;
  clientName: string;
  currency: string;
  /** Open amount per bucket, one entry per bucket label. */
  buckets: number[];
  count: number;
  maxDaysPastDue: number;
  /** Σ open × max(days past due, 0), as a decimal string (may exceed 2^53). */
  weightedMinorDays: string;
};

/** What the summary query returns: totals, the first debtors as ranked by rankDebtors, how many in all. */
export type AgingSummary = {
  totals: readonly AgingTotalsRow[];
  debtors: readonly AgingDebtorRow[];
  clientCount: number;
};

export type BuildAgingSummaryInput = Omit<BuildAgingReportInput, "rows"> & { summary: AgingSummary };

/**
 * The same report model as buildAgingReport from the summary query (Slack reply, App Home): the
 * currency totals come from SQL instead of being summed from every client row, and clients holds
 * only the top debtors, in the order SQL ranked them.
 */
export function buildAgingSummaryReport(input: BuildAgingSummaryInput): AgingReport {
  const edges = validateAgingEdges(input.edges);
  const width = bucketLabels(edges).length;
  const currencies: Record<string, CurrencyTotals> = {};
  for (const row of input.summary.totals) {
    addToCurrencyTotals(currencies, row, width, "totals");
  }
  const clients = input.summary.debtors.map((row): ClientAging => {
    if (row.buckets.length !== width || !row.buckets.every(Number.isSafeInteger)) {
      throw new DomainError("aging.row", `debtor row out of range: ${JSON.stringify(row)}`);
    }
    return {
      clientId: row.clientId,
      externalId: row.externalId,
      name: row.clientName,
      currency: row.currency,
      buckets: [...row.buckets],
      total: sumBuckets(row.buckets),
      count: row.count,
      oldestDaysPastDue: row.maxDaysPastDue,
      weightedMinorDays: BigInt(row.weightedMinorDays),
      scoreInBase: null,
      totalInBase: null,
    };
  });
  return finishReport(input, edges, currencies, clients, Math.max(input.summary.clientCount, clients.length));
}

function finishReport(
  input: Omit<BuildAgingReportInput, "rows">,
  edges: number[],
  currencies: Record<string, CurrencyTotals>,
  clients: ClientAging[],
  clientCount: number,
): AgingReport {
  const labels = bucketLabels(edges);
  const width = labels.length;
  const rateOf = new Map(input.rates.map((r) => [r.currency, r]));
  const base: BaseTotals = {
    currency: input.baseCurrency,
    buckets: zeros(width),
    total: 0,
    ratesUsed: [],
    notConverted: [],
  };
  for (const [currency, totals] of Object.entries(currencies).sort(([a], [b]) => a.localeCompare(b))) {
    const converted = convertTotals(totals.buckets, currency, input.baseCurrency, rateOf.get(currency));
    if (!converted) {
      base.notConverted.push(currency);
      continue;
    }
    const rate = rateOf.get(currency);
    if (rate && currency !== input.baseCurrency) base.ratesUsed.push(rate);
    converted.forEach((amount, i) => {
      base.buckets[i] = (base.buckets[i] ?? 0) + amount;
    });
  }
  base.total = base.buckets.reduce((sum, amount) => sum + amount, 0);

  for (const client of clients) {
    const rate = rateOf.get(client.currency);
    client.scoreInBase = inBase(client.weightedMinorDays, client.currency, input.baseCurrency, rate);
    client.totalInBase = inBase(BigInt(client.total), client.currency, input.baseCurrency, rate);
  }

  const metrics: Record<string, CurrencyMetrics> = {};
  for (const [currency, totals] of Object.entries(currencies)) {
    const m = input.metricsInput?.[currency];
    if (m) metrics[currency] = computeMetrics(totals.total, totals.buckets[0] ?? 0, m);
  }

  return {
    asOf: input.asOf,
    basis: input.basis,
    baseCurrency: input.baseCurrency,
    edges,
    buckets: labels,
    currencies,
    base,
    clients,
    clientCount,
    metrics,
  };
}

// Each bucket is converted on its own (rounded once each), and the base total is the sum of the
// converted buckets, so the base buckets always add up to the base total.
function convertTotals(
  buckets: readonly number[],
  from: string,
  to: string,
  rate: StoredRate | undefined,
): number[] | null {
  if (from === to) return [...buckets];
  if (!rate) return null;
  return buckets.map((amount) => convert(amount, from, to, rate.rate));
}

/**
 * An amount (or amount × days) in the base currency, truncated toward zero: only for ordering, so
 * no rounding rule applies. The SQL of the summary query computes the same (trunc(x × rate)).
 */
function inBase(
  amount: bigint,
  currency: string,
  baseCurrency: string,
  rate: StoredRate | undefined,
): bigint | null {
  if (currency === baseCurrency) return amount;
  if (!rate) return null;
  // Exact: the rate is scaled to an integer with its own decimals.
  const [whole = "0", fraction = ""] = rate.rate.split(".");
  return (amount * BigInt(whole + fraction)) / 10n ** BigInt(fraction.length);
}

/**
 * The test oracle of the ranking SQL computes (src/aging/buckets-repo.ts): no report sorts with it.
 * Top debtors: by amount × age, i.e. Σ open amount × days past due of the client's overdue items,
 * in the base currency. Clients whose currency has no stored rate cannot be compared with the
 * others: they come after every converted client, ranked among themselves by their own score.
 * Ties (e.g. nothing overdue) fall back to the open total (in the base currency, or as is without
 * a rate), then the name, the currency and the client id.
 *
 * A plain lexicographic order on those keys, so that the summary query can rank in SQL with
 * exactly the same ORDER BY (rankOrder in src/aging/buckets-repo.ts) and return only the top.
 */
export function rankDebtors(clients: readonly ClientAging[]): ClientAging[] {
  const cmpBig = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  return [...clients].sort((a, b) => {
    if ((a.scoreInBase === null) !== (b.scoreInBase === null)) return a.scoreInBase === null ? 1 : -1;
    return (
      cmpBig(a.scoreInBase ?? a.weightedMinorDays, b.scoreInBase ?? b.weightedMinorDays) ||
      cmpBig(a.totalInBase ?? BigInt(a.total), b.totalInBase ?? BigInt(b.total)) ||
      compareCodePoints(a.name, b.name) ||
      compareCodePoints(a.currency, b.currency) ||
      compareCodePoints(a.clientId, b.clientId)
    );
  });
}

/**
 * Code-point order, as PostgreSQL's COLLATE "C" on UTF-8 (the SQL side of the ranking). Plain `<`
 * compares UTF-16 code units, which differs only when surrogates meet U+E000..U+FFFF;
 * localeCompare would cost ~100 ms on 10,000 clients.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a code point above U+FFFF) sorts after every other unit from U+E000 up.
    if (x >= 0xd800 && y >= 0xd800)
      return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000) < 0 ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Σ of the buckets: the domain guarantees it equals the total of every currency and client. */
export function sumBuckets(buckets: readonly number[]): number {
  return buckets.reduce((sum, amount) => sum + amount, 0);
}

// ---------------------------------------------------------------------------------------------
// Metrics (invoicing-rules.md §6). All amounts in one currency (computed per currency, so no
// rate is ever needed); results are days or percent rounded to one decimal, or null when the
// denominator is zero.

const round1 = (value: number) => Math.round(value * 10) / 10;

/** DSO (simple) = ending AR ÷ credit sales of the period × days in the period. */
export function dsoSimple(endingAr: number, creditSales: number, days: number): number | null {
  return creditSales > 0 ? round1((endingAr / creditSales) * days) : null;
}

/** Best possible DSO = current (not yet due) AR ÷ credit sales of the period × days in the period. */
export function bestPossibleDso(currentAr: number, creditSales: number, days: number): number | null {
  return creditSales > 0 ? round1((currentAr / creditSales) * days) : null;
}

/** Average days delinquent = DSO − best possible DSO (same period and sales for both). */
export function averageDaysDelinquent(dso: number | null, bpdso: number | null): number | null {
  return dso === null || bpdso === null ? null : round1(dso - bpdso);
}

export type MonthSales = { days: number; sales: number };

/**
 * Countback DSO: take the months newest first, subtract each month's credit sales from the ending
 * AR and count its days while the AR covers it; for the partly consumed month add
 * days × remaining ÷ that month's sales. `exhausted` is true when the months given ran out
 * before the AR did (the figure is then a lower bound).
 */
export function dsoCountback(
  endingAr: number,
  monthsNewestFirst: readonly MonthSales[],
): { days: number; exhausted: boolean } {
  let remaining = endingAr;
  let days = 0;
  for (const month of monthsNewestFirst) {
    if (remaining <= 0) return { days: round1(days), exhausted: false };
    if (month.sales <= 0) {
      days += month.days;
      continue;
    }
    if (remaining >= month.sales) {
      remaining -= month.sales;
      days += month.days;
    } else {
      days += (month.days * remaining) / month.sales;
      remaining = 0;
    }
  }
  return { days: round1(days), exhausted: remaining > 0 };
}

/**
 * Collection effectiveness index (Cobro's formula, full-period credit sales, not a monthly average):
 * CEI = (beginning AR + credit sales − ending total AR) ÷ (beginning AR + credit sales − ending
 * current AR) × 100. 100 % is ideal.
 */
export function collectionEffectiveness(
  beginningAr: number,
  creditSales: number,
  endingAr: number,
  endingCurrentAr: number,
): number | null {
  const denominator = beginningAr + creditSales - endingCurrentAr;
  return denominator > 0 ? round1(((beginningAr + creditSales - endingAr) / denominator) * 100) : null;
}

/** What the repo supplies per currency for the metrics. */
export type MetricsInput = {
  /** Credit sales (net of credit notes) in the `periodDays` days ending at asOf. */
  periodSales: number;
  periodDays: number;
  /** Calendar months newest first (the first is the month of asOf, up to asOf). */
  months: MonthSales[];
  /** CEI over the calendar month of asOf (up to asOf): net credit sales, cash collected, and interest
   * notes billed (in AR but outside sales). */
  monthSales: number;
  monthCollected: number;
  monthInterestBilled: number;
};

export type CurrencyMetrics = {
  periodDays: number;
  dso: number | null;
  bestPossibleDso: number | null;
  averageDaysDelinquent: number | null;
  dsoCountback: number;
  dsoCountbackExhausted: boolean;
  cei: number | null;
};

export function computeMetrics(
  endingAr: number,
  endingCurrentAr: number,
  input: MetricsInput,
): CurrencyMetrics {
  const dso = dsoSimple(endingAr, input.periodSales, input.periodDays);
  const bpdso = bestPossibleDso(endingCurrentAr, input.periodSales, input.periodDays);
  const countback = dsoCountback(endingAr, input.months);
  // AR roll-forward (sales already net of credit notes): beginning AR = ending AR − sales − interest
  // notes billed + cash collected in the month. Saves a second snapshot query.
  const beginningAr = endingAr - input.monthSales - input.monthInterestBilled + input.monthCollected;
  return {
    periodDays: input.periodDays,
    dso,
    bestPossibleDso: bpdso,
    averageDaysDelinquent: averageDaysDelinquent(dso, bpdso),
    dsoCountback: countback.days,
    dsoCountbackExhausted: countback.exhausted,
    cei: collectionEffectiveness(beginningAr, input.monthSales, endingAr, endingCurrentAr),
  };
}

// ---------------------------------------------------------------------------------------------
// The stable JSON shape of `cobro aging --json` (documented in docs/aging.md).

export type AgingJson = {
  asOf: string;
  basis: AgingBasis;
  baseCurrency: string;
  buckets: string[];
  currencies: Record<string, Record<string, number>>;
  clients: {
    externalId: string;
    name: string;
    currency: string;
    total: number;
    oldestDaysPastDue: number;
    buckets: Record<string, number>;
  }[];
};

const byLabel = (labels: readonly string[], amounts: readonly number[]) =>
  Object.fromEntries(labels.map((label, i) => [label, amounts[i] ?? 0]));

// A summary report lists only the top debtors: exporting it would silently drop clients.
function assertEveryClient(report: AgingReport): void {
  if (report.clients.length !== report.clientCount) {
    throw new DomainError(
      "aging.summary_export",
      `report lists ${report.clients.length} of ${report.clientCount} client balances`,
    );
  }
}

export function toAgingJson(report: AgingReport): AgingJson {
  assertEveryClient(report);
  const currencies: AgingJson["currencies"] = {};
  for (const [currency, totals] of Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b))) {
    currencies[currency] = {
      ...byLabel(report.buckets, totals.buckets),
      total: totals.total,
      count: totals.count,
    };
  }
  return {
    asOf: report.asOf,
    basis: report.basis,
    baseCurrency: report.baseCurrency,
    buckets: report.buckets,
    currencies,
    clients: report.clients.map((c) => ({
      externalId: c.externalId,
      name: c.name,
      currency: c.currency,
      total: c.total,
      oldestDaysPastDue: c.oldestDaysPastDue,
      buckets: byLabel(report.buckets, c.buckets),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV export (CLI --csv and Slack "Export CSV"): one line per client and currency, amounts as
// decimal strings in the currency's own units, then one total line per currency.

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
// Names typed by users: a leading = + - @ would run as a formula in a spreadsheet, so quote it.
const csvText = (value: string) => csvCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * Rows to append to toAgingCsv's output: the base-currency buckets at each month-end of the trend,
 * in the same columns (client_id empty, "MONTH-END <date>" as the client).
 */
export function toAgingTrendCsvRows(
  baseCurrency: string,
  points: readonly { monthEnd: string; buckets: readonly number[]; total: number }[],
): string {
  return points
    .map((p) =>
      [
        "",
        `MONTH-END ${p.monthEnd}`,
        baseCurrency,
        ...[...p.buckets, p.total].map((amount) => toDecimalString(amount, baseCurrency)),
        "",
        "",
      ]
        .map(csvCell)
        .join(","),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/** `header`: the column names in the reader's language (as many as the English ones), else English. */
export function toAgingCsv(report: AgingReport, header?: readonly string[]): string {
  assertEveryClient(report);
  const english = [
    "client_id",
    "client",
    "currency",
    ...report.buckets,
    "total",
    "oldest_days_past_due",
    "invoices",
  ];
  if (header && header.length !== english.length)
    throw new Error("the CSV header has the wrong number of columns");
  const lines = [(header ?? english).map(csvCell).join(",")];
  for (const c of report.clients) {
    const amounts = [...c.buckets, c.total].map((amount) => toDecimalString(amount, c.currency));
    lines.push(
      [
        csvText(c.externalId),
        csvText(c.name),
        c.currency,
        ...amounts.map(csvCell),
        c.oldestDaysPastDue,
        c.count,
      ].join(","),
    );
  }
  for (const [currency, totals] of Object.entries(report.currencies).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      [
        "",
        `TOTAL ${currency}`,
        currency,
        ...totals.buckets.map((amount) => toDecimalString(amount, currency)),
        toDecimalString(totals.total, currency),
        "",
        totals.count,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
