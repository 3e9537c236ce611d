// `cobro apikey revoke`: a key stops working at once; the audit log keeps who revoked it.
import { and, eq, isNull } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { apiKeys } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { API_KEY_PREFIX } from "./api-key-secret.ts";

/** Revokes by prefix (or id); revoking twice says so instead of failing. */
export async function revokeApiKey(
  deps: ServiceDeps,
  input: { workspaceId: string; prefixOrId: string; actor?: string },
): Promise<{ prefix: string; alreadyDone: boolean }> {
  const ref = input.prefixOrId.replace(API_KEY_PREFIX, "").split("_")[0] ?? "";
  const isUuid = /^[0-9a-f-]{36}$/i.test(input.prefixOrId);
  return deps.db.transaction(async (tx) => {
    const match = and(
      eq(apiKeys.workspaceId, input.workspaceId),
      isUuid ? eq(apiKeys.id, input.prefixOrId) : eq(apiKeys.prefix, ref),
    );
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: deps.now() })
      .where(and(match, isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
    if (row) {
      await recordAudit(tx, {
        workspaceId: input.workspaceId,
        actor: input.actor ?? "cli",
        action: "api_key.revoked",
        entity: "api_key",
        entityId: row.id,
      });
      return { prefix: row.prefix, alreadyDone: false };
    }
    const [existing] = await tx.select({ prefix: apiKeys.prefix }).from(apiKeys).where(match);
    if (existing) return { prefix: existing.prefix, alreadyDone: true };
    throw new DomainError("apikey.not_found", `no api key ${input.prefixOrId}`, {
      userMessage: `No API key "${input.prefixOrId}" in this workspace; \`cobro apikey list\` shows them.`,
    });
  });
}
