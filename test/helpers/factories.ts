// Rows for tests, with sensible defaults; each test builds its own workspace.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import {
  clients,
  invoices,
  members,
  milestones,
  payments,
  projects,
  workspaces,
} from "../../src/db/schema/index.ts";

type Insert<T extends { $inferInsert: unknown }> = Partial<T["$inferInsert"]>;

export async function createWorkspace(db: Db, values: Insert<typeof workspaces> = {}) {
  const [row] = await db
    .insert(workspaces)
    .values({
      name: `Test ${randomUUID().slice(0, 8)}`,
      slackTeamId: `T${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`,
      timeZone: "Europe/Madrid",
      baseCurrency: "EUR",
      locale: "en",
      seller: {
        legalName: "Acme Consulting SL",
        legalForm: "SL",
        address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
        vatId: "ESB12345678",
        nif: "B12345678",
        iban: "ES9121000418450200051332",
        email: "billing@acme.example",
      },
      billingChannelId: "CBILLING",
      collectionsChannelId: "CCOLLECT",
      ...values,
    })
    .returning();
  return row!;
}

export async function createMember(db: Db, workspaceId: string, values: Insert<typeof members> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const [row] = await db
    .insert(members)
    .values({
      workspaceId,
      name: `Person ${suffix}`,
      email: `person-${suffix}@acme.example`,
      slackUserId: `U${suffix.toUpperCase()}`,
      roles: [],
      ...values,
    })
    .returning();
  return row!;
}

export async function createClient(db: Db, workspaceId: string, values: Insert<typeof clients> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const [row] = await db
    .insert(clients)
    .values({
      workspaceId,
      externalId: `C-${suffix}`,
      name: `Client ${suffix}`,
      profile: "business",
      emails: [`ap-${suffix}@client.example`],
      language: "en",
      currency: "EUR",
      paymentTermsDays: 30,
      taxId: "FR40303265045",
      siren: "303265045",
      country: "FR",
      address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
      ...values,
    })
    .returning();
  return row!;
}

export async function createProject(
  db: Db,
  workspaceId: string,
  clientId: string,
  values: Insert<typeof projects> = {},
) {
  const suffix = randomUUID().slice(0, 6);
  const [row] = await db
    .insert(projects)
    .values({
      workspaceId,
      clientId,
      code: `P${suffix}`.toUpperCase(),
      name: `Project ${suffix}`,
      billingMode: "fixed",
      currency: "EUR",
      hourlyRateMinor: 9000,
      ...values,
    })
    .returning();
  return row!;
}

export async function createMilestone(
  db: Db,
  workspaceId: string,
  projectId: string,
  values: Insert<typeof milestones> = {},
) {
  const [row] = await db
    .insert(milestones)
    .values({
      workspaceId,
      projectId,
      name: `Milestone ${randomUUID().slice(0, 6)}`,
      amountMinor: 500000,
      currency: "EUR",
      ...values,
    })
    .returning();
  return row!;
}

/** An issued receivable with a given due date and amount (open = total unless given). */
export async function createIssuedInvoice(
  db: Db,
  workspaceId: string,
  clientId: string,
  values: Insert<typeof invoices> = {},
) {
  const total = values.totalMinor ?? 121000;
  const [row] = await db
    .insert(invoices)
    .values({
      workspaceId,
      clientId,
      status: "issued",
      number: `T-${randomUUID().slice(0, 8)}`,
      currency: "EUR",
      issueDate: "2026-10-01",
      dueDate: "2026-10-31",
      subtotalMinor: Math.round(total / 1.21),
      vatMinor: total - Math.round(total / 1.21),
      totalMinor: total,
      openMinor: total,
      external: "import",
      ...values,
    })
    .returning();
  return row!;
}

/** A payment written straight to the tables (no service, no checks), lowering the invoice's open amount. */
export async function insertPayment(
  db: Db,
  p: { workspaceId: string; invoiceId: string; currency: string; amountMinor: number; paidOn: string },
) {
  await db.insert(payments).values({ ...p, dedupeKey: randomUUID() });
  await lowerOpenAmount(db, p.invoiceId, p.amountMinor);
}

/** A credit note written straight to the tables, lowering the corrected invoice's open amount. */
export async function insertCreditNote(
  db: Db,
  c: {
    workspaceId: string;
    clientId: string;
    invoiceId: string;
    currency: string;
    amountMinor: number;
    on: string;
  },
) {
  await createIssuedInvoice(db, c.workspaceId, c.clientId, {
    kind: "credit_note",
    typeCode: "381",
    currency: c.currency,
    correctsInvoiceId: c.invoiceId,
    issueDate: c.on,
    dueDate: c.on,
    totalMinor: c.amountMinor,
    openMinor: 0,
  });
  await lowerOpenAmount(db, c.invoiceId, c.amountMinor);
}

async function lowerOpenAmount(db: Db, invoiceId: string, amountMinor: number) {
  await db
    .update(invoices)
    .set({ openMinor: sql`${invoices.openMinor} - ${amountMinor}` })
    .where(eq(invoices.id, invoiceId));
}
