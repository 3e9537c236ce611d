// `cobro apikey revoke`: a key stops working at once; the audit log keeps who revoked it.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { API_KEY_PREFIX } from "./api-key-secret.ts";
import { type ApiKeyRef, findApiKeyPrefix, revokeApiKeyRow } from "./api-keys-repo.ts";

/** Revokes by prefix (or id); revoking twice says so instead of failing. */
export async function revokeApiKey(
  ctx: Ctx,
  input: { prefixOrId: string },
): Promise<{ prefix: string; alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "configure" });
  const ref: ApiKeyRef = /^[0-9a-f-]{36}$/i.test(input.prefixOrId)
    ? { id: input.prefixOrId }
    : { prefix: input.prefixOrId.replace(API_KEY_PREFIX, "").split("_")[0] ?? "" };
  return ctx.db.transaction(async (tx) => {
    const row = await revokeApiKeyRow(tx, ctx.workspaceId, ref, ctx.now());
    if (row) {
      await recordAudit(tx, {
        workspaceId: ctx.workspaceId,
        actor: auditActorOf(ctx.actor),
        action: "api_key.revoked",
        entity: "api_key",
        entityId: row.id,
      });
      return { prefix: row.prefix, alreadyDone: false };
    }
    const prefix = await findApiKeyPrefix(tx, ctx.workspaceId, ref);
    if (prefix) return { prefix, alreadyDone: true };
    throw new DomainError("apikey.not_found", `no api key ${input.prefixOrId}`, {
      userMessage: `No API key "${input.prefixOrId}" in this workspace; \`cobro apikey list\` shows them.`,
    });
  });
}
