// French bank labels carry invoice numbers without their separators ("FA 2026 0004",
// "FA20260303"): the credit still names the invoice and pays it, as when written FA-2026-0004.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices } from "../../src/db/schema/index.ts";
import { importBankStatement } from "../../src/imports/index.ts";
import { camt053 } from "../helpers/bank-statements.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

describe(`French bank labels on ${backend()}`, () => {
  it("pays the invoice a label names with spaces or no separators, and leaves near numbers alone", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const mairie = await createClient(db, workspace.id, { name: "Ville de Villeurbanne", profile: "public" });
    const helio = await createClient(db, workspace.id, { name: "Héliotrope Énergie SA" });
    const spaced = await createIssuedInvoice(db, workspace.id, mairie.id, {
      number: "FA-2026-0004",
      totalMinor: 1_440_000,
    });
    const glued = await createIssuedInvoice(db, workspace.id, helio.id, {
      number: "FA-2026-0303",
      totalMinor: 1_010_280,
    });
    const near = await createIssuedInvoice(db, workspace.id, helio.id, {
      number: "FA-2026-0030",
      totalMinor: 50_000,
    });

    const result = await importBankStatement(testCtx(serviceDeps(db), workspace.id), {
      bytes: camt053([
        {
          amount: "14400.00",
          ref: "LCL1",
          payer: "DRFIP AUVERGNE RHONE ALPES",
          text: "VILLE DE VILLEURBANNE MANDAT 892 BORD 114 FACT FA 2026 0004",
        },
        { amount: "10102.80", ref: "LCL2", payer: "HELIOTROPE ENERGIE SA", text: "SOLDE FACTURE FA20260303" },
        { amount: "500.00", ref: "LCL3", payer: "HELIOTROPE ENERGIE SA", text: "ACOMPTE FA 2026 03" },
      ]),
      fileName: "releve.xml",
    });
    // "FA 2026 03" is not FA-2026-0030: the payer's name only suggests it to a person.
    expect(result.lines.map((l) => l.outcome)).toEqual(["paid", "paid", "suggested"]);
    const status = async (id: string) =>
      (await db.select().from(invoices).where(eq(invoices.id, id)))[0]?.status;
    expect(await status(spaced.id)).toBe("paid");
    expect(await status(glued.id)).toBe("paid");
    expect(await status(near.id)).toBe("issued");
  });
});
