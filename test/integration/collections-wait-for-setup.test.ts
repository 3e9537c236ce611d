import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries, invoices, workspaces } from "../../src/db/schema/index.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

// A team imports its open invoices, then starts Cobro with Slack at 10:00, after the scan hour. The
// start-up tick must not spend the day's overdue scan before /cobro setup has chosen the channel
// the digest goes to: the invoices it marks overdue would never reach #cobros.
describe(`collections wait for /cobro setup, on ${backend()}`, () => {
  it("runs no overdue scan or reminder until a collections channel is chosen, then runs it that same day", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, {
      timeZone: "Europe/Madrid",
      collectionsChannelId: null,
      billingChannelId: null,
      settings: { overdueScanHour: 8 },
    });
    const client = await createClient(db, workspace.id);
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, { dueDate: "2026-10-30" });
    const clock = fixedClock("2026-11-23T09:00:00Z"); // Monday 10:00 in Madrid
    const deps = { ...serviceDeps(db, clock), enqueue: async () => {} };
    const claimed = async () => db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id));

    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    expect(await claimed()).toEqual([]);
    const [before] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(before?.status).toBe("issued");

    // 10:05: the admin saves /cobro setup with #cobros.
    await db
      .update(workspaces)
      .set({ collectionsChannelId: "CCOBROS" })
      .where(eq(workspaces.id, workspace.id));
    clock.set("2026-11-23T09:05:00Z");
    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    const digest = (await claimed()).find((d) => (d.payload as { channel?: string }).channel === "CCOBROS");
    expect(digest?.payload).toMatchObject({ invoiceIds: [invoice.id] });
  });
});
