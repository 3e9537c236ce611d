// Every message and view a busy workspace produces stays within Slack's Block Kit limits in each
// language (Spanish and French words are longer): 5,000 clients with long names in the overdue
// digest, the billing digest, the App Home (approvals, overdue invoices, bank credits) and the
// timesheet request's table (rows ≤ 100, cells ≤ 20, raw_text cells never empty).
import { describe, expect, it } from "vitest";
import { buildOverdueDigest, type InvoiceLine } from "../../src/collections/slack/collections-view.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { LOCALES } from "../../src/i18n/index.ts";
import { buildWaitingCreditsSection } from "../../src/imports/slack/bank-card-view.ts";
import {
  buildApprovalRequest,
  buildBillingDigest,
  buildPendingApprovalsSection,
  type TimesheetSummary,
} from "../../src/timesheets/slack/timesheet-messages.ts";

const CLIENTS = 5000;
const LONG = "Ünïcode & <Sons> Holding Company of Very Long Names 😀 ".repeat(6);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

type Json = Record<string, unknown>;
const chars = (text: unknown) => Array.from(String((text as { text?: string })?.text ?? "")).length;

/** Slack's documented limits, walked over every block and element (slack-platform.md). */
function assertLimits(message: { text?: string; blocks: unknown[] }, maxBlocks: number) {
  expect(message.blocks.length).toBeLessThanOrEqual(maxBlocks);
  if (message.text !== undefined) {
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  }
  expect(message.blocks.filter((b) => (b as Json).type === "table").length).toBeLessThanOrEqual(1);
  const walk = (node: unknown, key: string): void => {
    if (Array.isArray(node)) {
      if (key === "elements") expect(node.length).toBeLessThanOrEqual(25);
      if (key === "options") expect(node.length).toBeLessThanOrEqual(100);
      if (key === "fields") expect(node.length).toBeLessThanOrEqual(10);
      for (const item of node) walk(item, key);
      return;
    }
    if (!node || typeof node !== "object") return;
    const n = node as Json;
    if (n.type === "header") expect(chars(n.text)).toBeLessThanOrEqual(150);
    if (n.type === "section" && n.text) expect(chars(n.text)).toBeLessThanOrEqual(3000);
    if (n.type === "context") {
      expect((n.elements as unknown[]).length).toBeLessThanOrEqual(10);
      for (const e of n.elements as unknown[]) expect(chars(e)).toBeLessThanOrEqual(3000);
    }
    if (n.type === "button") {
      expect(chars(n.text)).toBeGreaterThan(0);
      expect(chars(n.text)).toBeLessThanOrEqual(75);
      expect(String(n.value ?? "").length).toBeLessThanOrEqual(2000);
      expect(String(n.action_id).length).toBeLessThanOrEqual(255);
    }
    if (n.type === "table") {
      const rows = n.rows as { type: string; text: string }[][];
      expect(rows.length).toBeLessThanOrEqual(100);
      expect((n.column_settings as unknown[] | undefined)?.length ?? 0).toBeLessThanOrEqual(20);
      for (const row of rows) {
        expect(row.length).toBeLessThanOrEqual(20);
        expect(row).toHaveLength(rows[0]?.length ?? 0);
        for (const cell of row) {
          expect(cell.type).toBe("raw_text");
          expect(cell.text.trim().length).toBeGreaterThan(0);
        }
      }
      return;
    }
    for (const [k, v] of Object.entries(n)) walk(v, k);
  };
  walk(message.blocks, "blocks");
}

const overdue = (i: number): InvoiceLine => ({
  invoiceId: uuid(i),
  number: `F-2026-${String(i).padStart(5, "0")}`,
  clientName: `${i} ${LONG}`,
  projectName: LONG,
  openMinor: 999_999_999_99 - i,
  currency: i % 3 ? "EUR" : "USD",
  dueDate: "2026-10-01",
  daysPastDue: 53,
});

const sheet = (i: number): TimesheetSummary => ({
  timesheetId: uuid(i),
  version: 3,
  status: "submitted",
  personName: `${i} ${LONG}`,
  personEmail: `p${i}@acme.example`,
  projectCode: `P${i}`,
  projectName: LONG,
  periodStart: "2026-11-16",
  periodEnd: "2026-11-22",
  days: Array.from({ length: 7 }, (_, d) => ({ date: `2026-11-${16 + d}`, minutes: 600 })),
  totalMinutes: 4200,
  billableMinutes: 4200,
  billableAmountMinor: 999_999_999,
  currency: "EUR",
  rejectionReason: null,
  decidedBy: null,
  locale: "en",
});

describe("Block Kit limits with 5,000 clients, in every language", () => {
  it.each(LOCALES)("the overdue digest holds them (%s)", (locale) => {
    const digest = buildOverdueDigest({
      runDate: "2026-11-23",
      locale,
      audience: LONG,
      invoices: Array.from({ length: CLIENTS }, (_, i) => overdue(i)),
    });
    assertLimits(digest, 50);
  });

  it.each(LOCALES)("the billing digest holds them (%s)", (locale) => {
    const digest = buildBillingDigest({
      asOf: "2026-11-30",
      cutoff: "2026-11-29",
      locale,
      drafts: Array.from({ length: CLIENTS }, (_, i) => ({
        invoiceId: uuid(i),
        projectCode: `P${i}`,
        clientName: `${i} ${LONG}`,
        minutes: 9_999,
        totalMinor: 999_999_999_99,
        currency: "EUR",
      })),
    });
    assertLimits(digest, 50);
  });

  it.each(LOCALES)("the timesheet request's table and the Home's approvals hold them (%s)", (locale) => {
    assertLimits(buildApprovalRequest(sheet(1), locale, true), 50);
    const sheets = Array.from({ length: CLIENTS }, (_, i) => sheet(i));
    assertLimits({ blocks: buildPendingApprovalsSection(sheets, 40, locale) }, 40);
  });

  it.each(LOCALES)("the App Home holds them in 100 blocks (%s)", (locale) => {
    const credits = Array.from({ length: 8 }, (_, i) => ({
      id: uuid(i),
      bookedOn: "2026-11-20",
      amountMinor: 999_999_999_99,
      currency: "EUR",
      text: LONG,
      payerName: LONG,
      reason: { code: "text" as const, values: { text: LONG } },
    }));
    const view = buildHomeView({
      locale,
      isAdmin: true,
      roles: ["admin", "billing", "collector", "approver", "pm"],
      milestonesDue: Array.from({ length: CLIENTS }, (_, i) => ({
        id: uuid(i),
        projectCode: `P${i}`,
        name: LONG,
        amountMinor: 999_999_999_99,
        currency: "EUR",
        plannedDate: "2026-11-01",
        overdue: true,
      })),
      draftsToIssue: Array.from({ length: CLIENTS }, (_, i) => ({
        invoiceId: uuid(i),
        clientName: `${i} ${LONG}`,
        label: LONG,
        totalMinor: 999_999_999_99,
        currency: "EUR",
        status: "draft" as const,
      })),
      pendingApprovals: Array.from({ length: CLIENTS }, (_, i) => sheet(i)),
      collections: {
        total: CLIENTS,
        items: Array.from({ length: 20 }, (_, i) => ({
          ...overdue(i),
          asCollector: true,
          note: { kind: "promised" as const, on: "2026-12-01" },
        })),
      },
      deliveries: {
        waiting: CLIENTS,
        oldestMinutes: 99_999,
        unknown: CLIENTS,
        failures: [{ reason: LONG, count: CLIENTS }],
        failureDays: 7,
      },
      extraSections: [buildWaitingCreditsSection(credits, CLIENTS, () => LONG, locale)],
    });
    assertLimits(view, 100);
    const json = JSON.stringify(view);
    // The sections are all there, in the reader's words, however much data there is.
    expect(json).toContain(
      {
        en: "Bank credits waiting",
        es: "Abonos bancarios por confirmar",
        fr: "Crédits bancaires à confirmer",
      }[locale],
    );
    expect(json).toContain(
      { en: "Timesheets to approve", es: "Partes de horas por aprobar", fr: "Feuilles de temps à approuver" }[
        locale
      ],
    );
  });
});
