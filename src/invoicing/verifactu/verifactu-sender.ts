// The VERI*FACTU sending job on the durable queue: every few seconds each issuer with records
// waiting gets a "verifactu-send" job; the job sends what the AEAT's pacing allows (the lease in
// sendVerifactuRecords keeps instances apart) and goes on at once while 1,000 records still wait.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { verifactuCertificates } from "../../db/schema/index.ts";
import type { Queue } from "../../delivery/index.ts";
import type { Cipher } from "../../secrets.ts";
import { AEAT_ENDPOINTS, type AeatCredentials, type AeatPost, createAeatClient } from "./aeat-client.ts";
import { issuersWithUnsentRecords } from "./repo.ts";
import type { VerifactuSendDeps } from "./send-verifactu-records.ts";
import { sendWaitingVerifactuRecords } from "./send-waiting-verifactu-records.ts";

export const VERIFACTU_SEND_QUEUE = "verifactu-send";
type Job = { workspaceId: string; issuerNif: string };

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
    const [row] = await db
      .select()
      .from(verifactuCertificates)
      .where(eq(verifactuCertificates.workspaceId, workspaceId));
    if (!row) return null;
    const cached = clients.get(workspaceId);
    if (cached?.fingerprint === row.fingerprint) return cached.post;
    const credentials = JSON.parse(cipher.decrypt(row.sealed)) as AeatCredentials;
    const post = createAeatClient({ url, credentials, ca });
    clients.set(workspaceId, { fingerprint: row.fingerprint, post });
    return post;
  };
}

export async function startVerifactuSending(
  queue: Queue,
  deps: VerifactuSendDeps,
  options: { everySeconds?: number } = {},
): Promise<{ stop: () => void }> {
  await queue.work<Job>(VERIFACTU_SEND_QUEUE, async (job) => {
    await sendWaitingVerifactuRecords(deps, job);
  });
  const tick = async () => {
    for (const issuer of await issuersWithUnsentRecords(deps.db)) {
      await queue.send(VERIFACTU_SEND_QUEUE, issuer, {
        singletonKey: `${issuer.workspaceId}:${issuer.issuerNif}`,
        singletonSeconds: options.everySeconds ?? 15,
      });
    }
  };
  const timer = setInterval(
    () => {
      tick().catch((error: unknown) => deps.logger.error({ err: error }, "VERI*FACTU send tick failed"));
    },
    (options.everySeconds ?? 15) * 1000,
  );
  timer.unref();
  void tick().catch((error: unknown) => deps.logger.error({ err: error }, "VERI*FACTU send tick failed"));
  return { stop: () => clearInterval(timer) };
}
