// API keys: a random 32-byte secret shown once; only its SHA-256 is stored, found by its prefix.
import { randomBytes } from "node:crypto";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError, present } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { API_KEY_PREFIX, hashApiKey } from "./api-key-secret.ts";
import { insertApiKey } from "./api-keys-repo.ts";

export type CreatedApiKey = { id: string; name: string; prefix: string; key: string };

export async function createApiKey(ctx: Ctx, input: { name: string }): Promise<CreatedApiKey> {
  assertAllowed(ctx.actor, { action: "configure" });
  const name = input.name.trim();
  if (name === "" || name.length > 100) {
    throw new DomainError("apikey.name", "bad api key name", {
      userMessage: "Give the key a name of 1 to 100 characters, e.g. the tool that will use it.",
    });
  }
  // The lookup prefix is public (shown in lists and logs); the rest is the secret.
  const prefix = randomBytes(6).toString("hex");
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString("base64url")}`;
  return ctx.db.transaction(async (tx) => {
    const id = present(
      await insertApiKey(tx, { workspaceId: ctx.workspaceId, name, prefix, hash: hashApiKey(key) }),
      "new api key",
    );
    await recordAudit(tx, {
      workspaceId: ctx.workspaceId,
      actor: auditActorOf(ctx.actor),
      action: "api_key.created",
      entity: "api_key",
      entityId: id,
      after: { name, prefix },
    });
    return { id, name, prefix, key };
  });
}
