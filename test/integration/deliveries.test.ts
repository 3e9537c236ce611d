import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  byPayloadType,
  claimDeliveries,
  claimDelivery,
  type DeliveryRow,
  RetryLaterError,
  runDelivery,
} from "../../src/delivery/index.ts";
import { startQueue } from "../../src/delivery/queue.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { silentLogger } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";

describe(`deliveries on ${backend()}`, () => {
  it("claims a side effect once, whatever the number of callers", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const claim = {
      workspaceId: workspace.id,
      kind: "email" as const,
      dedupeKey: "invoice:1:send:1",
      payload: {},
    };
    const results = await Promise.all([
      claimDelivery(db, claim),
      claimDelivery(db, claim),
      claimDelivery(db, claim),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claimDeliveries(db, [claim, { ...claim, dedupeKey: "invoice:1:send:2" }])).toHaveLength(1);
  });

  it("runs the handler once even when the delivery is run twice and concurrently", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "email",
      dedupeKey: randomUUID(),
      payload: {},
    });
    const sent: string[] = [];
    const handlers = {
      email: async (delivery: DeliveryRow) => {
        sent.push(delivery.id);
        return { messageId: "m-1" };
      },
    };
    const outcomes = await Promise.all([
      runDelivery(db, handlers, id!, silentLogger),
      runDelivery(db, handlers, id!, silentLogger),
    ]);
    await runDelivery(db, handlers, id!, silentLogger);
    expect(sent).toEqual([id]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["alreadyDone", "sent"]);
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id!));
    expect(row?.status).toBe("sent");
    expect(row?.result).toEqual({ messageId: "m-1" });
  });

  it("keeps a delivery pending when the provider says later, and fails it for good on a refusal", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const later = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "slack_message",
      dedupeKey: randomUUID(),
      payload: { type: "x" },
    });
    const refused = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "slack_message",
      dedupeKey: randomUUID(),
      payload: { type: "y" },
    });
    const handlers = {
      slack_message: byPayloadType({
        x: async () => {
          throw new RetryLaterError(30, "rate limited");
        },
        y: async () => {
          throw new DomainError("slack.channel_not_found", "channel not found", {
            userMessage: "The billing channel no longer exists: choose another in /cobro setup.",
          });
        },
      }),
    };
    expect(await runDelivery(db, handlers, later!, silentLogger)).toMatchObject({
      status: "retryLater",
      seconds: 30,
      delayMs: 30_000,
    });
    expect(await runDelivery(db, handlers, refused!, silentLogger)).toMatchObject({ status: "failed" });
    const rows = await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(later!)).toMatchObject({
      status: "pending",
      lastError: "rate limited",
      lockedUntil: null,
      // Told to wait is not a failed attempt.
      attempts: 0,
    });
    expect(byId.get(refused!)).toMatchObject({
      status: "failed",
      lastError: "The billing channel no longer exists: choose another in /cobro setup.",
    });
    // The pending one can be run again later and succeed.
    const ok = await runDelivery(db, { slack_message: async () => ({ ts: "1.2" }) }, later!, silentLogger);
    expect(ok).toEqual({ status: "sent" });
  });

  it("lets an unexpected error propagate for the queue to retry, without losing the delivery", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "email",
      dedupeKey: randomUUID(),
      payload: {},
    });
    await expect(
      runDelivery(db, { email: async () => Promise.reject(new Error("socket hang up")) }, id!, silentLogger),
    ).rejects.toThrow("socket hang up");
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id!));
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "socket hang up",
      lockedUntil: null,
    });
  });

  /** A fresh queue whose worker records each job's `n` (failing the first attempt if asked). */
  async function recordingQueue(options: { failFirst: boolean; expected: number }) {
    const queue = await startQueue(await testDatabase(), silentLogger, {
      pollingIntervalSeconds: 0.5,
      supervise: false,
    });
    const name = `test-${randomUUID().slice(0, 8)}`;
    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      void queue.work<{ n: number }>(name, async ({ n }) => {
        seen.push(n);
        if (options.failFirst && seen.length === 1) throw new Error("first attempt fails");
        if (seen.length === options.expected) resolve();
      });
    });
    return { queue, name, seen, done };
  }

  it("round-trips a job through the durable queue with a retry after a failure", async () => {
    const { queue, name, seen, done } = await recordingQueue({ failFirst: true, expected: 2 });
    await queue.send(name, { n: 7 }, { retryDelay: 1, retryBackoff: false });
    await done;
    await queue.stop();
    expect(seen).toEqual([7, 7]);
  });

  it("hands many jobs to the queue in one call, each worked once", async () => {
    const { queue, name, seen, done } = await recordingQueue({ failFirst: false, expected: 50 });
    await queue.sendMany(
      name,
      Array.from({ length: 50 }, (_, n) => ({ n })),
    );
    await done;
    await queue.stop();
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });
});
