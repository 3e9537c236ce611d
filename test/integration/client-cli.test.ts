// `cobro client show|set` through the in-process runner, on the real database.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { clientCommand } from "../../src/cli/client.ts";
import type { Database } from "../../src/db/client.ts";
import { auditLog, clients } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

describe(`cobro client on ${backend()}`, () => {
  it("sets what e-mails carry, the electronic address and a delivery address; refuses bad values by column", async () => {
    const workspace = await createWorkspace(database.db);
    const client = await createClient(database.db, workspace.id, {
      name: "Industries Martin SA",
      externalId: "C-MARTIN",
      language: "fr",
    });
    const { run } = cliRunner(clientCommand, { deps: serviceDeps(database.db), database });
    const cli = (...args: string[]) => run(...args, "--workspace", workspace.id);
    const stored = async () =>
      (await database.db.select().from(clients).where(eq(clients.id, client.id)))[0]!;

    const refused = await cli("set", "industries", "einvoice_scheme", "0000", "einvoice_id", "303265045");
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/^einvoice_scheme: Must be a scheme of the EAS code list/);
    await expect(cli("set", "industries", "einvoice_attachment", "both")).rejects.toMatchObject({
      userMessage: expect.stringMatching(
        /^Unknown column "einvoice_attachment"\. Columns: .*einvoice_attachments/,
      ),
    });
    expect((await stored()).electronicAddress).toBeNull();

    const saved = await cli(
      "set",
      "C-MARTIN",
      "einvoice_attachments",
      "both",
      "einvoice_scheme",
      "0225",
      "einvoice_id",
      "303265045",
      "delivery_line1",
      "12 rue du Progrès",
      "delivery_postcode",
      "69200",
      "delivery_city",
      "Vénissieux",
    );
    expect(saved).toEqual({
      code: 0,
      out: "Industries Martin SA saved: einvoice_attachments, einvoice_scheme, einvoice_id, delivery_line1, delivery_postcode, delivery_city. New invoices use these details.",
    });
    expect(await stored()).toMatchObject({
      einvoiceAttachments: "both",
      electronicAddress: "0225:303265045",
      deliveryAddress: { line1: "12 rue du Progrès", postcode: "69200", city: "Vénissieux", country: "FR" },
      // What was not named is kept.
      siren: "303265045",
      taxId: "FR40303265045",
      address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
    });
    const shown = await cli("show", "industries");
    expect(shown.out).toMatch(/^einvoice_attachments +both$/m);
    expect(shown.out).toMatch(/^delivery_city +Vénissieux$/m);

    // An empty value clears the choice: Cobro's default applies again.
    expect(await cli("set", "C-MARTIN", "einvoice_attachments", "")).toMatchObject({ code: 0 });
    expect((await stored()).einvoiceAttachments).toBeNull();
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.entityId, client.id));
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["client.updated", "cli"],
      ["client.updated", "cli"],
    ]);
  });
});
