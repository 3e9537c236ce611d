// A client of the workspace by its id, external id or exact name (any case), else by the start of its
// name with accents optional (as projects are found), or a clear refusal.
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { bestMatches } from "../domain/match-project.ts";
import { type ClientRow, findClient, findClientsByReference, listClientNames } from "./repo.ts";

export async function findClientByReference(
  db: Db,
  workspaceId: string,
  reference: string,
): Promise<ClientRow> {
  const wanted = reference.trim();
  const isUuid = /^[0-9a-f-]{36}$/i.test(wanted);
  const found = await findClientsByReference(db, workspaceId, wanted, isUuid);
  if (found.length === 0 && !isUuid) return findClientByNameStart(db, workspaceId, wanted);
  const [client, other] = found;
  if (!client || other) {
    throw new DomainError("client.reference", `client "${wanted}" not found once`, {
      userMessage: client
        ? `Several clients are called "${wanted}": give the external id instead.`
        : `No client "${wanted}" in this workspace: give its id, external id or exact name.`,
      messageKey: client ? "invoicing.error.client_same_name" : "invoicing.error.client_not_found",
      messageValues: { name: wanted },
    });
  }
  return client;
}

/** Only a single best match is taken: two clients starting alike are named for the user to choose. */
async function findClientByNameStart(db: Db, workspaceId: string, wanted: string): Promise<ClientRow> {
  const names = await listClientNames(db, workspaceId);
  const matches = bestMatches(wanted, names, (c) => [c.externalId, c.name]);
  const [only] = matches;
  if (matches.length === 1 && only) {
    const client = await findClient(db, workspaceId, only.id);
    if (client) return client;
  }
  const shown = `${matches
    .slice(0, 5)
    .map((c) => `${c.name} (${c.externalId})`)
    .join(", ")}${matches.length > 5 ? ", …" : ""}`;
  throw new DomainError("client.reference", `client "${wanted}" not found once`, {
    userMessage:
      matches.length > 1
        ? `Several clients match "${wanted}": ${shown}. Give the external id.`
        : `No client "${wanted}" in this workspace: give its id, external id or the start of its name.`,
    ...(matches.length > 1
      ? {
          messageKey: "invoicing.error.client_several_match",
          messageValues: { name: wanted, clients: shown, hint: "external" },
        }
      : { messageKey: "invoicing.error.client_not_found_start", messageValues: { name: wanted } }),
  });
}
