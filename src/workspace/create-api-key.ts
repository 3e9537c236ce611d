// API keys: a random 32-byte secret shown once; only its SHA-256 is stored, found by its prefix.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { apiKeys } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";

export const API_KEY_PREFIX = "cobro_";

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export type CreatedApiKey = { id: string; name: string; prefix: string; key: string };

export async function createApiKey(
  deps: ServiceDeps,
  input: { workspaceId: string; name: string; actor?: string },
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name === "" || name.length > 100) {
    throw new DomainError("apikey.name", "bad api key name", {
      userMessage: "Give the key a name of 1 to 100 characters, e.g. the tool that will use it.",
    });
  }
  // The lookup prefix is public (shown in lists and logs); the rest is the secret.
  const prefix = randomBytes(6).toString("hex");
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString("base64url")}`;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId: input.workspaceId, name, prefix, hash: hashApiKey(key) })
      .returning({ id: apiKeys.id });
    if (!row) throw new Error("api key insert returned nothing");
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor ?? "cli",
      action: "api_key.created",
      entity: "api_key",
      entityId: row.id,
      after: { name, prefix },
    });
    return { id: row.id, name, prefix, key };
  });
}

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function listApiKeys(
  deps: ServiceDeps,
  input: { workspaceId: string },
): Promise<ApiKeySummary[]> {
  return deps.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, input.workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}

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
