import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { clients, invoices, members, projects } from "../../src/db/schema/index.ts";
import type { ImportKind } from "../../src/domain/import-rows.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

const run = (workspaceId: string, kind: ImportKind, csv: string) =>
  importCsv(testCtx(serviceDeps(database.db), workspaceId), { kind, csv });

async function client(workspaceId: string, externalId: string) {
  const [row] = await database.db
    .select()
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.externalId, externalId)));
  return row!;
}

describe(`client and project CSV details on ${backend()}`, () => {
  it("stores address, ids, purchase order, IRPF, collector, e-invoicing address and payment method", async () => {
    const workspace = await createWorkspace(database.db);
    const result = await run(workspace.id, "clients", fixture("clients.csv"));
    expect(result.errors).toEqual([]);

    const acme = await client(workspace.id, "C-ACME");
    expect(acme).toMatchObject({
      address: {
        line1: "Calle Mayor 1",
        line2: "Planta 3",
        postcode: "28013",
        city: "Madrid",
        country: "ES",
      },
      taxId: "ESB12345674",
      withholdingRateBp: 1500,
      paymentMethod: "transfer",
    });
    const [collector] = await database.db
      .select()
      .from(members)
      .where(and(eq(members.workspaceId, workspace.id), eq(members.id, acme.collectorMemberId!)));
    expect(collector).toMatchObject({ email: "cobros@consult.example", roles: ["collector"] });

    expect(await client(workspace.id, "C-MAIRIE")).toMatchObject({
      siren: "216901231",
      taxId: "FR60216901231",
      poReference: "BC-2026-118",
      electronicAddress: "0002:216901231",
      address: { line1: "1 place de la Comédie", postcode: "69001", city: "Lyon", country: "FR" },
    });
    expect((await client(workspace.id, "C-JONES")).paymentMethod).toBe("card");

    // A draft for a client who pays by card says so in its payment means (UNTDID 4461: 48).
    const draft = await createInvoiceDraft(testCtx(serviceDeps(database.db), workspace.id), {
      clientId: (await client(workspace.id, "C-JONES")).id,
      currency: "GBP",
      lines: [{ description: "Audit", quantityMilli: 1000, unitCode: "C62", unitPriceMinor: 10000 }],
    });
    const [stored] = await database.db.select().from(invoices).where(eq(invoices.id, draft.invoice.id));
    expect(stored?.paymentMeansCode).toBe("48");
  });

  it("refuses bad ids, half addresses and half e-invoicing addresses, naming every line and column", async () => {
    const workspace = await createWorkspace(database.db);
    const csv = [
      "external_id,name,profile,currency,country,tax_id,siren,nif,address_line1,postcode,city,einvoice_scheme,einvoice_id,irpf_rate,collector_email,payment_method",
      "C1,Siren typo,business,EUR,FR,,732829321,,1 rue A,75001,Paris,,,,,",
      "C2,NIF typo,business,EUR,ES,,,B12345678,Calle B 2,28001,Madrid,,,,,",
      "C3,VAT typo,business,EUR,DE,DE136695978,,,Weg 3,10115,Berlin,,,,,",
      "C4,No prefix,business,EUR,FR,40303265045,,,1 rue A,75001,Paris,,,,,",
      "C5,Half address,business,EUR,FR,,,,1 rue A,,,,,,,",
      "C6,Half e-invoicing,business,EUR,FR,,,,,,,0009,,,,",
      "C7,Bad SIRET,business,EUR,FR,,,,,,,0009,73282932000075,,,",
      "C8,Bad cells,business,EUR,ES,,,,,,,,,150,not-mail,bitcoin",
      "C9,NIF mismatch,business,EUR,ES,ESB12345674,,12345678Z,,,,,,,,",
      "C10,Fine,business,EUR,ES,B12345674,,,,,,,,7,,",
      "C11,Lucía Pérez,individual,EUR,ES,,,,,,,,,15,,",
    ].join("\n");
    const result = await run(workspace.id, "clients", csv);
    const seen = result.errors.map((e) => `${e.line}:${e.column}`);
    expect(seen.sort()).toEqual(
      [
        "2:siren",
        "3:nif",
        "4:tax_id",
        "5:tax_id",
        "6:postcode",
        "6:city",
        "7:einvoice_id",
        "8:einvoice_id",
        "9:irpf_rate",
        "9:collector_email",
        "9:payment_method",
        "10:nif",
        "12:irpf_rate",
      ].sort(),
    );
    const message = (line: number, column: string) =>
      result.errors.find((e) => e.line === line && e.column === column)?.message;
    expect(message(2, "siren")).toMatch(/not a valid SIREN: its check digit is wrong/);
    expect(message(3, "nif")).toMatch(/not a valid Spanish NIF\/CIF/);
    expect(message(4, "tax_id")).toMatch(/not a valid DE VAT number/);
    expect(message(5, "tax_id")).toMatch(/starts with its country code, for example FR40303265045/);
    expect(message(8, "einvoice_id")).toMatch(/not a valid SIRET/);
    expect(message(12, "irpf_rate")).toMatch(
      /a private individual withholds no IRPF .*\(autónomo\) who withholds is profile business/,
    );
    expect(result.rolledBack).toBe(true);
    expect(await database.db.select().from(clients).where(eq(clients.workspaceId, workspace.id))).toEqual([]);
  });

  it("stores a delivery address and what invoice e-mails carry; refuses a scheme outside the EAS list and an unknown choice", async () => {
    const workspace = await createWorkspace(database.db);
    const header =
      "external_id,name,profile,currency,country,einvoice_scheme,einvoice_id,einvoice_attachments,delivery_line1,delivery_postcode,delivery_city,delivery_country";
    const good = await run(
      workspace.id,
      "clients",
      [
        header,
        "C-1,Usine,business,EUR,FR,0225,303265045,Factur-X,Zone Nord,69120,Vaulx-en-Velin,",
        "C-2,Lab,business,EUR,FR,,,both,Via Roma 1,00184,Roma,it",
      ].join("\n"),
    );
    expect(good.errors).toEqual([]);
    expect(await client(workspace.id, "C-1")).toMatchObject({
      electronicAddress: "0225:303265045",
      einvoiceAttachments: "facturx",
      deliveryAddress: { line1: "Zone Nord", postcode: "69120", city: "Vaulx-en-Velin", country: "FR" },
    });
    expect(await client(workspace.id, "C-2")).toMatchObject({
      einvoiceAttachments: "both",
      deliveryAddress: { line1: "Via Roma 1", postcode: "00184", city: "Roma", country: "IT" },
    });

    const bad = await run(
      workspace.id,
      "clients",
      [
        header,
        "C-3,Typo,business,EUR,FR,0000,303265045,pdf,Zone Nord,69120,Lyon,F",
        "C-4,Half,business,EUR,FR,,,,Zone Nord,,Lyon,",
      ].join("\n"),
    );
    const message = (column: string) => bad.errors.find((e) => e.column === column)?.message;
    expect(bad.errors.map((e) => `${e.line}:${e.column}`).sort()).toEqual(
      ["2:delivery_country", "3:delivery_postcode", "2:einvoice_attachments", "2:einvoice_scheme"].sort(),
    );
    expect(message("einvoice_scheme")).toMatch(/EAS code list .*0225/);
    expect(message("einvoice_attachments")).toMatch(/one of facturx, ubl, both/);
    expect(message("delivery_postcode")).toMatch(/required when a delivery address is given/);
  });

  it("re-importing without the detail columns keeps the details already stored", async () => {
    const workspace = await createWorkspace(database.db);
    await run(workspace.id, "clients", fixture("clients.csv"));
    const unchanged = await run(workspace.id, "clients", fixture("clients.csv"));
    expect([unchanged.created, unchanged.updated, unchanged.unchanged]).toEqual([0, 0, 4]);
    const before = await client(workspace.id, "C-MAIRIE");
    const again = await run(
      workspace.id,
      "clients",
      "external_id,name,profile,currency,country,tax_id\nC-MAIRIE,Mairie de Lyon,public,EUR,FR,FR60216901231",
    );
    expect(again.errors).toEqual([]);
    const after = await client(workspace.id, "C-MAIRIE");
    expect(after).toMatchObject({
      address: before.address,
      siren: "216901231",
      poReference: "BC-2026-118",
      electronicAddress: "0002:216901231",
    });
  });

  it("a project code owned by another client is a line error and nothing moves", async () => {
    const workspace = await createWorkspace(database.db);
    await run(workspace.id, "clients", fixture("clients.csv"));
    await run(workspace.id, "projects", fixture("projects.csv"));
    const moved = await run(
      workspace.id,
      "projects",
      "code,client_external_id,name,billing_mode\nbright,C-BRIGHT,Data platform,time\natlas,C-MAIRIE,Atlas portal,fixed",
    );
    expect(moved.errors).toEqual([
      {
        line: 3,
        column: "code",
        message:
          'project "atlas" belongs to client C-ACME (Acme Industrias SA); a project cannot move to another client: give this one a new code',
      },
    ]);
    const [atlas] = await database.db
      .select()
      .from(projects)
      .where(and(eq(projects.workspaceId, workspace.id), eq(projects.code, "atlas")));
    expect(atlas?.clientId).toBe((await client(workspace.id, "C-ACME")).id);
  });

  it("the project's approver e-mail makes an approver member, kept when the cell is blank", async () => {
    const workspace = await createWorkspace(database.db);
    await run(workspace.id, "clients", fixture("clients.csv"));
    await run(workspace.id, "projects", fixture("projects.csv"));
    const approverOf = async () => {
      const [row] = await database.db
        .select({ email: members.email, roles: members.roles })
        .from(projects)
        .innerJoin(members, eq(members.id, projects.approverMemberId))
        .where(and(eq(projects.workspaceId, workspace.id), eq(projects.code, "lyon-bi")));
      return row;
    };
    expect(await approverOf()).toEqual({ email: "dsi@lyon.example", roles: ["approver"] });
    await run(
      workspace.id,
      "projects",
      "code,client_external_id,name,billing_mode,approver_email\nlyon-bi,C-MAIRIE,Tableaux de bord,time,",
    );
    expect(await approverOf()).toEqual({ email: "dsi@lyon.example", roles: ["approver"] });
  });
});
