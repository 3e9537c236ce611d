import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  STATEMENT_EMAIL_PAYLOAD,
  type StatementEmailPayload,
} from "../../src/collections/collection-payloads.ts";
import { sendStatementEmailHandler } from "../../src/collections/jobs/send-statement-email.ts";
import { sendMonthlyStatements } from "../../src/collections/send-monthly-statements.ts";
import { loadConfig } from "../../src/config.ts";
import { deliveries, invoiceCollections, invoices } from "../../src/db/schema/index.ts";
import { createMailer } from "../../src/delivery/email/create-mailer.ts";
import { byPayloadType, runDelivery } from "../../src/delivery/index.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

async function world(monthlyStatements: boolean) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { timeZone: "Europe/Madrid", settings: { monthlyStatements } });
  const late = await createClient(db, workspace.id, { name: "Late SL" });
  const early = await createClient(db, workspace.id, { name: "Not due yet SL" });
  const disputed = await createClient(db, workspace.id, { name: "Disputing SL" });
  const mute = await createClient(db, workspace.id, { name: "No e-mail SL", emails: [] });
  await createIssuedInvoice(db, workspace.id, late.id, { dueDate: "2026-11-15" });
  await createIssuedInvoice(db, workspace.id, early.id, { dueDate: "2026-12-20" });
  const argued = await createIssuedInvoice(db, workspace.id, disputed.id, { dueDate: "2026-10-31" });
  await db.insert(invoiceCollections).values({
    invoiceId: argued.id,
    workspaceId: workspace.id,
    disputedAt: new Date("2026-11-20T10:00:00Z"),
  });
  await createIssuedInvoice(db, workspace.id, mute.id, { dueDate: "2026-10-31" });
  const claimed = async () =>
    (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id))).map(
      (d) => d.payload as StatementEmailPayload,
    );
  return { db, workspace, late, claimed };
}

describe(`monthly statements on ${backend()}`, () => {
  it("early in the month, e-mails each client with something overdue to chase, once, even from two instances", async () => {
    const w = await world(true);
    const clock = fixedClock("2026-12-01T08:00:00Z");
    const other = secondConnection();
    const [a, b] = await Promise.all([
      sendMonthlyStatements(testCtx(serviceDeps(w.db, clock), w.workspace.id), { workspace: w.workspace }),
      sendMonthlyStatements(testCtx(serviceDeps(other?.db ?? w.db, clock), w.workspace.id), {
        workspace: w.workspace,
      }),
    ]);
    await other?.close();
    expect([a, b].filter((r) => r.ran)).toEqual([{ ran: true, month: "2026-12", clients: 1 }]);
    expect(await w.claimed()).toEqual([
      {
        type: "statement_email",
        clientId: w.late.id,
        to: w.late.emails,
        sendRequestId: "month:2026-12",
        onlyIfOverdue: true,
      },
    ]);
    // Later the same month nothing more goes.
    clock.set("2026-12-03T08:00:00Z");
    expect(
      await sendMonthlyStatements(testCtx(serviceDeps(w.db, clock), w.workspace.id), {
        workspace: w.workspace,
      }),
    ).toMatchObject({
      ran: false,
    });
    expect(await w.claimed()).toHaveLength(1);
  });

  it("never mid-month, and never when the workspace has not asked for it", async () => {
    const mid = await world(true);
    const midMonth = serviceDeps(mid.db, fixedClock("2026-12-15T08:00:00Z"));
    expect(
      await sendMonthlyStatements(testCtx(midMonth, mid.workspace.id), { workspace: mid.workspace }),
    ).toEqual({
      ran: false,
      month: "2026-12",
      clients: 0,
    });
    const off = await world(false);
    const first = serviceDeps(off.db, fixedClock("2026-12-01T08:00:00Z"));
    expect(
      await sendMonthlyStatements(testCtx(first, off.workspace.id), { workspace: off.workspace }),
    ).toMatchObject({
      ran: false,
    });
    expect([...(await mid.claimed()), ...(await off.claimed())]).toEqual([]);
  });

  it("a client who paid between the claim and the send is not chased", async () => {
    const w = await world(true);
    const deps = serviceDeps(w.db, fixedClock("2026-12-01T08:00:00Z"));
    await sendMonthlyStatements(testCtx(deps, w.workspace.id), { workspace: w.workspace });
    const [claim] = await w.db.select().from(deliveries).where(eq(deliveries.workspaceId, w.workspace.id));
    await w.db.update(invoices).set({ status: "paid", openMinor: 0 }).where(eq(invoices.clientId, w.late.id));
    const dataDir = mkdtempSync(join(tmpdir(), "cobro-monthly-"));
    const mailer = createMailer(loadConfig({ COBRO_DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
    const handlers = {
      email: byPayloadType({
        [STATEMENT_EMAIL_PAYLOAD]: sendStatementEmailHandler({
          ...deps,
          mailer,
          mailFrom: "billing@cobro.example",
        }),
      }),
    };
    expect(await runDelivery(w.db, handlers, claim!.id, silentLogger)).toEqual({ status: "sent" });
    const [done] = await w.db.select().from(deliveries).where(eq(deliveries.id, claim!.id));
    expect(done?.result).toEqual({ skipped: "nothing overdue any more" });
    expect(existsSync(join(dataDir, "outbox"))).toBe(false);
  });
});
