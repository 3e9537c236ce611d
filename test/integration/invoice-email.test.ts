import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveries, invoices } from "../../src/db/schema/index.ts";
import { createOutboxMailer } from "../../src/delivery/email/outbox-mailer.ts";
import { createSendgridMailer } from "../../src/delivery/email/sendgrid-mailer.ts";
import { runDelivery } from "../../src/delivery/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { sendInvoiceEmailHandler } from "../../src/invoicing/jobs/send-invoice-email.ts";
import { sendInvoice } from "../../src/invoicing/send-invoice.ts";
import { testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { readPdfStructure } from "../helpers/pdf-structure.ts";
import { FR_SELLER } from "../helpers/sellers.ts";
import { slackApi } from "../helpers/slack-api.ts";

const SENDGRID = "https://sendgrid.test";
type Sent = {
  personalizations: { to: { email: string }[] }[];
  subject: string;
  content: { type: string; value: string }[];
  attachments: { filename: string; content: string; type: string }[];
  categories: string[];
  custom_args: Record<string, string>;
};
const posts: Sent[] = [];
let responses: (() => Response)[] = [];
// The worker's one msw server (two servers in one process would fight over fetch).
const { server } = slackApi();
const sendgrid = http.post(`${SENDGRID}/v3/mail/send`, async ({ request }) => {
  posts.push((await request.json()) as Sent);
  const next = responses.shift();
  return next ? next() : new HttpResponse(null, { status: 202, headers: { "x-message-id": "sg-msg-1" } });
});
beforeEach(() => server.use(sendgrid));
afterEach(() => {
  posts.length = 0;
  responses = [];
  server.resetHandlers();
});

async function issuedAndClaimed(
  sendRequestId = "click-1",
  french = false,
  einvoiceAttachments: "facturx" | "ubl" | "both" | null = null,
) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(
    db,
    french ? { timeZone: "Europe/Paris", seller: FR_SELLER, settings: { jurisdiction: "FR" } } : {},
  );
  const client = await createClient(
    db,
    workspace.id,
    french
      ? { language: "fr", siren: "303265045", emails: ["compta@client.example"], einvoiceAttachments }
      : { language: "es", emails: ["pagos@cliente.example", "ap@cliente.example"], einvoiceAttachments },
  );
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = serviceDeps(db, clock);
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  const claim = await sendInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, sendRequestId });
  const mailer = createSendgridMailer({ apiKey: "SG.test", apiUrl: SENDGRID, now: clock });
  const handler = sendInvoiceEmailHandler({
    ...deps,
    mailer,
    publicUrl: "https://cobro.example",
    mailFrom: "billing@cobro.example",
  });
  return { db, deps, clock, workspace, invoice, claim, handler };
}

describe("invoice e-mail through SendGrid", () => {
  it("sends the PDF in the client's language with the receipt link and ids, once", async () => {
    const { db, invoice, claim, handler } = await issuedAndClaimed();
    expect(claim.deliveryId).toBeTruthy();
    const outcome = await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger);
    expect(outcome).toEqual({ status: "sent" });
    expect(posts).toHaveLength(1);
    const sent = posts[0]!;
    expect(sent.personalizations[0]?.to.map((t) => t.email)).toEqual([
      "pagos@cliente.example",
      "ap@cliente.example",
    ]);
    expect(sent.subject).toBe(`Factura ${invoice.number} — Acme Consulting SL`);
    const text = (sent.content.find((c) => c.type === "text/plain")?.value ?? "").replace(/\u00a0/g, " ");
    expect(text).toContain(`https://cobro.example/r/${invoice.receiptToken}`);
    expect(text).toContain("1210,00 €");
    expect(sent.attachments[0]).toMatchObject({ filename: `${invoice.number}.pdf`, type: "application/pdf" });
    expect(Buffer.from(sent.attachments[0]!.content, "base64").subarray(0, 5).toString()).toBe("%PDF-");
    // A Spanish seller's PDF stays the plain one (no Factur-X).
    const plain = readPdfStructure(Buffer.from(sent.attachments[0]!.content, "base64"));
    expect({ version: plain.version, attachments: plain.attachments }).toEqual({
      version: "1.3",
      attachments: [],
    });
    // A business client also gets the structured e-invoice (UBL, EN 16931) to book it without retyping.
    expect(sent.attachments[1]).toMatchObject({ filename: `${invoice.number}.xml`, type: "application/xml" });
    const ubl = Buffer.from(sent.attachments[1]!.content, "base64").toString();
    expect(ubl).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
    expect(ubl).toContain('<cbc:PayableAmount currencyID="EUR">1210.00</cbc:PayableAmount>');
    expect(sent.custom_args).toEqual({
      invoice_id: invoice.id,
      workspace_id: invoice.workspaceId,
      delivery_id: claim.deliveryId,
    });
    expect(sent.categories).toContain("invoice");
    const [row] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(row?.sentAt).toBeInstanceOf(Date);
    // A replay of the queue message does nothing.
    expect(await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger)).toEqual({
      status: "alreadyDone",
    });
    expect(posts).toHaveLength(1);
  });

  it("attaches a French seller's invoice as a Factur-X PDF carrying its CII", async () => {
    const { db, invoice, claim, handler } = await issuedAndClaimed("click-fr", true);
    expect(await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger)).toEqual({
      status: "sent",
    });
    const sent = posts[0]!;
    expect(sent.attachments[0]).toMatchObject({ filename: `${invoice.number}.pdf`, type: "application/pdf" });
    const pdf = readPdfStructure(Buffer.from(sent.attachments[0]!.content, "base64"));
    expect(pdf.xmp).toContain("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>");
    expect(pdf.attachments.map((a) => [a.name, a.relationship])).toEqual([["factur-x.xml", "Data"]]);
    const cii = pdf.attachments[0]!.content.toString("utf8");
    expect(cii).toContain(`<rsm:ExchangedDocument><ram:ID>${invoice.number}</ram:ID>`);
    expect(cii).toContain('<ram:ID schemeID="0002">303265045</ram:ID>');
  });

  it("carries the Factur-X, the UBL or both, as the client chose", async () => {
    const sentFor = async (click: string, french: boolean, choice: "facturx" | "ubl" | "both") => {
      const { db, claim, handler } = await issuedAndClaimed(click, french, choice);
      expect(await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger)).toEqual({
        status: "sent",
      });
      const sent = posts.at(-1)!;
      const pdf = readPdfStructure(Buffer.from(sent.attachments[0]!.content, "base64"));
      return {
        facturX: pdf.attachments.map((a) => a.name),
        files: sent.attachments.map((a) => a.type),
      };
    };
    // A Spanish seller's client that asked for Factur-X gets one, and no UBL beside it.
    expect(await sentFor("click-es-fx", false, "facturx")).toEqual({
      facturX: ["factur-x.xml"],
      files: ["application/pdf"],
    });
    // A French seller's client that asked for UBL gets a plain PDF and the UBL.
    expect(await sentFor("click-fr-ubl", true, "ubl")).toEqual({
      facturX: [],
      files: ["application/pdf", "application/xml"],
    });
    expect(await sentFor("click-fr-both", true, "both")).toEqual({
      facturX: ["factur-x.xml"],
      files: ["application/pdf", "application/xml"],
    });
  });

  it("waits as told on 429 and retries after a 500, delivering once", async () => {
    const { db, clock, claim, handler } = await issuedAndClaimed();
    responses = [
      () =>
        HttpResponse.json(
          { errors: [{ message: "too many" }] },
          { status: 429, headers: { "retry-after": "30" } },
        ),
      () => HttpResponse.json({ errors: [{ message: "oops" }] }, { status: 500 }),
    ];
    const id = claim.deliveryId!;
    expect(await runDelivery(db, { email: handler }, id, silentLogger)).toMatchObject({
      status: "retryLater",
      seconds: 30,
    });
    // Until Retry-After has passed, no e-mail of this process asks SendGrid again.
    expect(await runDelivery(db, { email: handler }, id, silentLogger)).toMatchObject({
      status: "retryLater",
    });
    expect(posts).toHaveLength(1);
    clock.set("2026-11-23T09:00:30Z");
    await expect(runDelivery(db, { email: handler }, id, silentLogger)).rejects.toThrow();
    clock.set("2026-11-23T09:00:40Z");
    expect(await runDelivery(db, { email: handler }, id, silentLogger)).toEqual({ status: "sent" });
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
    // The 429 said when to come back: only the 500 and the send count as attempts.
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(posts).toHaveLength(3);
    expect(await runDelivery(db, { email: handler }, id, silentLogger)).toEqual({ status: "alreadyDone" });
  });

  it("fails for good on a 4xx, saying why", async () => {
    const { db, claim, handler } = await issuedAndClaimed();
    responses = [
      () => HttpResponse.json({ errors: [{ field: "from", message: "not verified" }] }, { status: 403 }),
    ];
    const outcome = await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger);
    expect(outcome).toMatchObject({ status: "failed", error: expect.stringContaining("not verified") });
  });

  it("e-mails once for a double click and two concurrent workers", async () => {
    const { db, deps, workspace, invoice, claim, handler } = await issuedAndClaimed("click-9");
    const again = await sendInvoice(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      sendRequestId: "click-9",
    });
    expect(again).toMatchObject({ deliveryId: null, alreadyDone: true });
    const outcomes = await Promise.all([
      runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger),
      runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["alreadyDone", "sent"]);
    expect(posts).toHaveLength(1);
    // A new send request is a new e-mail.
    const resend = await sendInvoice(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      sendRequestId: "click-10",
    });
    expect(resend.deliveryId).toBeTruthy();
  });
});

describe("local outbox", () => {
  it("writes an .eml with text, HTML and the PDF attached", async () => {
    const { db, deps, claim } = await issuedAndClaimed();
    const dataDir = await mkdtemp(join(tmpdir(), "cobro-outbox-"));
    const handler = sendInvoiceEmailHandler({
      ...deps,
      mailer: createOutboxMailer({ dataDir }),
      publicUrl: "http://localhost:3000",
      mailFrom: "billing@cobro.example",
    });
    expect(await runDelivery(db, { email: handler }, claim.deliveryId!, silentLogger)).toEqual({
      status: "sent",
    });
    const files = await readdir(join(dataDir, "outbox"));
    expect(files).toHaveLength(1);
    const eml = await readFile(join(dataDir, "outbox", files[0]!), "utf8");
    expect(eml).toContain("To: pagos@cliente.example, ap@cliente.example");
    expect(eml).toMatch(/Content-Type: multipart\/mixed; boundary=/);
    expect(eml).toContain("Content-Type: text/html; charset=utf-8");
    expect(eml).toMatch(/Content-Disposition: attachment; filename="F-\d{4}-\d{5}\.pdf"/);
    expect(eml).toContain("JVBERi0"); // "%PDF-" in base64
    expect(posts).toHaveLength(0);
  });
});
