import { describe, expect, it } from "vitest";
import { slackFailureCode } from "../../src/delivery/index.ts";
import { type AgingAggregateRow, buildAgingReport } from "../../src/domain/aging.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { LOCALES, type Locale } from "../../src/i18n/index.ts";
import type { TimesheetSummary } from "../../src/timesheets/slack/timesheet-messages.ts";

const huge = "Ünïcödé 💶 ".repeat(400);
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function report(clients: number) {
  const rows: AgingAggregateRow[] = Array.from({ length: clients }, (_, i) => ({
    clientId: uuid(i),
    externalId: `C${i}`,
    clientName: `${i} ${huge}`,
    currency: "EUR",
    bucket: (i % 4) + 1,
    openMinor: 100_000 + i,
    count: 2,
    maxDaysPastDue: 40,
    weightedMinorDays: String(BigInt(100_000 + i) * 40n),
  }));
  return buildAgingReport({
    asOf: "2026-11-23",
    basis: "due",
    baseCurrency: "EUR",
    edges: [30, 60, 90],
    rows,
    rates: [],
    metricsInput: {},
  });
}

const timesheet = (i: number): TimesheetSummary => ({
  timesheetId: uuid(i),
  version: 1,
  status: "submitted",
  personName: huge,
  personEmail: "p@x.example",
  projectCode: huge,
  projectName: huge,
  periodStart: "2026-11-16",
  periodEnd: "2026-11-22",
  days: [],
  totalMinutes: 2400,
  billableMinutes: 2400,
  billableAmountMinor: 400_000,
  currency: "EUR",
  rejectionReason: null,
  decidedBy: null,
  locale: "en",
});

const headers = (view: { blocks: { type: string; text?: { text: string } }[] }) =>
  view.blocks.filter((b) => b.type === "header").map((b) => b.text?.text ?? "");

const agingOf5000Clients = report(5000);

const everySection = (locale: Locale) =>
  buildHomeView({
    locale,
    isAdmin: true,
    roles: ["admin", "billing", "collector", "approver", "pm"],
    milestonesDue: Array.from({ length: 500 }, (_, i) => ({
      id: uuid(i),
      projectCode: huge,
      name: huge,
      amountMinor: 123_456_789,
      currency: "EUR",
      plannedDate: "2026-01-01",
      overdue: true,
    })),
    draftsToIssue: Array.from({ length: 500 }, (_, i) => ({
      invoiceId: uuid(i),
      clientName: huge,
      label: huge,
      totalMinor: 1,
      currency: "JPY",
      status: "draft" as const,
    })),
    pendingApprovals: Array.from({ length: 300 }, (_, i) => timesheet(i)),
    collections: {
      total: 5000,
      items: Array.from({ length: 20 }, (_, i) => ({
        invoiceId: uuid(i),
        number: `F-2026-${i}`,
        clientName: huge,
        projectName: huge,
        openMinor: 500_000,
        currency: "KWD",
        dueDate: "2026-10-01",
        daysPastDue: 53,
        asCollector: i % 2 === 0,
        note: i === 3 ? { kind: "disputed" as const } : null,
      })),
    },
    aging: agingOf5000Clients,
    extraSections: [
      { title: huge, blocks: Array.from({ length: 200 }, () => ({ type: "divider" as const })) },
    ],
    verifactuWarnings: [
      { kind: "unsent", count: 40, cause: "not_running" },
      { kind: "to_correct", rejected: 2, withErrors: 1, sample: huge },
      { kind: "certificate_expiring", subject: huge, on: new Date("2026-12-01T00:00:00Z"), daysLeft: 8 },
    ],
    deliveries: {
      waiting: 1200,
      oldestMinutes: 3 * 24 * 60,
      unknown: 3,
      failures: Array.from({ length: 5 }, (_, i) => ({ reason: `${i} ${huge}`, count: 9 })),
      failureDays: 7,
    },
  });

/** Each section's header in each language, and a line that shows its amounts are in the reader's format. */
const SECTIONS: Record<Locale, { titles: string[]; more: string }> = {
  en: {
    titles: [
      "VERI*FACTU needs attention",
      "Milestones due on your projects",
      "Invoices waiting for your click",
      "Timesheets to approve (300)",
      "Overdue invoices for you (5,000)",
      "Aged receivables",
      "Deliveries",
      "Settings",
    ],
    more: "4,992 more overdue",
  },
  es: {
    titles: [
      "VERI*FACTU requiere atención",
      "Hitos pendientes de tus proyectos",
      "Facturas a la espera de tu clic",
      "Tus facturas vencidas (5000)",
      "Antigüedad de saldos",
      "Envíos",
      "Configuración",
    ],
    more: "4992 vencidas más",
  },
  fr: {
    titles: [
      "VERI*FACTU demande votre attention",
      "Jalons à venir sur vos projets",
      "Factures en attente de votre clic",
      "Vos factures échues (5\u202f000)",
      "Balance âgée",
      "Envois",
      "Paramètres",
    ],
    more: "4\u202f992 autres échues",
  },
};

describe("App Home with every section and oversized data", () => {
  it.each(LOCALES)("stays within 100 blocks in %s and still shows every section", (locale) => {
    const translated = everySection(locale);
    expect(translated.blocks.length).toBeLessThanOrEqual(100);
    const titles = headers(translated as never);
    for (const title of SECTIONS[locale].titles) {
      expect(
        titles.some((t) => t.startsWith(title)),
        `${locale}: ${title} in ${titles.join(" | ")}`,
      ).toBe(true);
    }
    const json = JSON.stringify(translated);
    expect(json).toContain("collection_record_payment");
    expect(json).toContain(SECTIONS[locale].more);
  });

  it("keeps every text and button within Slack's limits", () => {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) walk(item);
        return;
      }
      if (!node || typeof node !== "object") return;
      const r = node as Record<string, unknown>;
      if (r.type === "section" && r.text)
        expect((r.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
      if (r.type === "header") expect((r.text as { text: string }).text.length).toBeLessThanOrEqual(150);
      if (r.type === "button") expect((r.text as { text: string }).text.length).toBeLessThanOrEqual(75);
      if (r.type === "actions") expect((r.elements as unknown[]).length).toBeLessThanOrEqual(25);
      for (const value of Object.values(r)) walk(value);
    };
    for (const locale of LOCALES) walk(everySection(locale).blocks);
  });

  it("leaves out the sections a user has no role for", () => {
    const plain = buildHomeView({
      locale: "en",
      isAdmin: false,
      roles: [],
      milestonesDue: [],
      draftsToIssue: [],
      pendingApprovals: null,
      collections: null,
      aging: null,
    });
    expect(headers(plain as never)).toEqual(["What needs you", "Milestones due on your projects"]);
  });

  it.each([
    { locale: "es" as const, said: "Slack: Cobro no está en ese canal privado: invita a @cobro." },
    { locale: "fr" as const, said: "Slack : Cobro n’est pas dans ce canal privé : invitez-y @cobro." },
  ])(
    "an admin reads a Slack delivery failure in their language ($locale), other reasons as stored",
    ({ locale, said }) => {
      const stored = "Slack: Cobro is not in that private channel: invite @cobro to it.";
      const view = buildHomeView({
        locale,
        isAdmin: true,
        roles: ["admin"],
        milestonesDue: [],
        draftsToIssue: [],
        pendingApprovals: null,
        collections: null,
        aging: null,
        deliveries: {
          waiting: 0,
          oldestMinutes: 0,
          unknown: 0,
          failures: [
            { reason: stored, count: 2, slackError: slackFailureCode(stored) },
            { reason: "SMTP 550 mailbox unavailable", count: 1, slackError: null },
          ],
          failureDays: 7,
        },
      });
      const text = JSON.stringify(view);
      expect(text).toContain(said);
      expect(text).not.toContain(stored);
      expect(text).toContain("SMTP 550 mailbox unavailable");
    },
  );
});
