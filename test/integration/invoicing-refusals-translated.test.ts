// Invoicing refusals that Slack says in the reader's language (the CLI keeps its English): a
// cancellation the AEAT forbids, a credit note of an unknown invoice, an unknown
// client, an import the database stopped.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { explainFailure } from "../../src/imports/explain-failure.ts";
import { cancelInvoice } from "../../src/invoicing/cancel-invoice.ts";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { findClientByReference } from "../../src/invoicing/repo.ts";
import { translatedUserMessage } from "../../src/slack/kit/support.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

async function refusalOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail("expected a refusal"),
    (error: unknown) => error,
  );
}

async function spanishInvoice() {
  const { db } = await testDatabase();
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, {
    country: "ES",
    taxId: "ESB87654321",
    currency: "EUR",
  });
  const ctx = testCtx(deps, workspace.id);
  const { invoice: draft } = await createInvoiceDraft(ctx, {
    clientId: client.id,
    lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000 }],
  });
  const { invoice } = await issueInvoice(ctx, { invoiceId: draft.id });
  return { db, ctx, workspace, invoice };
}

describe(`invoicing refusals in the reader's language on ${backend()}`, () => {
  it("a paid invoice's cancellation and a credit note of an unknown invoice are refused in Spanish and French", async () => {
    const { ctx, invoice } = await spanishInvoice();
    await recordPayment(ctx, { invoiceId: invoice.id, amountMinor: 10_000, paidOn: "2026-11-23" });
    const cancel = await refusalOf(cancelInvoice(ctx, { invoiceId: invoice.id, reason: "error" }));
    expect(translatedUserMessage(cancel, "es")).toBe(
      `${invoice.number} ya ha llegado al cliente (hay un pago registrado): la AEAT solo permite anular una factura que nunca se entregó. Corrígela con una factura rectificativa.`,
    );
    expect(translatedUserMessage(cancel, "fr")).toContain(
      `${invoice.number} est déjà parvenue au client (un paiement est enregistré) : l’AEAT`,
    );
    expect(translatedUserMessage(cancel, "en")).not.toContain("cobro invoice credit");

    const unknown = await refusalOf(
      createCreditNote(ctx, { invoiceId: randomUUID(), reason: "x", full: true }),
    );
    expect(translatedUserMessage(unknown, "es")).toBe(
      "Esa factura no existe en este espacio de trabajo (una factura rectificativa no se puede rectificar a su vez).",
    );
  });

  it("an unknown client and a stopped import are said in Spanish and French", async () => {
    const { db, workspace } = await spanishInvoice();
    const client = await refusalOf(findClientByReference(db, workspace.id, "Initech"));
    expect(translatedUserMessage(client, "es")).toBe(
      "No hay ningún cliente «Initech» en este espacio de trabajo: indica su id, su id externo o el principio de su nombre.",
    );
    expect(translatedUserMessage(client, "fr")).toBe(
      "Aucun client « Initech » dans cet espace de travail : indiquez son identifiant, son identifiant externe ou le début de son nom.",
    );

    const stopped = await refusalOf(
      explainFailure("saving time entries", { first: 2, last: 9 }, async () => {
        throw new Error("value too long: xyz");
      }),
    );
    expect(translatedUserMessage(stopped, "es")).toBe(
      "La importación se detuvo en las líneas 2–9 (saving time entries): value too long. No se ha importado nada.",
    );
    expect(translatedUserMessage(stopped, "fr")).toBe(
      "L’import s’est arrêté aux lignes 2–9 (saving time entries) : value too long. Rien n’a été importé.",
    );
  });
});
