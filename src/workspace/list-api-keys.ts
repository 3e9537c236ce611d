// `cobro apikey list`: the workspace's API keys, newest first (never their secrets).
import type { Ctx } from "../context.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { type ApiKeySummary, listApiKeyRows } from "./api-keys-repo.ts";

export type { ApiKeySummary } from "./api-keys-repo.ts";

export async function listApiKeys(ctx: Ctx, _input: Record<string, never> = {}): Promise<ApiKeySummary[]> {
  assertAllowed(ctx.actor, { action: "configure" });
  return listApiKeyRows(ctx.db, ctx.workspaceId);
}
