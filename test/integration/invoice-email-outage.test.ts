// SendGrid answering 503 (and 429 with Retry-After) for five minutes while invoice e-mails are
// queued: once it recovers every invoice is e-mailed exactly once. A fake clock drives the delivery
// worker (runDelivery) the way pg-boss does: retry-later waits its seconds, errors back off.
import { eq, inArray } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { deliveries, invoices } from "../../src/db/schema/index.ts";
import { createSendgridMailer } from "../../src/delivery/email/sendgrid-mailer.ts";
import { type DeliveryHandlers, runDelivery } from "../../src/delivery/index.ts";
import { QUEUE_DEFAULTS } from "../../src/delivery/queue.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { sendInvoiceEmailHandler } from "../../src/invoicing/jobs/send-invoice-email.ts";
import { sendInvoice } from "../../src/invoicing/send-invoice.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { slackApi } from "../helpers/slack-api.ts";

const SENDGRID = "https://sendgrid.test";
// The worker's one msw server: handlers are added per test and reset after it.
const { server } = slackApi();
afterEach(() => server.resetHandlers());

type Clock = ReturnType<typeof fixedClock>;

/**
 * Runs deliveries like the pg-boss worker: a retry-later is sent again after its seconds (a new
 * job, not a retry), an unexpected error is retried with pg-boss's backoff up to its retry limit.
 * Returns the deliveries whose job pg-boss would have given up on: those would be lost.
 */
async function drain(db: Db, handlers: DeliveryHandlers, ids: string[], clock: Clock): Promise<string[]> {
  // One entry per queue job; the same delivery may have several (a replayed message).
  const jobs = ids.map((id) => ({ id, at: clock().getTime(), failures: 0 }));
  const givenUp: string[] = [];
  let rounds = 0;
  while (jobs.length > 0) {
    if (++rounds > 5000) throw new Error("deliveries never settled");
    jobs.sort((a, b) => a.at - b.at);
    const job = jobs.shift()!;
    if (job.at > clock().getTime()) clock.set(new Date(job.at).toISOString());
    try {
      const outcome = await runDelivery(db, handlers, job.id, silentLogger);
      if (outcome.status === "retryLater") {
        jobs.push({ id: job.id, at: clock().getTime() + outcome.seconds * 1000, failures: 0 });
      }
    } catch {
      job.failures++;
      if (job.failures > QUEUE_DEFAULTS.retryLimit) {
        givenUp.push(job.id);
        continue;
      }
      job.at = clock().getTime() + QUEUE_DEFAULTS.retryDelay * 2 ** (job.failures - 1) * 1000;
      jobs.push(job);
    }
  }
  return givenUp;
}

describe(`invoice e-mails through a SendGrid outage on ${backend()}`, () => {
  it("503 and 429 for five minutes: every invoice e-mailed once afterwards, none lost, none twice", async () => {
    const { db } = await testDatabase();
    const clock = fixedClock("2026-11-23T09:00:00Z");
    const deps = serviceDeps(db, clock);
    const workspace = await createWorkspace(db);
    const clients = [
      await createClient(db, workspace.id, { language: "es", emails: ["pagos@uno.example"] }),
      await createClient(db, workspace.id, { language: "fr", emails: ["compta@deux.example"] }),
      await createClient(db, workspace.id, { language: "en", emails: ["ap@three.example"] }),
    ];
    const invoiceIds: string[] = [];
    const deliveryIds: string[] = [];
    for (let i = 0; i < 9; i++) {
      const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
        clientId: clients[i % 3]!.id,
        lines: [{ description: `Servicio ${i + 1}`, quantityMilli: 1000, unitPriceMinor: 50_000 + i }],
      });
      const { invoice } = await issueInvoice(testCtx(deps, workspace.id), {
        invoiceId: draft.invoice.id,
      });
      invoiceIds.push(invoice.id);
      const claim = await sendInvoice(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        sendRequestId: `click-${i}`,
      });
      deliveryIds.push(claim.deliveryId!);
      // A double click during the outage claims nothing more.
      const again = await sendInvoice(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        sendRequestId: `click-${i}`,
      });
      expect(again).toMatchObject({ deliveryId: null, alreadyDone: true });
    }

    const outageEnds = clock().getTime() + 5 * 60_000;
    const accepted = new Map<string, number>();
    let unavailable = 0;
    let rateLimited = 0;
    server.use(
      http.post(`${SENDGRID}/v3/mail/send`, async ({ request }) => {
        const body = (await request.json()) as { custom_args: { invoice_id: string } };
        if (clock().getTime() < outageEnds) {
          if ((unavailable + rateLimited) % 4 === 3) {
            rateLimited++;
            return HttpResponse.json(
              { errors: [{ message: "too many requests" }] },
              { status: 429, headers: { "retry-after": "45" } },
            );
          }
          unavailable++;
          return HttpResponse.json({ errors: [{ message: "Service Unavailable" }] }, { status: 503 });
        }
        const invoiceId = body.custom_args.invoice_id;
        accepted.set(invoiceId, (accepted.get(invoiceId) ?? 0) + 1);
        return new HttpResponse(null, { status: 202, headers: { "x-message-id": `sg-${accepted.size}` } });
      }),
    );
    const handler = sendInvoiceEmailHandler({
      ...deps,
      mailer: createSendgridMailer({ apiKey: "SG.test", apiUrl: SENDGRID, now: clock }),
      publicUrl: "https://cobro.example",
      mailFrom: "billing@cobro.example",
    });
    // The queue hands each delivery out twice (a replayed message): the lease keeps it to one send.
    const givenUp = await drain(db, { email: handler }, [...deliveryIds, ...deliveryIds], clock);

    expect(givenUp).toEqual([]);
    expect(unavailable).toBeGreaterThan(9);
    expect(rateLimited).toBeGreaterThan(2);
    expect(clock().getTime()).toBeGreaterThanOrEqual(outageEnds);
    expect(Object.fromEntries(accepted)).toEqual(Object.fromEntries(invoiceIds.map((id) => [id, 1])));
    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, deliveryIds));
    expect(rows.map((r) => r.status)).toEqual(deliveryIds.map(() => "sent"));
    const sent = await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    expect(sent.every((row) => row.sentAt instanceof Date)).toBe(true);

    // Replays after recovery do nothing.
    for (const id of deliveryIds) {
      expect(await runDelivery(db, { email: handler }, id, silentLogger)).toEqual({ status: "alreadyDone" });
    }
    expect([...accepted.values()].reduce((a, b) => a + b, 0)).toBe(invoiceIds.length);
  }, 120_000);
});
