// Proves each VERI*FACTU chain of a workspace (or of one issuer NIF): reads the records in chain
// order, recomputes every hash and reports the first broken record of each chain.
import { createHash } from "node:crypto";
import type { Ctx } from "../../context.ts";
import { type ChainBreak, findChainBreak } from "../../domain/verifactu-chain.ts";
import { chainRecords, listChains } from "./chain-repo.ts";

export type ChainVerification = { issuerNif: string; records: number; broken: ChainBreak | null };

/** Any member may prove the chains (no permission check): it only reads them. */
export async function verifyVerifactuChains(
  ctx: Ctx,
  input: { issuerNif?: string | undefined },
): Promise<ChainVerification[]> {
  const { workspaceId } = ctx;
  const chains = await listChains(ctx.db, workspaceId, input.issuerNif?.toUpperCase());
  const results: ChainVerification[] = [];
  for (const chain of chains) {
    const rows = await chainRecords(ctx.db, workspaceId, chain.issuerNif);
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
