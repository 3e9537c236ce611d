import { describe, expect, it } from "vitest";
import { pickInvoiceMessage } from "../../src/aging/slack/aging-replies.ts";
import {
  type AgingInvoiceItem,
  buildAgingErrorMessage,
  buildAgingFilterOptions,
  buildAgingHomeSection,
  buildAgingInvoicesMessage,
  buildAgingMessage,
  buildAgingSharedMessage,
  parseAgingArgs,
} from "../../src/aging/slack/aging-report.ts";
import { buildStatementPreview } from "../../src/aging/slack/statement-preview.ts";
import type { ClientStatementPreview } from "../../src/collections/index.ts";
import { type AgingAggregateRow, buildAgingReport } from "../../src/domain/aging.ts";
import { buildStatement } from "../../src/domain/statement.ts";
import type { Locale } from "../../src/i18n/index.ts";
import { AGING_ACTIONS, decodeAgingMenuValue, decodeAgingState } from "../../src/slack/kit/ids.ts";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const LONG = "Ünïcode & <Sons> Holding Company of Very Long Names 😀 ".repeat(6);
const CURRENCIES = [
  "EUR",
  "USD",
  "GBP",
  "JPY",
  "CHF",
  "SEK",
  "KWD",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
  "HUF",
  "RON",
  "BGN",
  "CAD",
];

function bigReport(clients: number, edges = [30, 60, 90], name = LONG, currencies = CURRENCIES) {
  const rows: AgingAggregateRow[] = [];
  for (let i = 0; i < clients; i++) {
    for (let bucket = 0; bucket <= edges.length + 1; bucket += 1 + (i % 3)) {
      rows.push({
        clientId: uuid(i),
        externalId: `CLIENT-${i}-${"X".repeat(60)}`,
        clientName: `${i} ${name}`,
        currency: currencies[i % currencies.length] ?? "EUR",
        bucket,
        openMinor: 999_999_999_99 - i * 7,
        count: 3,
        maxDaysPastDue: bucket * 40,
        weightedMinorDays: String(BigInt(999_999_999_99 - i) * BigInt(bucket * 40)),
      });
    }
  }
  return buildAgingReport({
    asOf: "2026-11-23",
    basis: "due",
    baseCurrency: "EUR",
    edges,
    rows,
    rates: [{ currency: "USD", rate: "0.9123456789", onDate: "2026-11-20" }],
    metricsInput: Object.fromEntries(
      CURRENCIES.map((c) => [
        c,
        {
          periodSales: 1,
          periodDays: 90,
          months: [{ days: 23, sales: 1 }],
          monthSales: 1,
          monthCollected: 0,
          monthInterestBilled: 0,
        },
      ]),
    ),
  });
}

type Json = Record<string, unknown>;

/** Walks every block and element and checks Slack's documented limits. */
function assertBlockKitLimits(message: { text: string; blocks: unknown[] }, maxBlocks: number) {
  expect(message.blocks.length).toBeLessThanOrEqual(maxBlocks);
  expect(JSON.stringify(message.blocks).length).toBeLessThan(12_000);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  const ids = new Set<string>();
  const text = (t: unknown, max: number) => {
    const s = (t as { text: string }).text;
    expect(s.length, s.slice(0, 80)).toBeLessThanOrEqual(max);
    expect(s.length).toBeGreaterThan(0);
  };
  const opt = (o: Json) => {
    text(o.text, 75);
    expect(String(o.value).length).toBeLessThanOrEqual(75);
  };
  const element = (e: Json) => {
    expect(String(e.action_id ?? "").length).toBeLessThanOrEqual(255);
    if (e.type === "button") {
      text(e.text, 75);
      expect(String(e.value ?? "").length).toBeLessThanOrEqual(2000);
    }
    if (e.type === "overflow") {
      const options = e.options as Json[];
      expect(options.length).toBeGreaterThanOrEqual(2);
      expect(options.length).toBeLessThanOrEqual(5);
      options.forEach(opt);
    }
    if (e.type === "static_select") {
      const groups = (e.option_groups as { label: unknown; options: Json[] }[] | undefined) ?? [];
      const options = (e.options as Json[] | undefined) ?? groups.flatMap((g) => g.options);
      expect(options.length).toBeGreaterThan(0);
      expect(options.length).toBeLessThanOrEqual(100);
      options.forEach(opt);
      expect(groups.length).toBeLessThanOrEqual(100);
      for (const g of groups) text(g.label, 75);
      expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
    }
    if (e.placeholder) text(e.placeholder, 150);
  };
  // Slack takes one table a message: at most 100 rows of at most 20 cells, each row as wide as the head.
  const tables = message.blocks.filter((b) => (b as Json).type === "table") as Json[];
  expect(tables.length).toBeLessThanOrEqual(1);
  for (const table of tables) {
    const rows = table.rows as { type: string; text: string }[][];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(100);
    expect((table.column_settings as unknown[]).length).toBeLessThanOrEqual(20);
    for (const row of rows) {
      expect(row.length).toBeLessThanOrEqual(20);
      expect(row).toHaveLength(rows[0]?.length ?? 0);
      for (const cell of row) {
        expect(["raw_text", "raw_number", "rich_text"]).toContain(cell.type);
        expect(cell.text.length).toBeGreaterThan(0);
      }
    }
  }
  for (const raw of message.blocks) {
    const block = raw as Json;
    if (block.block_id) {
      const id = String(block.block_id);
      expect(id.length).toBeLessThanOrEqual(255);
      expect(ids.has(id), `duplicate block_id ${id}`).toBe(false);
      ids.add(id);
    }
    if (block.type === "header") text(block.text, 150);
    if (block.type === "section") {
      if (block.text) text(block.text, 3000);
      if (block.fields) {
        expect((block.fields as unknown[]).length).toBeLessThanOrEqual(10);
        for (const f of block.fields as unknown[]) text(f, 2000);
      }
      if (block.accessory) element(block.accessory as Json);
    }
    if (block.type === "context") {
      expect((block.elements as unknown[]).length).toBeLessThanOrEqual(10);
      for (const e of block.elements as unknown[]) text(e, 3000);
    }
    if (block.type === "actions") {
      const elements = block.elements as Json[];
      expect(elements.length).toBeLessThanOrEqual(25);
      const actionIds = elements.map((e) => e.action_id);
      expect(new Set(actionIds).size).toBe(actionIds.length);
      elements.forEach(element);
    }
  }
}

const collectors = Array.from({ length: 300 }, (_, i) => ({ id: uuid(i), label: `${i} ${LONG}` }));
const state = { a: "2026-11-23", b: "due" as const };

/** What each language says where the limits bite: the balances left out and the rates missing. */
const LIMIT_WORDS = {
  en: { more: (n: string) => `${n} more client balances not shown`, leavesOut: "leaves out" },
  es: { more: (n: string) => `${n} saldos de clientes más no se muestran`, leavesOut: "no incluye" },
  fr: { more: (n: string) => `${n} autres soldes clients ne sont pas affichés`, leavesOut: "n’inclut pas" },
} as const;

describe("aging report message", () => {
  it.each(["en", "es", "fr"] as const)(
    "holds every Block Kit limit with 5,000 clients, 15 currencies and long names (%s)",
    (locale) => {
      const report = bigReport(5000);
      const model = { report, state, labels: {}, collectors, collectorsTruncated: true, locale };
      const message = buildAgingMessage(model);
      assertBlockKitLimits(message, 50);
      const json = JSON.stringify(message.blocks);
      expect(json).toContain(LIMIT_WORDS[locale].leavesOut); // currencies without a rate are named, not added
      expect(json).toContain("cobro rates fx import"); // and how to add the rate
      expect(json).toContain(AGING_ACTIONS.exportCsv);
      expect(json).toContain(AGING_ACTIONS.share);
      expect(json).toContain(AGING_ACTIONS.filterClient);
      const mrkdwnTexts = message.blocks.flatMap((b) =>
        b.type === "section" && b.text ? [b.text.text] : [],
      );
      expect(mrkdwnTexts.join("\n")).toContain("&lt;Sons&gt;"); // names escaped in mrkdwn
      // Long names and 15 currencies leave room for fewer debtors: the note counts the rest exactly.
      const shown = message.blocks.filter((b) => b.type === "section" && b.accessory).length;
      // Spanish and French words are longer: with 300-character names, one debtor fewer fits.
      expect(shown).toBeGreaterThanOrEqual(locale === "en" ? 3 : 2);
      expect(json).toContain(LIMIT_WORDS[locale].more((5000 - shown).toLocaleString(locale)));
      // The shared copy, the widest buckets and the Home hold them too in every language.
      assertBlockKitLimits(buildAgingSharedMessage(model, "U123"), 50);
      const wide = { ...model, report: bigReport(5000, [7, 14, 21, 30, 45, 60, 90, 120]) };
      assertBlockKitLimits(buildAgingMessage(wide), 50);
      assertBlockKitLimits(buildAgingSharedMessage(wide, "U123"), 50);
      assertBlockKitLimits({ text: "x", blocks: buildAgingHomeSection(report, locale).blocks }, 100);
    },
  );

  it("counts the balances a summary report leaves out (only its top debtors are loaded)", () => {
    const full = bigReport(500);
    const summary = { ...full, clients: full.clients.slice(0, 10) };
    const message = buildAgingMessage({ report: summary, state, labels: {}, collectors, locale: "en" });
    const shown = message.blocks.filter((b) => b.type === "section" && b.accessory).length;
    expect(summary.clientCount).toBe(500);
    expect(JSON.stringify(message.blocks)).toContain(`${500 - shown} more client balances not shown`);
  });

  it("offers E-mail statement only on one client's report", () => {
    const report = bigReport(3);
    const actionIds = (c?: string) =>
      buildAgingMessage({
        report,
        state: { ...state, ...(c ? { c } : {}) },
        labels: {},
        collectors: [],
        locale: "en",
      })
        .blocks.flatMap((b) => (b.type === "actions" ? b.elements : []))
        .map((e) => (e as { action_id?: string }).action_id);
    expect(actionIds(uuid(1))).toContain(AGING_ACTIONS.statement);
    expect(actionIds()).not.toContain(AGING_ACTIONS.statement);
  });

  it("puts the bucket totals in a table block (and the shared copy's top debtors), within its limits", () => {
    const report = bigReport(5000, [7, 14, 21, 30, 45, 60, 90, 120]);
    const tables = (blocks: { type: string }[]) =>
      blocks.filter((b) => b.type === "table") as unknown as {
        rows: { type: string; text: string }[][];
        column_settings: unknown[];
      }[];
    const own = tables(buildAgingMessage({ report, state, labels: {}, collectors, locale: "en" }).blocks);
    const shared = buildAgingSharedMessage({ report, state, labels: {}, collectors, locale: "en" }, "U123");
    const copy = tables(shared.blocks);
    // One table a message, at most 100 rows of 20 cells, every row as wide as the header.
    expect(own).toHaveLength(1);
    expect(copy).toHaveLength(1);
    for (const table of [...own, ...copy]) {
      expect(table.rows.length).toBeLessThanOrEqual(100);
      expect(table.column_settings.length).toBeLessThanOrEqual(20);
      for (const row of table.rows) {
        expect(row).toHaveLength(report.buckets.length + 2);
        for (const cell of row) {
          expect(cell.type).toBe("raw_text");
          expect(cell.text.length).toBeGreaterThan(0);
        }
      }
    }
    expect(own[0]?.rows[0]?.map((c) => c.text)).toEqual([" ", ...report.buckets, "total"]);
    expect(own[0]?.rows.map((r) => r[0]?.text)).toContain("Σ EUR");
    // The shared copy lists top debtors in the table; the text says the totals in words.
    expect(copy[0]?.rows.some((r) => r[0]?.text.startsWith("1. 0 "))).toBe(true);
    expect(shared.text).toContain("EUR current:");
  });

  it("holds the limits with the widest buckets (8 edges) too", () => {
    const report = bigReport(5000, [7, 14, 21, 30, 45, 60, 90, 120]);
    assertBlockKitLimits(buildAgingMessage({ report, state, labels: {}, collectors, locale: "en" }), 50);
    assertBlockKitLimits(
      buildAgingSharedMessage({ report, state, labels: {}, collectors, locale: "en" }, "U123"),
      50,
    );
  });

  it("shows top debtors with an overflow of Send reminder, Record payment, View invoices", () => {
    const report = bigReport(30, [30, 60, 90], "Acme Consulting Group", ["EUR", "USD"]);
    const message = buildAgingMessage({ report, state, labels: {}, collectors: [], locale: "en" });
    assertBlockKitLimits(message, 50);
    const debtors = message.blocks.filter((b) => b.type === "section" && "accessory" in b && b.accessory);
    // The bucket totals' table takes ~1,400 characters of the budget: with these ten-billion
    // amounts nine of the ten debtors fit, and the note counts the rest.
    expect(debtors.length).toBeGreaterThanOrEqual(9);
    expect(JSON.stringify(message.blocks)).toContain(`${30 - debtors.length} more client balances not shown`);
    const first = debtors[0] as {
      block_id: string;
      accessory: { options: { text: { text: string }; value: string }[] };
    };
    expect(first.accessory.options.map((o) => o.text.text)).toEqual([
      "Send reminder",
      "Record payment",
      "View invoices",
    ]);
    expect(decodeAgingMenuValue(first.accessory.options[2]?.value)).toEqual({
      verb: "invoices",
      target: "client",
      id: report.clients[0]?.clientId,
    });
    expect(decodeAgingState(first.block_id)).toEqual(state);
    // Button values never carry a workspace id, only the report state.
    const buttons = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : []));
    for (const b of buttons) {
      if ("value" in b && b.value)
        expect(Object.keys(decodeAgingState(b.value) ?? {}).sort()).not.toContain("w");
    }
  });

  it("one drill-down button per non-empty bucket carrying the bucket and page 0", () => {
    const report = bigReport(3);
    const message = buildAgingMessage({ report, state, labels: {}, collectors: [], locale: "en" });
    const bucketBlock = message.blocks.find(
      (b) => b.type === "actions" && b.elements.some((e) => e.action_id?.startsWith(AGING_ACTIONS.bucket)),
    );
    const values = (bucketBlock as { elements: { value: string }[] }).elements.map((e) =>
      decodeAgingState(e.value),
    );
    expect(values.map((v) => v?.k)).toEqual(
      report.buckets
        .map((_, i) => i)
        .filter((i) => Object.values(report.currencies).some((t) => t.buckets[i] !== 0)),
    );
    expect(values.every((v) => v?.n === 0 && v.a === "2026-11-23")).toBe(true);
  });
});

describe("drill-down pagination", () => {
  const invoices = (n: number): AgingInvoiceItem[] =>
    Array.from({ length: n }, (_, i) => ({
      invoiceId: uuid(i),
      clientName: LONG,
      number: `F-2026-${String(i).padStart(5, "0")}`,
      currency: "EUR",
      dueDate: "2026-09-01",
      issueDate: "2026-08-01",
      daysPastDue: 83,
      openMinor: 123_456_789,
    }));
  const page = (n: number, total = 45) =>
    buildAgingInvoicesMessage({
      state: { ...state, k: 3, n },
      labels: { client: LONG },
      asOf: "2026-11-23",
      basis: "due",
      bucketLabel: "61-90",
      page: n,
      pageSize: 10,
      total,
      invoices: invoices(Math.min(10, total - n * 10)),
      locale: "en",
    });
  type Table = { rows: { type: string; text: string }[][]; column_settings: { align: string }[] };
  const tablesOf = (message: ReturnType<typeof page>) =>
    message.blocks.filter((b) => b.type === "table") as unknown as Table[];
  type Chooser = {
    action_id: string;
    block_id: string;
    option_groups: { label: { text: string }; options: { text: { text: string }; value: string }[] }[];
  };
  const chooserOf = (message: ReturnType<typeof page>) => {
    const block = message.blocks.find((b) => b.type === "actions" && b.block_id?.startsWith("97|")) as
      | { block_id: string; elements: Omit<Chooser, "block_id">[] }
      | undefined;
    const select = block?.elements[0];
    if (!block || !select) throw new Error("no invoice select under the table");
    return { ...select, block_id: block.block_id };
  };
  const nav = (message: ReturnType<typeof page>) => {
    const block = message.blocks.at(-1) as { elements: { action_id: string; value: string }[] };
    return Object.fromEntries(block.elements.map((e) => [e.action_id, decodeAgingState(e.value)]));
  };

  it("first page: Next only, then Previous and Next, last page: Previous only", () => {
    expect(Object.keys(nav(page(0)))).toEqual([AGING_ACTIONS.pageNext, AGING_ACTIONS.back]);
    expect(nav(page(0))[AGING_ACTIONS.pageNext]).toMatchObject({ k: 3, n: 1 });
    expect(nav(page(2))[AGING_ACTIONS.pagePrev]).toMatchObject({ k: 3, n: 1 });
    expect(nav(page(2))[AGING_ACTIONS.pageNext]).toMatchObject({ k: 3, n: 3 });
    expect(Object.keys(nav(page(4)))).toEqual([AGING_ACTIONS.pagePrev, AGING_ACTIONS.back]);
    expect(nav(page(4))[AGING_ACTIONS.back]).toEqual(state);
    expect(JSON.stringify(page(4).blocks)).toContain("page 5 of 5 · 45 invoices");
  });

  it("the page is a table, and one select offers each invoice's Send reminder and Record payment", () => {
    const message = page(1);
    assertBlockKitLimits(message, 50);
    const [table] = tablesOf(message);
    expect(table?.rows.map((r) => r[0]?.text)).toEqual(["Invoice", ...invoices(10).map((i) => i.number)]);
    expect(table?.rows[0]?.map((c) => c.text)).toEqual([
      "Invoice",
      "Client",
      "Issued",
      "Due",
      "Days late",
      "Open",
    ]);
    expect(table?.rows[1]?.map((c) => c.text).slice(2)).toEqual([
      "Aug 1, 2026",
      "Sep 1, 2026",
      "83",
      "€1,234,567.89",
    ]);
    expect(table?.column_settings.map((c) => c.align)).toEqual([
      "left",
      "left",
      "left",
      "left",
      "right",
      "right",
    ]);
    // No section carries a per-row menu any more: the select under the table has them all.
    expect(message.blocks.some((b) => b.type === "section" && "accessory" in b && b.accessory)).toBe(false);
    const chooser = chooserOf(message);
    expect(chooser.action_id).toBe(AGING_ACTIONS.invoiceMenu);
    expect(decodeAgingState(chooser.block_id)).toEqual({ ...state, k: 3, n: 1 });
    expect(chooser.option_groups.map((g) => g.label.text)).toEqual(["Send reminder", "Record payment"]);
    for (const [g, verb] of [
      [0, "remind"],
      [1, "pay"],
    ] as const) {
      const choices = chooser.option_groups[g]?.options.map((o) => decodeAgingMenuValue(o.value));
      expect(choices).toEqual(invoices(10).map((i) => ({ verb, target: "invoice", id: i.invoiceId })));
    }
    expect(chooser.option_groups[0]?.options[0]?.text.text).toMatch(/^F-2026-00000 · Ünïcode/);
  });

  it.each(["en", "es", "fr"] as const)(
    "a page of 20 invoices with 300-character names holds every limit (%s); the text reads the rows out",
    (locale) => {
      const message = buildAgingInvoicesMessage({
        state: { ...state, k: 4, n: 0 },
        labels: { client: LONG },
        asOf: "2026-11-23",
        basis: "issue",
        bucketLabel: "90+",
        page: 0,
        pageSize: 20,
        total: 5000,
        invoices: invoices(20).map((i) => ({ ...i, number: `${i.number}-${"N".repeat(80)}` })),
        locale,
      });
      assertBlockKitLimits(message, 50);
      const rows = tablesOf(message)[0]?.rows ?? [];
      const shown = rows.length - 1;
      expect(shown).toBeGreaterThanOrEqual(10);
      expect(chooserOf(message).option_groups[0]?.options).toHaveLength(shown);
      if (shown < 20) expect(JSON.stringify(message.blocks)).toContain(String(20 - shown));
      expect(message.text.split("\n").length).toBeGreaterThan(1);
      expect(message.text).toContain("&lt;Sons&gt;");
    },
  );

  it("an empty bucket says so", () => {
    expect(JSON.stringify(page(0, 0).blocks)).toContain("No invoices");
  });
});

describe("statement of account preview", () => {
  /** A client's statement with `count` open invoices spread over `currencies`, partly paid. */
  function preview(count: number, currencies = ["EUR"], to = ["ap@acme.example"]): ClientStatementPreview {
    const statement = buildStatement({
      asOf: "2026-11-23",
      edges: [30, 60, 90],
      invoices: Array.from({ length: count }, (_, i) => ({
        number: `F-2026-${String(i).padStart(5, "0")}-${"N".repeat(40)}`,
        issueDate: "2026-06-01",
        dueDate: `2026-${String(7 + (i % 6)).padStart(2, "0")}-01`,
        currency: currencies[i % currencies.length] ?? "EUR",
        totalMinor: 999_999_999_99,
        openMinor: 999_999_999_99 - i,
      })),
      refunds: [{ number: "F-2026-00009", currency: "EUR", refundDueMinor: 1_000 }],
    });
    return {
      ...statement,
      clientId: uuid(1),
      client: { name: LONG, address: null, language: "fr", emails: to },
      seller: { legalName: "Cobro SL", address: { line1: "x", postcode: "1", city: "y", country: "ES" } },
      to,
      sentTodayTo: null,
    } as ClientStatementPreview;
  }
  const clientState = { ...state, c: uuid(1) };
  const rowsOf = (message: { blocks: { type: string }[] }) =>
    (
      (message.blocks.find((b) => b.type === "table") as unknown as { rows: { text: string }[][] })?.rows ??
      []
    ).map((r) => r.map((c) => c.text));

  it.each(["en", "es", "fr"] as const)(
    "holds every Block Kit limit with 5,000 open invoices in 15 currencies and a long name (%s), counting the rows left out",
    (locale) => {
      const message = buildStatementPreview(preview(5000, CURRENCIES), clientState, locale);
      assertBlockKitLimits(message, 50);
      const rows = rowsOf(message);
      // Every currency's total is a row; the invoices fill what the message's size leaves.
      const totals = rows.filter((r) => r[1] === " ");
      expect(totals.length).toBeGreaterThanOrEqual(15);
      const shown = rows.length - 1 - totals.length;
      expect(shown).toBeGreaterThan(0);
      const left = (5000 - shown).toLocaleString(locale);
      expect(JSON.stringify(message.blocks)).toContain(left);
      expect(JSON.stringify(message.blocks)).toContain("cobro statement");
      expect(message.text).toContain("&lt;Sons&gt;");
    },
  );

  it("lists each invoice with what was paid and what is open, the buckets and the total, and a Send to its e-mail", () => {
    const message = buildStatementPreview(preview(3), clientState, "en");
    assertBlockKitLimits(message, 50);
    const rows = rowsOf(message);
    expect(rows[0]).toEqual(["Invoice", "Date", "Due", "Amount", "Paid", "Open", "Days late"]);
    expect(rows[1]?.slice(1)).toEqual([
      "Jun 1, 2026",
      "Jul 1, 2026",
      "€999,999,999.99",
      "€0.00",
      "€999,999,999.99",
      "145",
    ]);
    expect(rows[2]?.slice(2)).toEqual(["Aug 1, 2026", "€999,999,999.99", "€0.01", "€999,999,999.98", "114"]);
    expect(rows.slice(4).map((r) => [r[0], r[5]])).toEqual([
      ["61-90 days late (EUR)", "€999,999,999.97"],
      ["90+ days late (EUR)", "€1,999,999,999.97"],
      ["Total open (EUR)", "€2,999,999,999.94"],
    ]);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain("the e-mail and its PDF go in French, the client's language");
    expect(json).toContain("Owed back to the client: €10.00 (F-2026-00009)");
    const buttons = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])) as {
      action_id: string;
      text: { text: string };
      value: string;
    }[];
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      [AGING_ACTIONS.statementSend, "Send to ap@acme.example"],
      [AGING_ACTIONS.statementCancel, "Cancel"],
    ]);
    expect(decodeAgingState(buttons[0]?.value)).toEqual(clientState);
  });

  it("without a billing e-mail says why it cannot go and offers no Send", () => {
    const json = JSON.stringify(buildStatementPreview(preview(1, ["EUR"], []), clientState, "es").blocks);
    expect(json).toContain("no tiene dirección de correo de facturación");
    expect(json).not.toContain(AGING_ACTIONS.statementSend);
  });

  it("a client with nothing open is told the statement will say the account is up to date", () => {
    const json = JSON.stringify(buildStatementPreview(preview(0), clientState, "fr").blocks);
    expect(json).toContain("Rien n’est ouvert");
    expect(json).not.toContain('"table"');
  });
});

describe("a debtor's invoices to choose from", () => {
  it.each(["en", "es", "fr"] as const)(
    "lists the first ten as a table with one select of the verb asked, within every limit (%s)",
    (locale) => {
      const invoices = Array.from({ length: 11 }, (_, i) => ({
        invoiceId: uuid(i),
        number: `F-2026-${String(i).padStart(5, "0")}-${"N".repeat(200)}`,
        openMinor: 999_999_999_99,
        currency: "EUR",
        dueDate: i === 0 ? null : "2026-10-01",
      }));
      const message = pickInvoiceMessage(
        "pay",
        { kind: "pick", clientName: LONG, invoices, locale: "en" },
        state,
        locale,
      );
      assertBlockKitLimits({ text: message.text, blocks: message.blocks ?? [] }, 50);
      const table = message.blocks?.find((b) => b.type === "table") as unknown as { rows: unknown[][] };
      expect(table.rows).toHaveLength(11); // the head and the first ten
      const select = JSON.stringify(message.blocks?.at(-1));
      expect(select).toContain(AGING_ACTIONS.invoiceMenu);
      expect(select).toContain(`pay:i:${uuid(9)}`);
      expect(select).not.toContain("remind:");
      expect(select).not.toContain(uuid(10));
    },
  );
});

describe("home section, filter options, errors", () => {
  it("the App Home summary is small whatever the data", () => {
    const section = buildAgingHomeSection(bigReport(5000), "en");
    expect(section.blocks.length).toBeLessThanOrEqual(3);
    assertBlockKitLimits({ text: "x", blocks: section.blocks }, 100);
  });

  it("external select options are cut at 100 with long labels cut at 75", () => {
    const { options } = buildAgingFilterOptions(collectors, "client", "en");
    expect(options).toHaveLength(100);
    for (const o of options) expect(o.text.text.length).toBeLessThanOrEqual(75);
  });

  it("bad arguments are explained with the syntax", () => {
    const message = buildAgingErrorMessage('"2026-13-01" is not a date', "en");
    expect(message.text).toContain("/aging [client | project | @collector] [as-of YYYY-MM-DD] [by issue]");
  });
});

describe("the reader's language and money", () => {
  const report = buildAgingReport({
    asOf: "2026-11-23",
    basis: "due",
    baseCurrency: "EUR",
    edges: [30, 60, 90],
    rows: [
      {
        clientId: uuid(1),
        externalId: "ACME",
        clientName: "Acme SA",
        currency: "EUR",
        bucket: 2,
        openMinor: 1_234_567,
        count: 1,
        maxDaysPastDue: 53,
        weightedMinorDays: String(1_234_567 * 53),
      },
    ],
    rates: [],
    metricsInput: {},
  });
  const invoice: AgingInvoiceItem = {
    invoiceId: uuid(2),
    clientName: "Acme SA",
    number: "F-2026-00001",
    currency: "EUR",
    dueDate: "2026-10-01",
    issueDate: "2026-09-01",
    daysPastDue: 53,
    openMinor: 123_456,
  };
  const drillDown = (locale: Locale) =>
    buildAgingInvoicesMessage({
      state: { ...state, k: 2, n: 0 },
      labels: {},
      asOf: "2026-11-23",
      basis: "due",
      bucketLabel: "31-60",
      page: 0,
      pageSize: 10,
      total: 1,
      invoices: [invoice],
      locale,
    });

  const drillTable = (locale: Locale) => {
    const table = drillDown(locale).blocks.find((b) => b.type === "table") as unknown as
      | { rows: { text: string }[][] }
      | undefined;
    return table?.rows.map((r) => r.map((c) => c.text)) ?? [];
  };

  // Spanish groups thousands from five digits on (CLDR): 12.345,67 € but 1234,56 €; French groups
  // with a narrow no-break space; both put a no-break space before the sign.
  const SPANISH_TOTAL = "12.345,67\u00a0€";
  const FRENCH_TOTAL = "12\u202f345,67\u00a0€";
  it("a Spanish reader reads the report, drill-down, share and Home in Spanish, euros the Spanish way", () => {
    const model = { report, state, labels: {}, collectors: [], locale: "es" as const };
    const message = buildAgingMessage(model);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain("Antigüedad de saldos · 23 nov 2026");
    expect(json).toContain("Al *23 nov 2026* · por fecha de vencimiento");
    expect(json).toContain(`*1. Acme SA* (ACME)\\n${SPANISH_TOTAL} pendiente · ${SPANISH_TOTAL} vencido`);
    expect(json).toContain('"text":"no vencido"'); // the table's first bucket
    expect(json).toContain("31-60 días ›");
    for (const words of [
      "Enviar recordatorio",
      "Registrar cobro",
      "Ver facturas",
      "Exportar CSV",
      "Compartir en el canal",
      "Todas las monedas",
    ])
      expect(json).toContain(words);
    expect(message.text).toContain(`Antigüedad de saldos al 23 nov 2026: ${SPANISH_TOTAL}`);
    expect(JSON.stringify(message)).not.toContain("€12,345.67");
    expect(JSON.stringify(message)).not.toMatch(/Aged receivables|Send reminder|open ·/);
    expect(JSON.stringify(buildAgingSharedMessage(model, "U1").blocks)).toContain("compartido por <@U1>");
    const drill = JSON.stringify(drillDown("es").blocks);
    expect(drill).toContain("31-60 días desde el vencimiento · 23 nov 2026");
    expect(drillTable("es")).toEqual([
      ["Factura", "Cliente", "Emisión", "Vencimiento", "Días de retraso", "Pendiente"],
      ["F-2026-00001", "Acme SA", "1 sept 2026", "1 oct 2026", "53", "1234,56\u00a0€"],
    ]);
    expect(drill).toContain("Elige una factura…");
    expect(drillDown("es").text).toContain(
      "F-2026-00001 · Acme SA: 1234,56\u00a0€ pendiente, 53 días de retraso",
    );
    expect(drill).toContain("Volver al resumen");
    const home = JSON.stringify(buildAgingHomeSection(report, "es").blocks);
    expect(home).toContain(`Al 23 nov 2026 · principales deudores: Acme SA ${SPANISH_TOTAL}`);
  });

  it("a French reader reads it in French, euros the French way", () => {
    const model = { report, state, labels: {}, collectors: [], locale: "fr" as const };
    const json = JSON.stringify(buildAgingMessage(model));
    expect(json).toContain("Balance âgée · 23 nov. 2026");
    expect(json).toContain(
      `${FRENCH_TOTAL} ouvert · ${FRENCH_TOTAL} échu · le plus ancien à 53 jours (31-60)`,
    );
    expect(json).toContain('"text":"non échu"');
    for (const words of [
      "Envoyer une relance",
      "Voir les factures",
      "Partager dans le canal",
      "Évolution sur 12 mois",
    ])
      expect(json).toContain(words);
    const drill = JSON.stringify(drillDown("fr").blocks);
    expect(drill).toContain("31-60 jours après l’échéance · 23 nov. 2026");
    expect(drillTable("fr")).toEqual([
      ["Facture", "Client", "Émission", "Échéance", "Jours de retard", "Reste dû"],
      ["F-2026-00001", "Acme SA", "1 sept. 2026", "1 oct. 2026", "53", "1\u202f234,56\u00a0€"],
    ]);
    expect(drill).toContain("Choisir une facture…");
    expect(drill).toContain("Enregistrer un paiement");
  });

  it("an English reader keeps €12,345.67 and English dates", () => {
    const json = JSON.stringify(
      buildAgingMessage({ report, state, labels: {}, collectors: [], locale: "en" }),
    );
    expect(json).toContain("Aged receivables · Nov 23, 2026");
    expect(json).toContain("€12,345.67 open · €12,345.67 overdue · oldest 53 days (31-60)");
    expect(drillTable("en")[1]).toEqual([
      "F-2026-00001",
      "Acme SA",
      "Sep 1, 2026",
      "Oct 1, 2026",
      "53",
      "€1,234.56",
    ]);
    expect(drillDown("en").text).toContain("F-2026-00001 · Acme SA: €1,234.56 open, 53 days late");
  });
});

describe("/aging's words", () => {
  it("reads al and au as the as-of keyword before a date, and a client otherwise", () => {
    expect(parseAgingArgs("acme al 2026-06-30", "es")).toEqual({
      ok: true,
      basis: "due",
      target: "acme",
      asOf: "2026-06-30",
    });
    expect(parseAgingArgs("au 2026-06-30 by issue", "fr")).toEqual({
      ok: true,
      basis: "issue",
      asOf: "2026-06-30",
    });
    expect(parseAgingArgs("as-of 2026-06-30", "en")).toEqual({ ok: true, basis: "due", asOf: "2026-06-30" });
    expect(parseAgingArgs("au bon marché", "fr")).toEqual({
      ok: true,
      basis: "due",
      target: "au bon marché",
    });
    expect(parseAgingArgs("al 2026-02-30", "es")).toEqual({
      ok: false,
      problem: '"2026-02-30" no es una fecha: escríbela como AAAA-MM-DD, por ejemplo `al 2026-03-31`.',
    });
    expect(parseAgingArgs("as-of", "fr")).toEqual({
      ok: false,
      problem: "`as-of` attend une date après lui, comme `as-of 2026-03-31`.",
    });
  });

  it("reads the basis as a Spanish or French reader says it, accents optional", () => {
    expect(parseAgingArgs("acme por emisión", "es")).toEqual({ ok: true, basis: "issue", target: "acme" });
    expect(parseAgingArgs("por vencimiento al 2026-06-30", "es")).toEqual({
      ok: true,
      basis: "due",
      asOf: "2026-06-30",
    });
    expect(parseAgingArgs("@carla par emission", "fr")).toEqual({
      ok: true,
      basis: "issue",
      target: "@carla",
    });
    expect(parseAgingArgs("Par Échéance", "fr")).toEqual({ ok: true, basis: "due" });
    expect(parseAgingArgs("par avion sarl", "fr")).toEqual({
      ok: true,
      basis: "due",
      target: "par avion sarl",
    });
  });

  it("the usage names the keyword of the reader's language", () => {
    expect(buildAgingErrorMessage("x", "es").text).toContain("`/aging acme al 2026-03-31`");
    expect(buildAgingErrorMessage("x", "fr").text).toContain("`/aging acme au 2026-03-31`");
  });
});
