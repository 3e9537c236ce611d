// Seeds a realistic demo company (a Spanish/French consultancy) into an empty workspace, with
// dates relative to the injected clock so every ageing bucket is populated whatever the day.

import type { Ctx } from "../context.ts";
import { type AuditEntry, recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { type AgeingBucket, ageingBucket } from "../domain/aging.ts";
import { addDays } from "../domain/calendar.ts";
import { DomainError, present } from "../domain/errors.ts";
import { statusForOpen } from "../domain/invoice-state.ts";
import { parseAmount } from "../domain/money.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed, auditActorOf, systemActor } from "../domain/permissions.ts";
import { issueDraftsInTransaction } from "../invoicing/index.ts";
// The invoices: days past due (negative: not yet due), net amount in major units, what was paid
// ("none", "partial", "full"), the invoice line.
import INVOICES from "./demo-invoices.json" with { type: "json" };
import {
  type ExchangeRateInsert,
  ensureMemberByEmail,
  findTakenProjectCodes,
  hasClientsOrInvoices,
  hasClientWithExternalIdPrefix,
  insertClients,
  insertDraftWithLine,
  insertExchangeRates,
  insertMilestone,
  insertPayment,
  insertProjects,
  markMilestoneInvoiced,
  type Role,
  type SellerIdentity,
  setWorkspaceIdentity,
  skipDeliveries,
  updateInvoice,
} from "./repo.ts";

export type SeedDemoInput = { force?: boolean };
export type SeedDemoResult = {
  workspaceId: string;
  members: number;
  clients: number;
  projects: number;
  milestones: number;
  invoices: number;
  payments: number;
  exchangeRates: number;
  /** Open invoices per ageing bucket (by due date, as of today in the workspace time zone). */
  openByBucket: Record<AgeingBucket, number>;
  currencies: string[];
};

const DEMO_PREFIX = "DEMO-";
const TIME_ZONE = "Europe/Madrid";

const SELLER: SellerIdentity = {
  legalName: "Norte y Loira Consultores SL",
  tradeName: "Norte & Loire",
  legalForm: "SL",
  shareCapital: "60.000 EUR",
  address: { line1: "Calle de Alcalá 118, 3º", postcode: "28009", city: "Madrid", country: "ES" },
  vatId: "ESB86542198",
  nif: "B86542198",
  rcs: "Registro Mercantil de Madrid, tomo 35120, folio 42, hoja M-631207",
  email: "facturacion@norteloira.example",
  phone: "+34 910 000 118",
  iban: "ES9121000418450200051332",
  bic: "CAIXESBBXXX",
};

const MEMBERS: { key: string; name: string; email: string; slack: string; roles: Role[] }[] = [
  { key: "lucia", name: "Lucía Fernández", email: "lucia", slack: "UDEMOADM1", roles: ["admin", "billing"] },
  { key: "marc", name: "Marc Dubois", email: "marc", slack: "UDEMOCOL1", roles: ["collector"] },
  { key: "sofia", name: "Sofía Romero", email: "sofia", slack: "UDEMOAPR1", roles: ["approver"] },
  { key: "julien", name: "Julien Martin", email: "julien", slack: "UDEMOPM01", roles: ["pm"] },
  { key: "carmen", name: "Carmen Ortega", email: "carmen", slack: "UDEMOPM02", roles: ["pm", "approver"] },
  {
    key: "pablo",
    name: "Pablo Navarro",
    email: "pablo",
    slack: "UDEMOBIL1",
    roles: ["billing", "collector"],
  },
];

type ClientSpec = {
  key: string;
  name: string;
  profile: "public" | "business" | "individual";
  language: "es" | "fr" | "en";
  currency: "EUR" | "USD" | "GBP";
  country: string;
  terms: number;
  taxId?: string;
  siren?: string;
  emails: string[];
  address: { line1: string; postcode: string; city: string; country: string };
  collector: string;
};

const CLIENTS: ClientSpec[] = [
  {
    key: "AYTO-VALLADOLID",
    name: "Ayuntamiento de Valladolid",
    profile: "public",
    language: "es",
    currency: "EUR",
    country: "ES",
    terms: 30,
    taxId: "P4718600B",
    emails: ["intervencion@ayto-valladolid.example"],
    address: { line1: "Plaza Mayor 1", postcode: "47001", city: "Valladolid", country: "ES" },
    collector: "pablo",
  },
  {
    key: "REGION-PDL",
    name: "Région Pays de la Loire",
    profile: "public",
    language: "fr",
    currency: "EUR",
    country: "FR",
    terms: 30,
    taxId: "FR69234400034",
    siren: "234400034",
    emails: ["factures@paysdelaloire.example"],
    address: { line1: "1 rue de la Loire", postcode: "44966", city: "Nantes", country: "FR" },
    collector: "marc",
  },
  {
    key: "HOSTELERIA-CANTABRICO",
    name: "Grupo Hostelero Cantábrico SA",
    profile: "business",
    language: "es",
    currency: "EUR",
    country: "ES",
    terms: 60,
    taxId: "ESA39123450",
    emails: ["proveedores@cantabrico.example", "tesoreria@cantabrico.example"],
    address: { line1: "Paseo de Pereda 22", postcode: "39004", city: "Santander", country: "ES" },
    collector: "pablo",
  },
  {
    key: "ATELIER-LUMIERE",
    name: "Atelier Lumière SARL",
    profile: "business",
    language: "fr",
    currency: "EUR",
    country: "FR",
    terms: 45,
    taxId: "FR75512345679",
    siren: "512345679",
    emails: ["compta@atelier-lumiere.example"],
    address: { line1: "14 quai des Chartrons", postcode: "33000", city: "Bordeaux", country: "FR" },
    collector: "marc",
  },
  {
    key: "BRIGHTWAVE",
    name: "Brightwave Analytics Inc.",
    profile: "business",
    language: "en",
    currency: "USD",
    country: "US",
    terms: 30,
    taxId: "US-EIN-84-1234567",
    emails: ["ap@brightwave.example"],
    address: {
      line1: "500 Market Street, Suite 300",
      postcode: "94105",
      city: "San Francisco",
      country: "US",
    },
    collector: "marc",
  },
  {
    key: "THAMES-DIGITAL",
    name: "Thames Digital Ltd",
    profile: "business",
    language: "en",
    currency: "GBP",
    country: "GB",
    terms: 30,
    taxId: "GB123456789",
    emails: ["accounts@thamesdigital.example"],
    address: { line1: "20 Southwark Street", postcode: "SE1 1TU", city: "London", country: "GB" },
    collector: "pablo",
  },
  {
    key: "CALVO-MJ",
    name: "María José Calvo Ruiz",
    profile: "individual",
    language: "es",
    currency: "EUR",
    country: "ES",
    terms: 15,
    emails: ["mjcalvo@correo.example"],
    address: { line1: "Calle Larios 5, 2ºB", postcode: "29005", city: "Málaga", country: "ES" },
    collector: "pablo",
  },
  {
    key: "MOREAU-H",
    name: "Hélène Moreau",
    profile: "individual",
    language: "fr",
    currency: "EUR",
    country: "FR",
    terms: 15,
    emails: ["helene.moreau@courriel.example"],
    address: { line1: "3 rue Crébillon", postcode: "44000", city: "Nantes", country: "FR" },
    collector: "marc",
  },
];

type ProjectSpec = {
  code: string;
  client: string;
  name: string;
  mode: "fixed" | "time";
  pm: string;
  approver: string;
  rate: string;
  channel: string;
  milestones?: { name: string; amount: string; plannedInDays: number; status: "planned" | "done" }[];
};

const PROJECTS: ProjectSpec[] = [
  {
    code: "smartcity",
    client: "AYTO-VALLADOLID",
    name: "Plataforma Smart City",
    mode: "fixed",
    pm: "carmen",
    approver: "sofia",
    rate: "85",
    channel: "CDEMOSMART",
    milestones: [
      { name: "Fase 3: piloto", amount: "18000", plannedInDays: -3, status: "done" },
      { name: "Fase 4: despliegue", amount: "24000", plannedInDays: 40, status: "planned" },
    ],
  },
  {
    code: "mobilite",
    client: "REGION-PDL",
    name: "Observatoire de la mobilité",
    mode: "fixed",
    pm: "julien",
    approver: "sofia",
    rate: "95",
    channel: "CDEMOMOBIL",
    milestones: [
      { name: "Lot 2 : tableau de bord", amount: "32500", plannedInDays: 21, status: "planned" },
      { name: "Lot 3 : open data", amount: "15000", plannedInDays: 75, status: "planned" },
    ],
  },
  {
    code: "reservas",
    client: "HOSTELERIA-CANTABRICO",
    name: "Motor de reservas",
    mode: "time",
    pm: "carmen",
    approver: "carmen",
    rate: "78.50",
    channel: "CDEMORESER",
  },
  {
    code: "erp",
    client: "ATELIER-LUMIERE",
    name: "Migration ERP",
    mode: "fixed",
    pm: "julien",
    approver: "sofia",
    rate: "90",
    channel: "CDEMOERP01",
    milestones: [{ name: "Recette", amount: "9800", plannedInDays: -10, status: "done" }],
  },
  {
    code: "atlas",
    client: "BRIGHTWAVE",
    name: "Atlas data platform",
    mode: "time",
    pm: "julien",
    approver: "sofia",
    rate: "120",
    channel: "CDEMOATLAS",
  },
  {
    code: "thames",
    client: "THAMES-DIGITAL",
    name: "GDPR audit",
    mode: "fixed",
    pm: "carmen",
    approver: "sofia",
    rate: "95",
    channel: "CDEMOTHAME",
    milestones: [{ name: "Final report", amount: "7200", plannedInDays: 14, status: "planned" }],
  },
  {
    code: "reforma",
    client: "CALVO-MJ",
    name: "Asesoría reforma vivienda",
    mode: "time",
    pm: "carmen",
    approver: "carmen",
    rate: "60",
    channel: "CDEMOREFOR",
  },
  {
    code: "patrimoine",
    client: "MOREAU-H",
    name: "Conseil patrimonial",
    mode: "fixed",
    pm: "julien",
    approver: "julien",
    rate: "70",
    channel: "CDEMOPATRI",
  },
];

// 1 unit of the currency in EUR, at month ends going back; the latest is today's closing rate.
const RATES: Record<"USD" | "GBP", string[]> = {
  USD: ["0.9214", "0.9187", "0.9302", "0.9265", "0.9120", "0.9048", "0.9171", "0.9233"],
  GBP: ["1.1702", "1.1685", "1.1748", "1.1810", "1.1733", "1.1659", "1.1622", "1.1690"],
};

// Spanish seller: 21 % VAT at home and for private customers, reverse charge for EU businesses and
// public bodies, not subject for customers outside the EU.
function vatFor(client: ClientSpec): { category: string; rateBp: number; exemptionReason?: string } {
  if (client.country === "ES" || client.profile === "individual") return { category: "S", rateBp: 2100 };
  if (client.country === "FR") return { category: "AE", rateBp: 0, exemptionReason: "Reverse charge" };
  return { category: "O", rateBp: 0, exemptionReason: "Not subject to Spanish VAT (place of supply)" };
}

// Issued invoices can never be deleted (the database refuses), so a demo is seeded once per
// workspace; --force only allows seeding next to rows the user created.
async function refuseClashes(tx: Db, workspaceId: string): Promise<void> {
  if (await hasClientWithExternalIdPrefix(tx, workspaceId, DEMO_PREFIX)) {
    throw new DomainError("demo.already_seeded", "the demo is already in this workspace", {
      userMessage:
        "The demo company is already in this workspace, and its issued invoices cannot be deleted. " +
        "Seed it into another workspace with --workspace.",
    });
  }
  const taken = await findTakenProjectCodes(
    tx,
    workspaceId,
    PROJECTS.map((p) => p.code),
  );
  if (taken.length > 0) {
    throw new DomainError("demo.code_taken", "demo project codes already used", {
      userMessage: `This workspace already has project code(s) ${taken.join(", ")} that the demo uses; seed the demo into another workspace with --workspace.`,
    });
  }
}

/** The demo's made-up history (issued, paid, reminded) is written as the demo's, whoever seeds it. */
const DEMO = auditActorOf(systemActor("demo"));

export async function seedDemo(ctx: Ctx, input: SeedDemoInput): Promise<SeedDemoResult> {
  // It rewrites the company's identity and adds members with roles: the admin's.
  assertAllowed(ctx.actor, { action: "configure" });
  return ctx.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const { workspaceId } = ctx;
    if (!input.force && (await hasClientsOrInvoices(tx, workspaceId))) {
      throw new DomainError("demo.not_empty", "workspace already has clients or invoices", {
        userMessage:
          "This workspace already has clients or invoices: the demo only seeds an empty workspace. " +
          "Use --force to add the demo next to your data, or choose another workspace with --workspace.",
      });
    }
    await refuseClashes(tx, workspaceId);
    const now = ctx.now();
    const today = localToday(now, TIME_ZONE);
    await setWorkspaceIdentity(tx, workspaceId, {
      seller: SELLER,
      timeZone: TIME_ZONE,
      baseCurrency: "EUR",
      locale: "es",
    });

    const memberIds = new Map<string, string>();
    for (const m of MEMBERS) {
      const email = `${m.email}@norteloira.example`;
      const id = await ensureMemberByEmail(tx, {
        workspaceId,
        name: m.name,
        email,
        slackUserId: m.slack,
        roles: m.roles,
      });
      memberIds.set(m.key, id);
    }

    const clientRows = await insertClients(
      tx,
      CLIENTS.map((c) => ({
        workspaceId,
        externalId: `${DEMO_PREFIX}${c.key}`,
        name: c.name,
        profile: c.profile,
        emails: c.emails,
        language: c.language,
        currency: c.currency,
        paymentTermsDays: c.terms,
        taxId: c.taxId ?? null,
        siren: c.siren ?? null,
        country: c.country,
        address: c.address,
        collectorMemberId: memberIds.get(c.collector) ?? null,
      })),
    );
    const clientIds = new Map(clientRows.map((c) => [c.externalId.slice(DEMO_PREFIX.length), c.id]));
    const clientSpec = new Map(CLIENTS.map((c) => [c.key, c]));

    const projectRows = await insertProjects(
      tx,
      PROJECTS.map((p) => {
        const currency = present(clientSpec.get(p.client), "demo client").currency;
        return {
          workspaceId,
          clientId: present(clientIds.get(p.client), "demo client id"),
          code: p.code,
          name: p.name,
          billingMode: p.mode,
          currency,
          slackChannelId: p.channel,
          pmMemberId: memberIds.get(p.pm) ?? null,
          approverMemberId: memberIds.get(p.approver) ?? null,
          hourlyRateMinor: parseAmount(p.rate, currency),
        };
      }),
    );
    const projectIds = new Map(projectRows.map((p) => [p.code, p.id]));

    let milestoneCount = 0;
    for (const p of PROJECTS) {
      const currency = present(clientSpec.get(p.client), "demo client").currency;
      for (const m of p.milestones ?? []) {
        await insertMilestone(tx, {
          workspaceId,
          projectId: present(projectIds.get(p.code), "demo project id"),
          name: m.name,
          amountMinor: parseAmount(m.amount, currency),
          currency,
          plannedDate: addDays(today, m.plannedInDays),
          status: m.status,
          doneAt: m.status === "done" ? new Date(`${addDays(today, m.plannedInDays)}T16:00:00Z`) : null,
          doneByMemberId: m.status === "done" ? (memberIds.get(p.pm) ?? null) : null,
        });
        milestoneCount += 1;
      }
    }

    // Rates at each of the last month ends plus today, for invoices and for aging in EUR.
    const rateRows: ExchangeRateInsert[] = [];
    for (const [currency, values] of Object.entries(RATES)) {
      values.forEach((rate, index) => {
        const monthEnd = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
        monthEnd.setUTCMonth(monthEnd.getUTCMonth() - index);
        monthEnd.setUTCDate(0);
        const onDate = index === 0 ? today : monthEnd.toISOString().slice(0, 10);
        rateRows.push({ workspaceId, currency, baseCurrency: "EUR", rate, onDate, source: "ECB" });
      });
    }
    await insertExchangeRates(tx, rateRows);
    // Issued through the real path, oldest first (numbers follow issue dates in each series), so
    // they get their numbers, frozen parties and, the seller being Spanish, VERI*FACTU records.
    const planned = INVOICES.map((spec) => {
      const project = present(
        PROJECTS.find((p) => p.code === spec.project),
        "PROJECTS.find((p) => p.code === spec.pro",
      );
      const client = present(clientSpec.get(project.client), "clientSpec.get(project.client)");
      const dueDate = addDays(today, -spec.pastDue);
      return { spec, project, client, dueDate, issueDate: addDays(dueDate, -client.terms) };
    }).sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
    const audit: AuditEntry[] = [];
    const openByBucket: Record<AgeingBucket, number> = {
      not_due: 0,
      "1-30": 0,
      "31-60": 0,
      "61-90": 0,
      "90+": 0,
    };
    let paymentCount = 0;
    for (const { spec, project, client, dueDate, issueDate } of planned) {
      const vat = vatFor(client);
      const subtotal = parseAmount(spec.net, client.currency);
      const hours = /^(\d+) h/.exec(spec.line)?.[1];
      const draftId = await insertDraftWithLine(
        tx,
        {
          workspaceId,
          status: "draft",
          clientId: present(clientIds.get(client.key), "clientIds.get(client.key)"),
          projectId: present(projectIds.get(project.code), "projectIds.get(project.code)"),
          currency: client.currency,
          external: "demo",
        },
        {
          position: 1,
          description: spec.line,
          quantityMilli: hours ? Number(hours) * 1000 : 1000,
          unitCode: hours ? "HUR" : "C62",
          unitPriceMinor: hours ? Math.round(subtotal / Number(hours)) : subtotal,
          netMinor: subtotal,
          vatCategory: vat.category as "S",
          vatRateBp: vat.rateBp,
          exemptionReason: vat.exemptionReason ?? null,
        },
      );
      const { outcomes, deliveryIds } = await issueDraftsInTransaction(tx, ctx, {
        workspaceId,
        invoiceIds: [draftId],
        actor: DEMO,
        issuedByMemberId: memberIds.get("lucia"),
        issueDate,
      });
      const [outcome] = outcomes;
      if (!outcome?.ok) throw outcome?.error ?? new Error("demo invoice not issued");
      // The demo's past is not news: nothing is posted to Slack about these invoices.
      await skipDeliveries(tx, deliveryIds);
      const issued = outcome.invoice;
      const number = issued.number ?? "";
      const total = issued.totalMinor - issued.withholdingMinor;
      const paidMinor =
        spec.paid === "full" ? total : spec.paid === "partial" ? Math.floor(total / 200) * 100 : 0;
      const open = total - paidMinor;
      const status = statusForOpen(total, open);
      const invoice = { id: issued.id };
      await updateInvoice(tx, issued.id, {
        status,
        openMinor: open,
        sentAt: new Date(`${issueDate}T10:05:00Z`),
      });
      if (paidMinor > 0) {
        const paidOn =
          spec.paid === "full" ? addDays(dueDate, Math.min(spec.pastDue, 12) - 6) : addDays(dueDate, 5);
        const paymentId = await insertPayment(tx, {
          workspaceId,
          invoiceId: invoice.id,
          amountMinor: paidMinor,
          currency: client.currency,
          paidOn: paidOn > today ? today : paidOn,
          method: client.profile === "individual" ? "card" : "transfer",
          reference: `TRF ${number}`,
          dedupeKey: `demo:${number}:1`,
          recordedByMemberId: memberIds.get("pablo") ?? null,
        });
        paymentCount += 1;
        audit.push({
          workspaceId,
          actor: DEMO,
          action: "payment.recorded",
          entity: "payment",
          entityId: paymentId,
          after: { number, amountMinor: paidMinor, currency: client.currency },
        });
        audit.push({
          workspaceId,
          actor: DEMO,
          action: "invoice.payment_recorded",
          entity: "invoice",
          entityId: invoice.id,
          before: { status: "issued", openMinor: total },
          after: { status, openMinor: open },
        });
      }
      if (open > 0) openByBucket[ageingBucket(spec.pastDue)] += 1;
      if (project.milestones?.some((m) => m.name === spec.line)) {
        await markMilestoneInvoiced(tx, {
          projectId: present(projectIds.get(project.code), "projectIds.get(project.code)"),
          name: spec.line,
          invoiceId: invoice.id,
        });
      }
    }
    await recordAudit(tx, audit);
    return {
      workspaceId,
      members: MEMBERS.length,
      clients: CLIENTS.length,
      projects: PROJECTS.length,
      milestones: milestoneCount,
      invoices: INVOICES.length,
      payments: paymentCount,
      exchangeRates: rateRows.length,
      openByBucket,
      currencies: [...new Set(CLIENTS.map((c) => c.currency))].sort(),
    };
  });
}
