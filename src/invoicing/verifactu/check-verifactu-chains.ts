// The daily proof of the VERI*FACTU chains (Orden HAC/1177/2024 art. 7.h): claimed once per
// workspace and local day; each broken chain claims an alarm for the billing channel, again every
// day until the chain holds.

import { z } from "zod";
import type { Ctx } from "../../context.ts";
import { claimDeliveries } from "../../delivery/index.ts";
import { localToday } from "../../domain/overdue.ts";
import { claimScheduledRun, finishScheduledRun } from "../../workspace/index.ts";
import { verifyVerifactuChains } from "./verify-verifactu-chains.ts";

export const VERIFACTU_CHAIN_CHECK_JOB = "verifactu-chain-check";
export const VERIFACTU_CHAIN_ALARM_PAYLOAD = "verifactu_chain_alarm";

export const VerifactuChainAlarmPayload = z.object({
  type: z.literal(VERIFACTU_CHAIN_ALARM_PAYLOAD),
  asOf: z.string(),
  issuerNif: z.string(),
  sequence: z.number(),
  seriesNumber: z.string(),
  kind: z.enum(["alta", "anulacion"]),
  problems: z.array(z.string()),
  /** The same problems as facts, said in the billing channel's language (absent in older alarms). */
  facts: z
    .array(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("missing_record"), expected: z.number(), found: z.number() }),
        z.object({ kind: z.literal("hash_mismatch"), hash: z.string(), recomputed: z.string() }),
        z.object({
          kind: z.literal("hashed_field"),
          field: z.string(),
          hashed: z.string().nullable(),
          value: z.string(),
        }),
        z.object({
          kind: z.literal("wrong_link"),
          previous: z.string().nullable(),
          beforeSequence: z.number(),
          beforeSeries: z.string(),
          beforeHash: z.string(),
        }),
        z.object({ kind: z.literal("first_links"), previous: z.string().nullable() }),
        z.object({ kind: z.literal("time_backwards"), at: z.string(), beforeAt: z.string() }),
        z.object({
          kind: z.literal("missing_at_end"),
          headSequence: z.number(),
          headHash: z.string().nullable(),
          lastSequence: z.number(),
          lastHash: z.string().nullable(),
        }),
      ]),
    )
    .optional(),
});
export type VerifactuChainAlarmPayload = z.output<typeof VerifactuChainAlarmPayload>;

/** The scheduler calls it; anyone may (no permission check): it proves and alarms once a day. */
export async function checkVerifactuChains(
  ctx: Ctx,
  input: { timeZone: string },
): Promise<{ ran: boolean; chains: number; broken: number }> {
  const { workspaceId } = ctx;
  const today = localToday(ctx.now(), input.timeZone);
  const runId = await claimScheduledRun(ctx.db, workspaceId, VERIFACTU_CHAIN_CHECK_JOB, today);
  if (!runId) return { ran: false, chains: 0, broken: 0 };
  const results = await verifyVerifactuChains(ctx, {});
  const alarms = results.flatMap((result) => {
    if (!result.broken) return [];
    const payload: VerifactuChainAlarmPayload = {
      type: VERIFACTU_CHAIN_ALARM_PAYLOAD,
      asOf: today,
      issuerNif: result.issuerNif,
      ...result.broken,
    };
    return [
      {
        workspaceId,
        kind: "slack_message" as const,
        dedupeKey: `verifactu-chain-alarm:${result.issuerNif}:${today}`,
        payload,
      },
    ];
  });
  const ids = await claimDeliveries(ctx.db, alarms);
  if (ids.length > 0) await ctx.enqueue(ids);
  await finishScheduledRun(ctx.db, runId, { chains: results.length, broken: alarms.length });
  return { ran: true, chains: results.length, broken: alarms.length };
}
