import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { invoices, verifactuRecords } from "../../src/db/schema/index.ts";
import { startQueue } from "../../src/delivery/queue.ts";
import { cancelInvoice } from "../../src/invoicing/cancel-invoice.ts";
import { sendVerifactuRecords } from "../../src/invoicing/verifactu/send-verifactu-records.ts";
import { startVerifactuSending } from "../../src/invoicing/verifactu/verifactu-sender.ts";
import { type AeatStandIn, type ReceivedRecord, startAeatStandIn } from "../helpers/aeat-stand-in.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { makeTestPki, type TestPki } from "../helpers/test-pki.ts";
import { issueSpanishRecords, sendCtx, sendDeps } from "../helpers/verifactu.ts";
import { AEAT_SUBMISSION_XSD, xmlSchemaUnavailable } from "../helpers/xml-schema.ts";

const unavailable = xmlSchemaUnavailable(AEAT_SUBMISSION_XSD);
if (unavailable && process.env.COBRO_REQUIRE_AEAT_XSD === "1") {
  throw new Error(`COBRO_REQUIRE_AEAT_XSD is set but ${unavailable}`);
}

/** Each record names the one before it: the concatenation of all requests is one unbroken chain. */
function expectOneChain(records: ReceivedRecord[]) {
  expect(records[0]?.first).toBe(true);
  for (let i = 1; i < records.length; i++) {
    expect(records[i]?.previousHash, `record ${i} (${records[i]?.seriesNumber})`).toBe(records[i - 1]?.hash);
  }
}

const statusesOf = async (workspaceId: string) => {
  const { db } = await testDatabase();
  const rows = await db
    .select({ status: verifactuRecords.submissionStatus })
    .from(verifactuRecords)
    .where(eq(verifactuRecords.workspaceId, workspaceId));
  return rows.reduce<Record<string, number>>((acc, r) => {
    acc[r.status] = (acc[r.status] ?? 0) + 1;
    return acc;
  }, {});
};

describe.skipIf(unavailable !== null)(
  `VERI*FACTU sending on ${backend()}${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let pki: TestPki;
    let aeat: AeatStandIn;
    beforeAll(async () => {
      pki = makeTestPki();
      aeat = await startAeatStandIn(pki);
    });
    afterAll(() => aeat?.close());
    beforeEach(() => aeat.reset());

    it("sends in chain order, 1,000 a request, the rest once TiempoEsperaEnvio has passed", async () => {
      const { db } = await testDatabase();
      const workspace = await createWorkspace(db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const numbers = await issueSpanishRecords(db, workspace, 2_050, clock());
      const deps = sendDeps(db, aeat, pki, clock);
      const input = { workspaceId: workspace.id, issuerNif: "B12345678" };
      const before = aeat.requests.length;
      aeat.next({ kind: "accept", waitSeconds: 120 }, { kind: "accept", waitSeconds: 120 });

      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "sent",
        records: 1000,
        waiting: 1050,
      });
      // 1,000 records wait: no need to wait for the 120 s.
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "sent",
        records: 1000,
        waiting: 50,
      });
      // 50 wait: they go when the 120 s the AEAT asked for have passed, not before.
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "waiting",
        waiting: 50,
      });
      clock.set("2026-11-23T09:01:59Z");
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "waiting",
      });
      clock.set("2026-11-23T09:02:00Z");
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "sent",
        records: 50,
        waiting: 0,
      });
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toEqual({
        status: "nothing",
      });

      const mine = aeat.requests.slice(before);
      expect(mine.map((r) => r.records.length)).toEqual([1000, 1000, 50]);
      expect(mine.every((r) => r.clientSubject === "ACME CONSULTING SL")).toBe(true);
      const sent = mine.flatMap((r) => r.records);
      expect(sent.map((r) => r.seriesNumber)).toEqual(numbers);
      expectOneChain(sent);
      expect(aeat.schemaComplaints).toEqual([]);
      expect(await statusesOf(workspace.id)).toEqual({ accepted: 2050 });
      const [stored] = await db
        .select()
        .from(verifactuRecords)
        .where(
          and(eq(verifactuRecords.workspaceId, workspace.id), eq(verifactuRecords.seriesNumber, numbers[0]!)),
        );
      expect(stored?.aeatCsv).toMatch(/^A-[0-9A-F]{14}$/);
    });

    it("a partial rejection: the others are accepted, the refused record keeps the AEAT's code and text", async () => {
      const { db } = await testDatabase();
      const workspace = await createWorkspace(db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const numbers = await issueSpanishRecords(db, workspace, 3, clock());
      aeat.next({
        kind: "refuse",
        series: [numbers[1]!],
        code: "1100",
        text: "Valor o tipo incorrecto del campo: DescripcionOperacion.",
      });
      const outcome = await sendVerifactuRecords(sendCtx(sendDeps(db, aeat, pki, clock), workspace.id), {
        issuerNif: "B12345678",
      });
      expect(outcome).toMatchObject({ status: "sent", records: 3, accepted: 2, rejected: 1, waiting: 0 });
      const rows = await db
        .select()
        .from(verifactuRecords)
        .where(eq(verifactuRecords.workspaceId, workspace.id));
      const refused = rows.find((r) => r.seriesNumber === numbers[1]);
      expect(refused).toMatchObject({
        submissionStatus: "rejected",
        aeatErrorCode: "1100",
        aeatError: "Valor o tipo incorrecto del campo: DescripcionOperacion.",
        aeatCsv: null,
      });
    });

    it("cancelling an invoice whose alta the AEAT refused says it holds none (SinRegistroPrevio), so the anulación is accepted", async () => {
      const { db } = await testDatabase();
      const workspace = await createWorkspace(db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const [kept, refused] = await issueSpanishRecords(db, workspace, 2, clock());
      aeat.next({ kind: "refuse", series: [refused!], code: "1100", text: "Valor incorrecto." });
      const ctx = sendCtx(sendDeps(db, aeat, pki, clock), workspace.id);
      expect(await sendVerifactuRecords(ctx, { issuerNif: "B12345678" })).toMatchObject({ rejected: 1 });
      for (const number of [refused!, kept!]) {
        const [invoice] = await db
          .select({ id: invoices.id })
          .from(invoices)
          .where(and(eq(invoices.workspaceId, workspace.id), eq(invoices.number, number)));
        await cancelInvoice(testCtx(serviceDeps(db, clock), workspace.id), {
          invoiceId: invoice!.id,
          reason: "Cliente equivocado",
        });
      }
      clock.set("2026-11-23T09:02:00Z");
      expect(await sendVerifactuRecords(ctx, { issuerNif: "B12345678" })).toMatchObject({
        status: "sent",
        records: 2,
        accepted: 2,
        rejected: 0,
      });
      expect(aeat.schemaComplaints).toEqual([]);
      const anulaciones = aeat.requests.at(-1)!.records;
      expect(anulaciones.map((r) => [r.operation, r.seriesNumber, r.sinRegistroPrevio])).toEqual([
        ["Anulacion", refused, true],
        ["Anulacion", kept, false],
      ]);
    });

    it("a day-long outage: nothing is lost, retries at least hourly, then the backlog goes in order flagged Incidencia", async () => {
      const { db } = await testDatabase();
      const workspace = await createWorkspace(db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      // Hours 20 to 23 get no answer: the client gives up after 1.5 s instead of 120.
      const deps = sendDeps(db, aeat, pki, clock, "test-instance", 1_500);
      const input = { workspaceId: workspace.id, issuerNif: "B12345678" };
      const before = aeat.requests.length;
      const numbers = await issueSpanishRecords(db, workspace, 5, clock());

      aeat.always({ kind: "down" });
      let attempts = 0;
      // 24 hours of failures: server down, then an internal error, then answers that never come.
      for (let hour = 0; hour < 24; hour++) {
        clock.set(new Date(Date.parse("2026-11-23T09:00:00Z") + hour * 3_600_000).toISOString());
        if (hour === 10) aeat.always({ kind: "serverError" });
        if (hour === 20) aeat.always({ kind: "silence" });
        // More invoices are issued during the outage.
        if (hour % 6 === 3) numbers.push(...(await issueSpanishRecords(db, workspace, 2, clock())));
        const outcome = await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input);
        expect(outcome.status, `hour ${hour}`).toBe("failed");
        if (outcome.status === "failed") {
          expect(outcome.retryAt.getTime() - clock().getTime()).toBeLessThanOrEqual(3_600_000);
        }
        attempts++;
      }
      expect(attempts).toBe(24);
      expect(await statusesOf(workspace.id)).toEqual({ pending: numbers.length });

      aeat.always(null);
      clock.set("2026-11-24T09:00:00Z");
      const back = await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input);
      expect(back).toMatchObject({ status: "sent", records: numbers.length, waiting: 0 });
      expect(await statusesOf(workspace.id)).toEqual({ accepted: numbers.length });

      const answered = aeat.requests.slice(before).filter((r) => r.answeredWith === "answer");
      expect(answered).toHaveLength(1);
      expect(answered[0]?.incidencia).toBe(true);
      expect(answered[0]?.records.map((r) => r.seriesNumber)).toEqual(numbers.flat());
      // The last records arrived in a request nobody heard back from: re-sent, they are duplicates
      // the AEAT already holds, which means accepted.
      expectOneChain(answered[0]!.records);

      // After the backlog, a new invoice goes out normally.
      const later = await issueSpanishRecords(db, workspace, 1, clock());
      clock.set("2026-11-24T09:05:00Z");
      await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input);
      const last = aeat.requests.at(-1);
      expect(last?.records.map((r) => r.seriesNumber)).toEqual(later);
      expect(last?.incidencia).toBe(false);
    });

    it("while the service is down, 1,000 waiting records wait for the retry time too", async () => {
      const { db } = await testDatabase();
      const workspace = await createWorkspace(db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const deps = sendDeps(db, aeat, pki, clock);
      const input = { workspaceId: workspace.id, issuerNif: "B12345678" };
      await issueSpanishRecords(db, workspace, 1_000, clock());
      aeat.next({ kind: "down" });
      const failed = await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input);
      expect(failed).toMatchObject({ status: "failed", retryAt: new Date("2026-11-23T09:01:00Z") });
      const before = aeat.requests.length;
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "waiting",
        waiting: 1000,
      });
      expect(aeat.requests.length).toBe(before);
      clock.set("2026-11-23T09:01:00Z");
      expect(await sendVerifactuRecords(sendCtx(deps, input.workspaceId), input)).toMatchObject({
        status: "sent",
        records: 1000,
      });
      expect(aeat.requests.at(-1)?.incidencia).toBe(true);
    });

    it("the queue job of `cobro serve` sends new records by itself", async () => {
      const database = await testDatabase();
      const workspace = await createWorkspace(database.db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const queue = await startQueue(database, silentLogger, {
        pollingIntervalSeconds: 0.5,
        supervise: false,
      });
      const sending = await startVerifactuSending(queue, sendDeps(database.db, aeat, pki, clock), {
        everySeconds: 1,
      });
      try {
        const numbers = await issueSpanishRecords(database.db, workspace, 3, clock());
        for (let i = 0; i < 100 && (await statusesOf(workspace.id)).accepted !== 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(await statusesOf(workspace.id)).toEqual({ accepted: 3 });
        for (const number of numbers) expect(aeat.receipts.get(number)).toBe(1);
      } finally {
        sending.stop();
        await queue.stop();
      }
    });

    it("two instances on one database never send a record twice", async () => {
      const database = await testDatabase();
      const workspace = await createWorkspace(database.db);
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const numbers = await issueSpanishRecords(database.db, workspace, 2_500, clock());
      const other = secondConnection();
      const a = sendDeps(database.db, aeat, pki, clock, "instance-a");
      const b = sendDeps(other?.db ?? database.db, aeat, pki, clock, "instance-b");
      const input = { workspaceId: workspace.id, issuerNif: "B12345678" };
      try {
        for (let round = 0; round < 4; round++) {
          await Promise.all([
            sendVerifactuRecords(sendCtx(a, input.workspaceId), input),
            sendVerifactuRecords(sendCtx(b, input.workspaceId), input),
          ]);
          clock.set(new Date(clock().getTime() + 61_000).toISOString());
        }
      } finally {
        await other?.close();
      }
      expect(await statusesOf(workspace.id)).toEqual({ accepted: 2500 });
      for (const number of numbers) expect(aeat.receipts.get(number), number).toBe(1);
    });
  },
);
