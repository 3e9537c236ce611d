// The VERI*FACTU sending job on the durable queue: every few seconds each issuer with records
// waiting gets a "verifactu-send" job; the job sends what the AEAT's pacing allows (the lease in
// sendVerifactuRecords keeps instances apart) and goes on at once while 1,000 records still wait.
import { contextFor } from "../../context.ts";
import type { Queue } from "../../delivery/index.ts";
import { systemActor } from "../../domain/permissions.ts";
import { issuersWithUnsentRecords } from "./repo.ts";
import type { VerifactuSendDeps } from "./send-verifactu-records.ts";
import { sendWaitingVerifactuRecords } from "./send-waiting-verifactu-records.ts";

export const VERIFACTU_SEND_QUEUE = "verifactu-send";
type Job = { workspaceId: string; issuerNif: string };

export async function startVerifactuSending(
  queue: Queue,
  deps: VerifactuSendDeps,
  options: { everySeconds?: number } = {},
): Promise<{ stop: () => void }> {
  await queue.work<Job>(VERIFACTU_SEND_QUEUE, async (job) => {
    const ctx = { ...deps, ...contextFor(deps, job.workspaceId, systemActor("verifactu-send")) };
    await sendWaitingVerifactuRecords(ctx, { issuerNif: job.issuerNif });
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
