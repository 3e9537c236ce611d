// Which workspace a request acts for: the one of its API key, never one named in the body.
import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { API_KEY_PREFIX, hashApiKey } from "./api-key-secret.ts";
import { findApiKeyByPrefix, markApiKeyUsed } from "./api-keys-repo.ts";

export type ApiPrincipal = { workspaceId: string; keyId: string; prefix: string };

const refuse = (code: string, userMessage: string): never => {
  throw new DomainError(`apikey.${code}`, userMessage, { userMessage });
};

/**
 * Runs before any actor exists (it finds the key that becomes the actor), so it keeps (db, header, now)
 * instead of a ctx. Reads `Authorization: Bearer cobro_…` (or X-Api-Key); throws apikey.* errors (HTTP 401).
 */
export async function authenticateApiKey(
  db: Db,
  header: string | undefined,
  now: Date,
): Promise<ApiPrincipal> {
  const raw = (header ?? "").trim();
  if (raw === "") {
    return refuse(
      "missing",
      "Missing API key: send it as `Authorization: Bearer cobro_…` (create one with `cobro apikey create`).",
    );
  }
  const key = raw.replace(/^Bearer\s+/i, "");
  const match = new RegExp(`^${API_KEY_PREFIX}([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$`).exec(key);
  if (!match) return refuse("invalid", "Invalid API key.");
  const row = await findApiKeyByPrefix(db, match[1] ?? "");
  const expected = Buffer.from(row?.hash ?? "0".repeat(64), "hex");
  const given = Buffer.from(hashApiKey(key), "hex");
  if (!row || !timingSafeEqual(expected, given)) return refuse("invalid", "Invalid API key.");
  if (row.revokedAt)
    return refuse(
      "revoked",
      `API key ${row.prefix} was revoked; create a new one with \`cobro apikey create\`.`,
    );
  // Last use to the minute is enough, and avoids a write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await markApiKeyUsed(db, row.id, now);
  }
  return { workspaceId: row.workspaceId, keyId: row.id, prefix: row.prefix };
}
