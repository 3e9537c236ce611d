// API keys: a random 32-byte secret shown once; only its SHA-256 is stored, found by its prefix.
import { randomBytes } from "node:crypto";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { apiKeys } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { API_KEY_PREFIX, hashApiKey } from "./api-key-secret.ts";

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
