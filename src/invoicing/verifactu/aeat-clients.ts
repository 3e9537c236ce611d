// The AEAT client of each workspace, built from its sealed certificate and kept while the certificate
// stays the same (the sending job and `cobro verifactu send` share it).
import { readFileSync } from "node:fs";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { Cipher } from "../../secrets.ts";
import { AEAT_ENDPOINTS, type AeatCredentials, type AeatPost, createAeatClient } from "./aeat-client.ts";
import { findCertificate } from "./repo.ts";

/** The AEAT client of a workspace, built from its sealed certificate; null when none is imported. */
export function aeatClients(
  db: Db,
  cipher: Cipher,
  aeat: Config["verifactuAeat"],
): (workspaceId: string) => Promise<AeatPost | null> {
  const url = aeat.url ?? AEAT_ENDPOINTS[aeat.environment];
  const ca = aeat.caFile ? readFileSync(aeat.caFile, "utf8") : undefined;
  const clients = new Map<string, { fingerprint: string; post: AeatPost }>();
  return async (workspaceId) => {
    const row = await findCertificate(db, workspaceId);
    if (!row) return null;
    const cached = clients.get(workspaceId);
    if (cached?.fingerprint === row.fingerprint) return cached.post;
    const credentials = JSON.parse(cipher.decrypt(row.sealed)) as AeatCredentials;
    const post = createAeatClient({ url, credentials, ca });
    clients.set(workspaceId, { fingerprint: row.fingerprint, post });
    return post;
  };
}
