// `cobro apikey list`: the workspace's API keys, newest first (never their secrets).
import { desc, eq } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { apiKeys } from "../db/schema/index.ts";

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
