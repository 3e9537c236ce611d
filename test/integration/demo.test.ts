import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  clients,
  invoices,
  members,
  payments,
  verifactuRecords,
  workspaces,
} from "../../src/db/schema/index.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { ageingBucket } from "../../src/domain/aging.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { verifyVerifactuChains } from "../../src/invoicing/verifactu/verify-verifactu-chains.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

const TODAY = "2026-11-23";
const daysPastDue = (due: string) =>
  (Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000;

describe(`cobro demo on ${backend()}`, () => {
  beforeAll(async () => {
    await testDatabase();
  });

  it("seeds every ageing bucket, three client profiles, EUR/USD/GBP, partial and full payments", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { seller: null });
    const result = await seedDemo(
      testCtx(serviceDeps(db, fixedClock(`${TODAY}T09:00:00Z`)), workspace.id),
      {},
    );
    expect(result.currencies).toEqual(["EUR", "GBP", "USD"]);

    const rows = await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    const open = rows.filter((i) => i.openMinor > 0);
    const buckets = new Set(open.map((i) => ageingBucket(daysPastDue(i.dueDate!))));
    expect([...buckets].sort()).toEqual(["1-30", "31-60", "61-90", "90+", "not_due"]);
    expect(Object.values(result.openByBucket).every((n) => n > 0)).toBe(true);
    for (const invoice of rows) {
      expect(invoice.openMinor).toBeGreaterThanOrEqual(0);
      expect(invoice.status).toBe(
        invoice.openMinor === 0
          ? "paid"
          : invoice.openMinor === invoice.totalMinor
            ? "issued"
            : "partially_paid",
      );
    }
    expect(rows.some((i) => i.status === "partially_paid")).toBe(true);
    expect(rows.some((i) => i.status === "paid")).toBe(true);
    expect(new Set(rows.map((i) => i.currency))).toEqual(new Set(["EUR", "USD", "GBP"]));

    const paid = await db.select().from(payments).where(eq(payments.workspaceId, workspace.id));
    for (const invoice of rows) {
      const sum = paid.filter((p) => p.invoiceId === invoice.id).reduce((s, p) => s + p.amountMinor, 0);
      expect(invoice.totalMinor - sum).toBe(invoice.openMinor);
    }

    const clientRows = await db.select().from(clients).where(eq(clients.workspaceId, workspace.id));
    expect(new Set(clientRows.map((c) => c.profile))).toEqual(new Set(["public", "business", "individual"]));
    expect(new Set(clientRows.map((c) => c.language))).toEqual(new Set(["es", "fr", "en"]));
    const people = await db.select().from(members).where(eq(members.workspaceId, workspace.id));
    expect(new Set(people.flatMap((m) => m.roles))).toEqual(
      new Set(["admin", "billing", "collector", "approver", "pm"]),
    );
    // Issued through the real path: every invoice of the Spanish demo company has its VERI*FACTU record.
    const records = await db
      .select()
      .from(verifactuRecords)
      .where(eq(verifactuRecords.workspaceId, workspace.id));
    expect(records.map((r) => r.invoiceId).sort()).toEqual(rows.map((i) => i.id).sort());
    expect(records.every((r) => r.issuerNif === "B86542198")).toBe(true);
    expect(await verifyVerifactuChains(testCtx(serviceDeps(db), workspace.id), {})).toEqual([
      { issuerNif: "B86542198", records: rows.length, broken: null },
    ]);
    const [seeded] = await db.select().from(workspaces).where(eq(workspaces.id, workspace.id));
    expect(seeded?.seller).toMatchObject({
      legalName: "Norte y Loira Consultores SL",
      nif: "B86542198",
      iban: expect.any(String),
    });
  });

  it("refuses a workspace that already has clients unless forced, and --force keeps the user's rows", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const mine = await createClient(db, workspace.id, { externalId: "MINE" });
    const deps = serviceDeps(db);
    const refusal = await seedDemo(testCtx(deps, workspace.id), {}).catch((error: unknown) => error);
    expect(isDomainError(refusal) && refusal.code).toBe("demo.not_empty");
    expect(isDomainError(refusal) && refusal.userMessage).toMatch(/--force/);
    expect(await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).toEqual([]);

    const seeded = await seedDemo(testCtx(deps, workspace.id), { force: true });
    const clientRows = await db.select().from(clients).where(eq(clients.workspaceId, workspace.id));
    expect(clientRows.map((c) => c.id)).toContain(mine.id);
    expect(clientRows).toHaveLength(seeded.clients + 1);
    // Issued demo invoices can never be deleted, so a second demo in the same workspace is refused.
    const twice = await seedDemo(testCtx(deps, workspace.id), { force: true }).catch(
      (error: unknown) => error,
    );
    expect(isDomainError(twice) && twice.code).toBe("demo.already_seeded");
    expect(await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).toHaveLength(
      seeded.invoices,
    );
  });
});
