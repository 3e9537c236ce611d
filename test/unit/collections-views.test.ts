import { describe, expect, it } from "vitest";
import {
  buildClientPaymentModal,
  buildDisputeModal,
  buildFormalNoticeApproval,
  buildOverdueDigest,
  buildPauseModal,
  buildPromiseModal,
  buildRecordPaymentModal,
  COLLECTION_ACTIONS,
  type InvoiceLine,
} from "../../src/collections/slack/collections-view.ts";
import { renderReminderEmail } from "../../src/domain/reminder-email.ts";
import { LOCALES } from "../../src/i18n/index.ts";

const line = (n: number, overrides: Partial<InvoiceLine> = {}): InvoiceLine => ({
  invoiceId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  number: `F-2026-${String(n).padStart(4, "0")}`,
  clientName: `Client <${n}> & Co`,
  projectName: "Atlas",
  openMinor: 121_000,
  currency: n % 2 ? "EUR" : "USD",
  dueDate: "2026-11-20",
  daysPastDue: 3,
  ...overrides,
});

describe("collections views", () => {
  it("a digest of 30 overdue invoices is one message within Slack's 50 blocks, with totals per currency", () => {
    const message = buildOverdueDigest({
      runDate: "2026-11-23",
      locale: "en",
      audience: "Collections",
      invoices: Array.from({ length: 30 }, (_, i) => line(i + 1)),
    });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text).toContain("30 invoices went overdue");
    expect(message.text).toContain("€18,150.00");
    expect(message.text).toContain("$18,150.00");
    const json = JSON.stringify(message.blocks);
    expect(json).toContain("and 15 more overdue invoices");
    expect(json).toContain("Client &lt;1&gt; &amp; Co");
    const actionIds = message.blocks
      .filter((b) => b.type === "actions")
      .flatMap((b) => ("elements" in b ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : []));
    expect(new Set(actionIds)).toEqual(
      new Set(Object.values(COLLECTION_ACTIONS).filter((a) => a !== "collection_approve_formal")),
    );
  });

  it("a digest of 10,000 invoices still fits", () => {
    const message = buildOverdueDigest({
      runDate: "2026-11-23",
      locale: "en",
      audience: "Collections",
      invoices: Array.from({ length: 10_000 }, (_, i) => line(i + 1)),
    });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it("the formal-notice approval states the interest and the €40, or why it could not compute them", () => {
    const ok = buildFormalNoticeApproval({
      line: line(1),
      level: 5,
      locale: "en",
      interest: { interestMinor: 18125, compensationMinor: 4000, currency: "EUR", asOf: "2027-01-04" },
    });
    const json = JSON.stringify(ok.blocks);
    expect(json).toContain("€181.25");
    expect(json).toContain("€40.00");
    expect(json).toContain("Approve & send");
    const missing = buildFormalNoticeApproval({
      line: line(1),
      level: 5,
      locale: "en",
      interest: {
        interestMinor: 0,
        compensationMinor: 0,
        currency: "EUR",
        asOf: "2027-01-04",
        problem: "No rate for ES 2027 H1",
      },
    });
    expect(JSON.stringify(missing.blocks)).toContain("No rate for ES 2027 H1");
  });

  it.each(LOCALES)("modal titles and buttons fit Slack's 24 characters in %s", (locale) => {
    const invoice = { invoiceId: line(1).invoiceId, number: "F-1", today: "2026-11-23", locale };
    const payment = { ...invoice, openMinor: 1000, currency: "EUR" };
    const client = { clientId: "C1", clientName: "Acme", currency: "EUR", invoices: 2, openMinor: 10 };
    for (const view of [
      buildPromiseModal(invoice),
      buildPauseModal(invoice),
      buildDisputeModal(invoice),
      buildRecordPaymentModal(payment),
      buildClientPaymentModal({ ...client, today: "2026-11-23", locale }),
    ]) {
      for (const text of [view.title.text, view.submit?.text ?? "", view.close?.text ?? ""])
        expect(text.length).toBeLessThanOrEqual(24);
    }
  });

  it("reminder e-mails come in the client's language, and the formal notice states the amounts", () => {
    const model = {
      number: "F-2026-0001",
      clientName: "Client",
      sellerName: "Acme",
      openText: "12 100,00 €",
      dueDate: "2026-11-20",
      daysPastDue: 45,
      interestText: "181,25 €",
      compensationText: "40,00 €",
      interestAsOf: "2027-01-04",
    };
    expect(renderReminderEmail("overdue_courteous", "courteous", "fr", model).subject).toBe(
      "Relance : facture F-2026-0001 échue",
    );
    // 45 days late: the due date is in the past, and no PDF goes with it unless said so.
    const late = (language: "es" | "fr" | "en") =>
      renderReminderEmail("due_soon", "courteous", language, model);
    expect(late("es").subject).toBe("Factura F-2026-0001: venció el 20/11/2026");
    // Every reader reads dates as on the invoice (20/11/2026), never 2026-11-20.
    expect(late("fr").subject).toBe("Facture F-2026-0001 : était due le 20/11/2026");
    expect(late("fr").text).toContain("était due le 20/11/2026");
    expect(late("en").text).toContain("was due on 20/11/2026");
    expect(late("es").text).not.toContain("adjuntamos");
    const ahead = { ...model, daysPastDue: -3, attached: true };
    expect(renderReminderEmail("due_soon", "courteous", "es", ahead).text).toContain(
      "vence el 20/11/2026. Se la adjuntamos de nuevo.",
    );
    expect(renderReminderEmail("due_soon", "courteous", "en", ahead).subject).toBe(
      "Invoice F-2026-0001 is due on 20/11/2026",
    );
    expect(renderReminderEmail("due_soon", "courteous", "fr", ahead).text).toContain(
      "arrive à échéance le 20/11/2026",
    );
    const oneDay = { ...model, daysPastDue: 1 };
    expect(renderReminderEmail("overdue_firm", "firm", "es", oneDay).subject).toContain(
      "con 1 día de retraso",
    );
    expect(renderReminderEmail("overdue_firm", "firm", "en", oneDay).subject).toContain("is 1 day overdue");
    expect(renderReminderEmail("overdue_firm", "firm", "en", model).text).toContain("unpaid 45 days later");
    const formal = renderReminderEmail("formal_notice", "formal", "fr", model);
    expect(formal.subject).toContain("Mise en demeure");
    expect(formal.text).toContain("181,25 €");
    expect(formal.text).toContain("40,00 €");
    expect(formal.text).toContain("échue le 20/11/2026");
    expect(formal.text).toContain("sont dues au 04/01/2027");
    expect(renderReminderEmail("overdue_firm", "firm", "fr", { ...model, daysPastDue: 1 }).subject).toBe(
      "Deuxième relance : facture F-2026-0001 en retard de 1 jour",
    );
    // The law cited is the seller's, whatever the reader's language.
    const spanishSeller = renderReminderEmail("formal_notice", "formal", "fr", {
      ...model,
      interestLaw: "ES",
    });
    expect(spanishSeller.text).toContain(
      "Conformément à la loi espagnole 3/2004, des intérêts de retard de 181,25 €",
    );
    expect(spanishSeller.text).not.toContain("L441-10");
    const frenchSeller = renderReminderEmail("formal_notice", "formal", "es", {
      ...model,
      interestLaw: "FR",
    });
    expect(frenchSeller.text).toContain("Conforme al artículo L441-10 del Código de comercio francés");
    // Unknown template keys fall back by tone.
    expect(renderReminderEmail("custom_key", "firm", "en", model).subject).toContain("Second reminder");
  });
});
