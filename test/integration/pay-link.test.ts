// The pay link and the Stripe webhook, over HTTP, against a loopback Stripe stand-in.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, like } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, invoiceCollections, invoices, payments } from "../../src/db/schema/index.ts";
import { createOutboxMailer } from "../../src/delivery/email/outbox-mailer.ts";
import { runDelivery } from "../../src/delivery/index.ts";
import { invoiceRoutes } from "../../src/http/invoice-routes.ts";
import { payRoutes } from "../../src/http/pay-routes.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { sendInvoiceEmailHandler } from "../../src/invoicing/jobs/send-invoice-email.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { sendInvoice } from "../../src/invoicing/send-invoice.ts";
import { type StripePayments, stripePayments } from "../../src/invoicing/stripe-client.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";
import { pdfText } from "../helpers/printable-invoice.ts";
import { type StripeStandIn, startStripeStandIn } from "../helpers/stripe-stand-in.ts";

const WEBHOOK_SECRET = "whsec_test_cobro_pay_link";
const PUBLIC_URL = "https://cobro.example";
let stand: StripeStandIn;
let pay: StripePayments;
let base = "";
let server: Server;
/** Only to sign test events, as Stripe does. */
const signer = new Stripe("sk_test_signer_only");

beforeAll(async () => {
  stand = await startStripeStandIn();
  const configured = stripePayments(
    { secretKey: stand.secretKey, webhookSecret: WEBHOOK_SECRET, apiUrl: stand.url },
    PUBLIC_URL,
  );
  if (!configured) throw new Error("Stripe settings gave no payments");
  pay = configured;
  const { db } = await testDatabase();
  const deps = serviceDeps(db);
  server = createHttpServer(
    [
      ...invoiceRoutes({
        ...deps,
        payments: pay,
        sendgridWebhook: { publicKey: undefined, acceptUnsigned: false },
      }),
      ...payRoutes(deps, pay),
    ],
    silentLogger,
  );
  server.listen(0);
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await stand.close();
});

async function issued() {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, { language: "en" });
  const deps = serviceDeps(db);
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  return { db, deps, invoice, token: invoice.receiptToken ?? "" };
}

type SessionFields = {
  id: string;
  payment_status: "paid" | "unpaid";
  amount_total: number;
  metadata: object;
};

function checkoutEvent(type: string, session: SessionFields, eventId: string) {
  return JSON.stringify({
    id: eventId,
    object: "event",
    api_version: "2026-11-18.endive",
    // The test clock's today (2026-11-23), so the payment is dated then.
    created: Math.floor(Date.parse("2026-11-23T09:00:00Z") / 1000),
    livemode: false,
    type,
    data: {
      object: {
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        currency: "eur",
        payment_intent: `pi_${session.id.slice(3)}`,
        ...session,
      },
    },
  });
}

function postEvent(body: string, secret = WEBHOOK_SECRET) {
  const signature = signer.webhooks.generateTestHeaderString({ payload: body, secret });
  return fetch(`${base}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body,
  });
}

describe("pay link", () => {
  it("opens a Checkout session for what is still open, card and SEPA debit, invoice id in the metadata", async () => {
    const { deps, invoice, token } = await issued();
    await recordPayment(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
      amountMinor: 21_000,
      paidOn: "2026-11-20",
    });
    const response = await fetch(`${base}/pay/${token}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    const session = stand.sessions.at(-1);
    expect(response.headers.get("location")).toBe(`https://checkout.stripe.com/c/pay/${session?.id}`);
    expect(session?.params).toMatchObject({
      mode: "payment",
      "line_items[0][price_data][unit_amount]": String(121_000 - 21_000),
      "line_items[0][price_data][currency]": "eur",
      "allowed_payment_method_types[0]": "card",
      "allowed_payment_method_types[1]": "sepa_debit",
      "metadata[invoice_id]": invoice.id,
      "metadata[workspace_id]": invoice.workspaceId,
      success_url: `${PUBLIC_URL}/pay/${token}?done=1`,
    });
  });

  it("offers cards only outside the euro (Stripe's SEPA debit takes euros)", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id, { currency: "USD" });
    const token = randomBytes(32).toString("base64url");
    await createIssuedInvoice(db, workspace.id, client.id, { currency: "USD", receiptToken: token });
    const response = await fetch(`${base}/pay/${token}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    const params = stand.sessions.at(-1)?.params ?? {};
    expect(params["line_items[0][price_data][currency]"]).toBe("usd");
    expect(params["allowed_payment_method_types[0]"]).toBe("card");
    expect(params["allowed_payment_method_types[1]"]).toBeUndefined();
  });

  it("says a paid invoice is paid instead of charging it, and 404s an unknown token", async () => {
    const { deps, invoice, token } = await issued();
    await recordPayment(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
      amountMinor: 121_000,
      paidOn: "2026-11-20",
    });
    const before = stand.sessions.length;
    const response = await fetch(`${base}/pay/${token}`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This invoice is already paid");
    expect(stand.sessions.length).toBe(before);
    expect((await fetch(`${base}/pay/${"x".repeat(43)}`)).status).toBe(404);
  });

  it("is on the PDF and the receipt page when Stripe is set up, and absent without it", async () => {
    const { deps, invoice, token } = await issued();
    const withLink = await renderInvoiceDocument(
      { ...testCtx(deps, invoice.workspaceId), payments: pay },
      { invoiceId: invoice.id },
    );
    // A long link may wrap at a hyphen of its token.
    expect((await pdfText(withLink.pdf)).all.replace(/\s+/g, "")).toContain(`${PUBLIC_URL}/pay/${token}`);
    const without = await renderInvoiceDocument(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
    });
    expect((await pdfText(without.pdf)).all).not.toContain("/pay/");
    expect(await (await fetch(`${base}/r/${token}`)).text()).toContain(`href="${PUBLIC_URL}/pay/${token}"`);
    expect(payRoutes(deps, null)).toEqual([]);
  });
});

describe("invoice e-mail", () => {
  it("carries the pay link when Stripe is set up, and none without it", async () => {
    const { db, deps, invoice, token } = await issued();
    const sendAndRead = async (withStripe: boolean, request: string) => {
      const claim = await sendInvoice(testCtx(deps, invoice.workspaceId), {
        invoiceId: invoice.id,
        sendRequestId: request,
      });
      const dataDir = await mkdtemp(join(tmpdir(), "cobro-pay-outbox-"));
      const handler = sendInvoiceEmailHandler({
        ...deps,
        mailer: createOutboxMailer({ dataDir }),
        publicUrl: PUBLIC_URL,
        mailFrom: "billing@cobro.example",
        payments: withStripe ? pay : null,
      });
      await runDelivery(db, { email: handler }, claim.deliveryId ?? "", silentLogger);
      const [file] = await readdir(join(dataDir, "outbox"));
      const eml = await readFile(join(dataDir, "outbox", file ?? ""), "utf8");
      const textPart = eml.split("Content-Type: text/plain; charset=utf-8")[1]?.split(/\r?\n\r?\n/)[1] ?? "";
      return Buffer.from(textPart, "base64").toString("utf8");
    };
    expect(await sendAndRead(true, "with")).toContain(`${PUBLIC_URL}/pay/${token}`);
    expect(await sendAndRead(false, "without")).not.toContain("/pay/");
  });
});

async function onItsWay(invoiceId: string) {
  const { db } = await testDatabase();
  const rows = await db.select().from(deliveries).where(eq(deliveries.invoiceId, invoiceId));
  return rows.map((r) => r.payload as Record<string, unknown>).filter((p) => p.type === "payment_on_its_way");
}

describe("Stripe webhook", () => {
  it("records a card payment once, with its thread notes; a replay records nothing twice", async () => {
    const { db, invoice, token } = await issued();
    await fetch(`${base}/pay/${token}`, { redirect: "manual" });
    const created = stand.sessions.at(-1);
    const session = {
      id: created?.id ?? "",
      payment_status: "paid" as const,
      amount_total: 121_000,
      metadata: { invoice_id: invoice.id, workspace_id: invoice.workspaceId },
    };
    const body = checkoutEvent("checkout.session.completed", session, "evt_card_1");
    const first = await postEvent(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: "recorded", invoiceId: invoice.id });
    const replay = await postEvent(body);
    expect(await replay.json()).toMatchObject({ outcome: "already_recorded" });

    const rows = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amountMinor: 121_000, method: "card", paidOn: "2026-11-23" });
    const [after] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(after).toMatchObject({ status: "paid", openMinor: 0 });
    const notes = await db
      .select({ key: deliveries.dedupeKey })
      .from(deliveries)
      .where(and(eq(deliveries.invoiceId, invoice.id), like(deliveries.dedupeKey, "invoice-event:%")));
    expect(notes.map((n) => n.key)).toEqual(
      expect.arrayContaining([
        `invoice-event:${invoice.id}:payment_recorded:${rows[0]?.id}`,
        `invoice-event:${invoice.id}:paid:once`,
      ]),
    );
    const page = await fetch(`${base}/pay/${token}`, { redirect: "manual" });
    expect(await page.text()).toContain("already paid");
  });

  it("refuses a bad signature with 400 and records nothing", async () => {
    const { db, invoice } = await issued();
    const session = {
      id: "cs_test_forged",
      payment_status: "paid" as const,
      amount_total: 121_000,
      metadata: { invoice_id: invoice.id, workspace_id: invoice.workspaceId },
    };
    const body = checkoutEvent("checkout.session.completed", session, "evt_forged");
    const forged = await postEvent(body, "whsec_someone_else");
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { message: string }).message).toContain("STRIPE_WEBHOOK_SECRET");
    const unsigned = await fetch(`${base}/webhooks/stripe`, { method: "POST", body });
    expect(unsigned.status).toBe(400);
    expect(await db.select().from(payments).where(eq(payments.invoiceId, invoice.id))).toEqual([]);
  });

  it("records a SEPA debit when it succeeds, not when the session completes unpaid", async () => {
    const { db, invoice } = await issued();
    const session = {
      id: "cs_test_sepa_1",
      payment_status: "unpaid" as const,
      amount_total: 121_000,
      metadata: { invoice_id: invoice.id, workspace_id: invoice.workspaceId },
    };
    const completed = await postEvent(checkoutEvent("checkout.session.completed", session, "evt_sepa_1"));
    expect(await completed.json()).toMatchObject({ outcome: "processing" });
    expect(await db.select().from(payments).where(eq(payments.invoiceId, invoice.id))).toEqual([]);
    // Reminders wait for the debit, and the collections channel (no collector here) hears of it.
    expect(await onItsWay(invoice.id)).toEqual([
      expect.objectContaining({ source: "sepa_debit", holdUntil: "2026-11-28", channel: "CCOLLECT" }),
    ]);

    const succeeded = checkoutEvent(
      "checkout.session.async_payment_succeeded",
      { ...session, payment_status: "paid" },
      "evt_sepa_2",
    );
    expect(await (await postEvent(succeeded)).json()).toMatchObject({ outcome: "recorded" });
    expect(await (await postEvent(succeeded)).json()).toMatchObject({ outcome: "already_recorded" });
    const rows = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(rows.map((r) => r.method)).toEqual(["direct_debit"]);
  });

  it("ends the hold and tells the collector, once, when a SEPA debit fails", async () => {
    const { db, invoice } = await issued();
    const session = {
      id: "cs_test_sepa_failed",
      payment_status: "unpaid" as const,
      amount_total: 121_000,
      metadata: { invoice_id: invoice.id, workspace_id: invoice.workspaceId },
    };
    await postEvent(checkoutEvent("checkout.session.completed", session, "evt_sepa_f1"));
    const failed = checkoutEvent("checkout.session.async_payment_failed", session, "evt_sepa_f2");
    expect(await (await postEvent(failed)).json()).toMatchObject({ outcome: "failed" });
    await postEvent(failed);
    const [collection] = await db
      .select()
      .from(invoiceCollections)
      .where(eq(invoiceCollections.invoiceId, invoice.id));
    expect(collection?.promisedOn).toBeNull();
    expect((await onItsWay(invoice.id)).filter((p) => p.failed)).toHaveLength(1);
    expect(await db.select().from(payments).where(eq(payments.invoiceId, invoice.id))).toEqual([]);
  });

  it("tells the invoice thread once when money taken online no longer fits the invoice", async () => {
    const { db, deps, invoice } = await issued();
    await recordPayment(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
      amountMinor: 121_000,
      paidOn: "2026-11-22",
    });
    const session = {
      id: "cs_test_late_card",
      payment_status: "paid" as const,
      amount_total: 121_000,
      metadata: { invoice_id: invoice.id, workspace_id: invoice.workspaceId },
    };
    const body = checkoutEvent("checkout.session.completed", session, "evt_late_card");
    const answer = await postEvent(body);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ outcome: "unapplied" });
    await postEvent(body);
    const notes = await db
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.invoiceId, invoice.id),
          like(deliveries.dedupeKey, "invoice-event:%:online_payment_unapplied:%"),
        ),
      );
    expect(notes).toHaveLength(1);
    expect(notes[0]?.payload).toMatchObject({
      detail: { amountMinor: 121_000, reference: "pi_test_late_card" },
    });
    expect(await db.select().from(payments).where(eq(payments.invoiceId, invoice.id))).toHaveLength(1);
  });
});
