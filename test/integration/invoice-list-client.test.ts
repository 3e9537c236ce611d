// `cobro invoice list --client` finds the client as `cobro client show` and `cobro statement` do: by id,
// external id, exact name or, failing those, the start of its name with accents optional. Before, only an
// exact name was found ("No client \"nandu\": use its id, external id or exact name.").
import { describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

describe(`cobro invoice list --client on ${backend()}`, () => {
  it("lists the invoices of the one client whose name a word starts, and names the candidates when several do", async () => {
    const database = await testDatabase();
    const { db } = database;
    const ws = await createWorkspace(db);
    const nandu = await createClient(db, ws.id, { externalId: "ES-011", name: "Editorial Ñandú SA" });
    const norte = await createClient(db, ws.id, { externalId: "ES-012", name: "Editorial Norte SL" });
    await createIssuedInvoice(db, ws.id, nandu.id, { number: "FA26-0145", dueDate: "2026-09-04" });
    await createIssuedInvoice(db, ws.id, norte.id, { number: "FA26-0146", dueDate: "2026-09-04" });
    const cli = cliRunner(invoiceCommand, { deps: serviceDeps(db), database });

    const one = await cli.run("list", "--client", "nandu", "--workspace", ws.id);
    expect(one.code).toBe(0);
    expect(one.out).toContain("FA26-0145");
    expect(one.out).not.toContain("FA26-0146");

    await expect(cli.run("list", "--client", "editorial", "--workspace", ws.id)).rejects.toMatchObject({
      userMessage: expect.stringContaining('Several clients match "editorial"'),
    });
  });
});
