import { describe, expect, it } from "vitest";
import { buildPolicyModal } from "../../src/collections/slack/policy-modal-view.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { LOCALES } from "../../src/i18n/index.ts";
import { buildInvoiceMessage } from "../../src/invoicing/jobs/slack-invoice-messages.ts";
import { buildMilestonePicker } from "../../src/invoicing/slack/milestone-picker.ts";
import { buildClientModal, buildProjectModal } from "../../src/invoicing/slack/party-modals-view.ts";
import { parseMilestoneCommand } from "../../src/slack/kit/parse-command.ts";
import { buildMilestoneListReply, buildUsageReply } from "../../src/slack/kit/replies.ts";
import { buildSettingsDetailsModal } from "../../src/workspace/slack/settings-details-modal.ts";
import { buildSetupModal } from "../../src/workspace/slack/setup-modal.ts";

const huge = "Ünïcödé ".repeat(2000);
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

// Every Block Kit limit the builders promise, checked recursively on the JSON.
function assertWithinLimits(view: { blocks?: unknown[]; title?: { text: string } }, maxBlocks: number) {
  expect(view.blocks?.length ?? 0).toBeLessThanOrEqual(maxBlocks);
  if (view.title) expect(Array.from(view.title.text).length).toBeLessThanOrEqual(24);
  const walk = (node: unknown, parentKey: string): void => {
    if (Array.isArray(node)) {
      if (parentKey === "options") expect(node.length).toBeLessThanOrEqual(100);
      if (parentKey === "elements") expect(node.length).toBeLessThanOrEqual(25);
      if (parentKey === "fields") expect(node.length).toBeLessThanOrEqual(10);
      for (const item of node) walk(item, parentKey);
      return;
    }
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "section" && record.text) {
      expect(Array.from((record.text as { text: string }).text).length).toBeLessThanOrEqual(3000);
    }
    if (record.type === "header")
      expect(Array.from((record.text as { text: string }).text).length).toBeLessThanOrEqual(150);
    if (record.type === "button") {
      expect(Array.from((record.text as { text: string }).text).length).toBeLessThanOrEqual(75);
      expect(String(record.value).length).toBeLessThanOrEqual(2000);
    }
    if ("value" in record && "text" in record && parentKey === "options") {
      expect(Array.from((record.text as { text: string }).text).length).toBeLessThanOrEqual(75);
    }
    for (const [key, value] of Object.entries(record)) walk(value, key);
  };
  walk(view.blocks, "blocks");
}

describe("Block Kit limits with oversized data", () => {
  it("App Home stays within 100 blocks and every text limit", () => {
    const view = buildHomeView({
      locale: "en",
      isAdmin: true,
      roles: ["admin", "billing", "pm"],
      milestonesDue: Array.from({ length: 500 }, (_, i) => ({
        id: uuid(i),
        projectCode: huge,
        name: huge,
        amountMinor: 123456789,
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
      extraSections: [
        { title: huge, blocks: Array.from({ length: 200 }, () => ({ type: "divider" as const })) },
      ],
    });
    assertWithinLimits(view, 100);
  });

  it("the invoice message stays within message limits", () => {
    const message = buildInvoiceMessage({
      invoiceId: uuid(1),
      status: "draft",
      number: null,
      clientName: huge,
      projectCode: huge,
      projectName: huge,
      milestoneName: huge,
      doneBySlackUserId: "U1",
      totalMinor: 9_000_000_000_000,
      openMinor: 9_000_000_000_000,
      currency: "KWD",
      dueDate: "2026-12-31",
      locale: "fr",
    });
    assertWithinLimits(message, 50);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it("the milestone picker keeps 100 options and says how many are left out", () => {
    const view = buildMilestonePicker({
      reason: huge,
      locale: "en",
      projects: Array.from({ length: 150 }, (_, i) => ({ id: `p${i}`, code: `P${i}`, name: huge })),
      milestones: Array.from({ length: 3000 }, (_, i) => ({
        id: uuid(i),
        projectId: `p${i % 150}`,
        name: huge,
        amountMinor: 100,
        currency: "EUR",
      })),
    });
    assertWithinLimits(view, 100);
    const groups = JSON.stringify(view.blocks).match(/"value":"m:/g) ?? [];
    expect(groups.length).toBe(100);
    expect(JSON.stringify(view.blocks)).toContain("2,900 more not listed");
  });

  it("the setup modal and long milestone lists stay within limits", () => {
    const model: Parameters<typeof buildSetupModal>[0] = {
      billingChannelId: "C1",
      collectionsChannelId: null,
      timeZone: "Europe/Paris",
      baseCurrency: "EUR",
      locale: "fr",
      seller: {
        legalName: huge,
        addressLine1: huge,
        postcode: "1",
        city: huge,
        country: "FR",
        vatId: "",
        siren: "",
        nif: "",
        iban: "",
      },
      autoIssueOnMilestone: true,
      monthlyStatements: true,
      roles: {
        admin: Array.from({ length: 300 }, (_, i) => `U${i}`),
        billing: [],
        collector: [],
        approver: [],
        pm: [],
      },
    };
    for (const locale of LOCALES) assertWithinLimits(buildSetupModal(model, locale), 100);
    const list = buildMilestoneListReply({
      scope: huge,
      locale: "en",
      items: Array.from({ length: 5000 }, () => ({
        projectCode: huge.slice(0, 100),
        name: huge.slice(0, 500),
        amountMinor: 1,
        currency: "EUR",
        plannedDate: null,
        status: "planned" as const,
      })),
    });
    assertWithinLimits(list, 50);
  });

  it("thousands of random /milestone texts parse without throwing and reply within limits", () => {
    const alphabet = ` done list add undo help "“”'aéZ0123456789.,-_/\\<@U1>*\n\t😀`;
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5000; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 120) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
      const parsed = parseMilestoneCommand(text);
      if (parsed.verb === "invalid")
        expect(buildUsageReply("milestone", parsed.problem).text.length).toBeLessThanOrEqual(3000);
    }
    expect(parseMilestoneCommand("x".repeat(10_000)).verb).toBe("invalid");
  });

  it("/milestone add reads an amount written with spaces between its thousands", () => {
    expect(parseMilestoneCommand('add p03 "Formación" 4 500,25 2027-02-01')).toEqual({
      verb: "add",
      project: "p03",
      name: "Formación",
      amount: "4 500,25",
      plannedDate: "2027-02-01",
    });
    expect(parseMilestoneCommand('add p03 "Audit" 1 250 000')).toMatchObject({ amount: "1 250 000" });
    // Words after the amount still mean an unquoted name.
    expect(parseMilestoneCommand("add p03 Phase 2 5000").verb).toBe("invalid");
    expect(parseMilestoneCommand('add p03 "Audit" 4 500 soon')).toMatchObject({ verb: "invalid" });
  });

  it("client, project, settings and policy modals stay within limits, inputs within their lengths", () => {
    const columns = [
      "name",
      "emails",
      "address_line1",
      "siren",
      "einvoice_id",
      "collector_email",
      "pm_email",
    ];
    const values = Object.fromEntries(columns.map((c) => [c, huge]));
    const views = [
      buildClientModal(
        {
          id: uuid(1),
          externalId: huge,
          profile: "business",
          currency: "EUR",
          openInvoices: 9,
          values,
        },
        "fr",
      ),
      buildProjectModal(
        { id: uuid(2), code: huge, clientName: huge, billingMode: "time", currency: "EUR", values },
        "fr",
      ),
      buildSettingsDetailsModal(
        Array.from({ length: 13 }, (_, i) => ({
          key: `k${i}`,
          label: huge,
          help: huge,
          value: huge.slice(0, 400),
        })),
        "fr",
      ),
      buildPolicyModal(
        {
          scope: { kind: "project", code: huge, name: huge },
          target: { clientId: uuid(3) },
          inForce: {
            name: huge,
            source: { from: "client", client: huge },
            levelsText: "due+3 email courteous",
          },
          own: true,
        },
        "fr",
      ),
    ];
    const named = buildPolicyModal(
      {
        scope: { kind: "client", name: "<!channel>" },
        target: { clientId: uuid(3) },
        inForce: { name: "<@U1>", source: { from: "own" }, levelsText: "" },
        own: false,
      },
      "en",
    );
    expect(JSON.stringify(named)).toContain("client &lt;!channel&gt;* follow *&lt;@U1&gt;*");
    for (const view of views) {
      assertWithinLimits(view, 100);
      for (const block of view.blocks) {
        const element = (block as { element?: { initial_value?: string; max_length?: number } }).element;
        if (element?.initial_value !== undefined) {
          expect(element.initial_value.length).toBeLessThanOrEqual(element.max_length ?? 3000);
        }
      }
    }
  });
});
