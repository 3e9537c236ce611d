// Proves each VERI*FACTU chain of a workspace (or of one issuer NIF): reads the records in chain
// order, recomputes every hash and reports the first broken record of each chain.
import { createHash } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import { verifactuChains, verifactuRecords } from "../../db/schema/index.ts";
import { type ChainBreak, findChainBreak } from "../../domain/verifactu-chain.ts";

export type ChainVerification = { issuerNif: string; records: number; broken: ChainBreak | null };

/** Any member may prove the chains (no permission check): it only reads them. */
export async function verifyVerifactuChains(
  ctx: Ctx,
  input: { issuerNif?: string | undefined },
): Promise<ChainVerification[]> {
  const { workspaceId } = ctx;
  const chains = await ctx.db
    .select()
    .from(verifactuChains)
    .where(
      and(
        eq(verifactuChains.workspaceId, workspaceId),
        input.issuerNif ? eq(verifactuChains.issuerNif, input.issuerNif.toUpperCase()) : undefined,
      ),
    )
    .orderBy(asc(verifactuChains.issuerNif));
  const results: ChainVerification[] = [];
  for (const chain of chains) {
    const rows = await ctx.db
      .select()
      .from(verifactuRecords)
      .where(
        and(eq(verifactuRecords.workspaceId, workspaceId), eq(verifactuRecords.issuerNif, chain.issuerNif)),
      )
      .orderBy(asc(verifactuRecords.sequence));
    const broken = findChainBreak(
      rows.map((row) => ({
        ...row,
        recomputedHash: createHash("sha256").update(row.hashInput, "utf8").digest("hex").toUpperCase(),
      })),
      { lastHash: chain.lastHash, lastSequence: chain.lastSequence },
    );
    results.push({ issuerNif: chain.issuerNif, records: rows.length, broken });
  }
  return results;
}
