// Rows of api_keys: only the SHA-256 of a key is stored, found by its public prefix.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiKeys } from "../db/schema/index.ts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ApiKeySummary = Omit<ApiKeyRow, "workspaceId" | "hash">;
/** A key named by its id or its prefix. */
export type ApiKeyRef = { id: string } | { prefix: string };

export async function findApiKeyByPrefix(db: Db, prefix: string): Promise<ApiKeyRow | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
  return row ?? null;
}

export async function markApiKeyUsed(db: Db, keyId: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, keyId));
}

export async function insertApiKey(
  db: Db,
  key: { workspaceId: string; name: string; prefix: string; hash: string },
): Promise<string | null> {
  const [row] = await db.insert(apiKeys).values(key).returning({ id: apiKeys.id });
  return row?.id ?? null;
}

export function listApiKeyRows(db: Db, workspaceId: string): Promise<ApiKeySummary[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}

const refMatch = (workspaceId: string, ref: ApiKeyRef) =>
  and(
    eq(apiKeys.workspaceId, workspaceId),
    "id" in ref ? eq(apiKeys.id, ref.id) : eq(apiKeys.prefix, ref.prefix),
  );

/** Revokes the key unless it already is: the revoked row, or null. */
export async function revokeApiKeyRow(
  db: Db,
  workspaceId: string,
  ref: ApiKeyRef,
  at: Date,
): Promise<{ id: string; prefix: string } | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(refMatch(workspaceId, ref), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
  return row ?? null;
}

export async function findApiKeyPrefix(db: Db, workspaceId: string, ref: ApiKeyRef): Promise<string | null> {
  const [row] = await db.select({ prefix: apiKeys.prefix }).from(apiKeys).where(refMatch(workspaceId, ref));
  return row?.prefix ?? null;
}
