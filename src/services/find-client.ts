// A client of the workspace by its id, external id or exact name (any case), or a clear refusal.
import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";

export type ClientRow = typeof clients.$inferSelect;

export async function findClientByReference(
  db: Db,
  workspaceId: string,
  reference: string,
): Promise<ClientRow> {
  const wanted = reference.trim();
  const isUuid = /^[0-9a-f-]{36}$/i.test(wanted);
  const found = await db
    .select()
    .from(clients)
    .where(
      and(
        eq(clients.workspaceId, workspaceId),
        isUuid
          ? eq(clients.id, wanted)
          : or(eq(clients.externalId, wanted), sql`lower(${clients.name}) = lower(${wanted})`),
      ),
    )
    .limit(2);
  const [client, other] = found;
  if (!client || other) {
    throw new DomainError("client.reference", `client "${wanted}" not found once`, {
      userMessage: client
        ? `Several clients are called "${wanted}": give the external id instead.`
        : `No client "${wanted}" in this workspace: give its id, external id or exact name.`,
    });
  }
  return client;
}
