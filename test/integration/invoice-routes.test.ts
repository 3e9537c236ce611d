import { generateKeyPairSync, sign } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { deliveries, emailEvents, invoices } from "../../src/db/schema/index.ts";
import { invoiceRoutes } from "../../src/http/invoice-routes.ts";
import type { SendgridWebhookSettings } from "../../src/http/sendgrid-webhook.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const publicKeyBase64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
let base = "";
/** The same routes with no verification key: unsigned events refused, unless allowed. */
let unsignedBase = "";
let allowUnsignedBase = "";
const servers: Server[] = [];

async function serve(sendgridWebhook: SendgridWebhookSettings): Promise<string> {
  const { db } = await testDatabase();
  const server = createHttpServer(invoiceRoutes({ ...serviceDeps(db), sendgridWebhook }), silentLogger);
  servers.push(server);
  server.listen(0);
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  base = await serve({ publicKey: publicKeyBase64, acceptUnsigned: false });
  unsignedBase = await serve({ publicKey: undefined, acceptUnsigned: false });
  allowUnsignedBase = await serve({ publicKey: undefined, acceptUnsigned: true });
});
afterAll(() => {
  for (const server of servers) server.close();
});

async function issued(language: "fr" | "es" | "en") {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, { language });
  const deps = serviceDeps(db);
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 10_000, vatRateBp: 2100 }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  return { db, invoice };
}

function signed(body: string, key = privateKey, ageSeconds = 0) {
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const signature = sign("sha256", Buffer.from(timestamp + body), { key, dsaEncoding: "der" }).toString(
    "base64",
  );
  return {
    "content-type": "application/json",
    "x-twilio-email-event-webhook-signature": signature,
    "x-twilio-email-event-webhook-timestamp": timestamp,
  };
}

describe("receipt link", () => {
  it("shows the page in the client's language and records the receipt once", async () => {
    const { db, invoice } = await issued("fr");
    const page = await fetch(`${base}/r/${invoice.receiptToken}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Facture ${invoice.number} de Acme Consulting SL`);
    expect(html).toContain("J&#39;ai bien reçu cette facture");
    const first = await fetch(`${base}/r/${invoice.receiptToken}`, { method: "POST" });
    expect(await first.text()).toContain("la réception de la facture est confirmée");
    const [row] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(row?.receivedAt).toBeInstanceOf(Date);
    const second = await fetch(`${base}/r/${invoice.receiptToken}`, { method: "POST" });
    expect(await second.text()).toContain("déjà été confirmée");
    const notices = await db
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.invoiceId, invoice.id),
          eq(deliveries.dedupeKey, `invoice-event:${invoice.id}:received:once`),
        ),
      );
    expect(notices).toHaveLength(1);
    const [again] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(again?.receivedAt?.getTime()).toBe(row?.receivedAt?.getTime());
  });

  it("answers 404 for an unknown token", async () => {
    const response = await fetch(`${base}/r/${"x".repeat(43)}`);
    expect(response.status).toBe(404);
  });
});

describe("SendGrid event webhook", () => {
  it("records signed events once and surfaces a bounce; refuses bad or missing signatures", async () => {
    const { db, invoice } = await issued("en");
    const events = [
      {
        sg_event_id: `ev-${invoice.id}-1`,
        event: "delivered",
        email: "ap@client.example",
        timestamp: 1_790_000_000,
        invoice_id: invoice.id,
        workspace_id: invoice.workspaceId,
      },
      {
        sg_event_id: `ev-${invoice.id}-2`,
        event: "bounce",
        email: "ap@client.example",
        reason: "550 mailbox unavailable",
        timestamp: 1_790_000_100,
        invoice_id: invoice.id,
        workspace_id: invoice.workspaceId,
      },
    ];
    const body = JSON.stringify(events);
    const ok = await fetch(`${base}/webhooks/sendgrid`, { method: "POST", headers: signed(body), body });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ recorded: 2, ignored: 0, duplicates: 0 });
    const replay = await fetch(`${base}/webhooks/sendgrid`, { method: "POST", headers: signed(body), body });
    expect(await replay.json()).toEqual({ recorded: 0, ignored: 0, duplicates: 2 });
    const rows = await db.select().from(emailEvents).where(eq(emailEvents.invoiceId, invoice.id));
    expect(rows.map((r) => r.event).sort()).toEqual(["bounce", "delivered"]);
    const [bounce] = await db
      .select()
      .from(deliveries)
      .where(eq(deliveries.dedupeKey, `invoice-event:${invoice.id}:email_bounced:ev-${invoice.id}-2`));
    expect(bounce?.payload).toMatchObject({
      event: "email_bounced",
      detail: { reason: "550 mailbox unavailable" },
    });

    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    const forged = await fetch(`${base}/webhooks/sendgrid`, {
      method: "POST",
      headers: signed(body, other),
      body,
    });
    expect(forged.status).toBe(403);
    const tampered = await fetch(`${base}/webhooks/sendgrid`, {
      method: "POST",
      headers: signed(body),
      body: body.replace("bounce", "open"),
    });
    expect(tampered.status).toBe(403);
    const unsigned = await fetch(`${base}/webhooks/sendgrid`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(403);
  });

  function bounceOf(invoice: { id: string; workspaceId: string }, id: string) {
    return JSON.stringify([
      {
        sg_event_id: id,
        event: "bounce",
        email: "ap@client.example",
        reason: "forged: pay to IBAN XX00 instead",
        timestamp: 1_790_000_000,
        invoice_id: invoice.id,
        workspace_id: invoice.workspaceId,
      },
    ]);
  }

  async function recordedEvents(db: Db, invoiceId: string) {
    return db.select().from(emailEvents).where(eq(emailEvents.invoiceId, invoiceId));
  }

  it("refuses unsigned events unless COBRO_SENDGRID_ACCEPT_UNSIGNED allows them", async () => {
    const { db, invoice } = await issued("en");
    const body = bounceOf(invoice, `forged-${invoice.id}`);
    const headers = { "content-type": "application/json" };
    const refused = await fetch(`${unsignedBase}/webhooks/sendgrid`, { method: "POST", headers, body });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /SENDGRID_WEBHOOK_PUBLIC_KEY.*COBRO_SENDGRID_ACCEPT_UNSIGNED=true/,
    );
    expect(await recordedEvents(db, invoice.id)).toEqual([]);

    const allowed = await fetch(`${allowUnsignedBase}/webhooks/sendgrid`, { method: "POST", headers, body });
    expect(allowed.status).toBe(200);
    expect(await recordedEvents(db, invoice.id)).toHaveLength(1);
  });

  it("refuses signed events older than 10 minutes or dated in the future, accepts recent ones", async () => {
    const { db, invoice } = await issued("en");
    const post = (body: string, ageSeconds: number) =>
      fetch(`${base}/webhooks/sendgrid`, {
        method: "POST",
        headers: signed(body, privateKey, ageSeconds),
        body,
      });
    const monthOld = await post(bounceOf(invoice, `old-${invoice.id}`), 30 * 24 * 3600);
    expect(monthOld.status).toBe(403);
    expect(((await monthOld.json()) as { message: string }).message).toMatch(
      /signed \d+ minutes ago \(at most 10/,
    );
    expect((await post(bounceOf(invoice, `stale-${invoice.id}`), 11 * 60)).status).toBe(403);
    expect((await post(bounceOf(invoice, `ahead-${invoice.id}`), -3600)).status).toBe(403);
    expect(await recordedEvents(db, invoice.id)).toEqual([]);

    expect((await post(bounceOf(invoice, `recent-${invoice.id}`), 9 * 60)).status).toBe(200);
    expect((await recordedEvents(db, invoice.id)).map((e) => e.providerEventId)).toEqual([
      `recent-${invoice.id}`,
    ]);
  });
});
