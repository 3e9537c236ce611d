// Sends every waiting VERI*FACTU record of a workspace's issuers (or of all workspaces) as far as
// the AEAT's pacing allows now: one request per issuer, more at once while 1,000 records still wait.
import { issuersWithUnsentRecords } from "./repo.ts";
import {
  sendVerifactuRecords,
  type VerifactuSendDeps,
  type VerifactuSendOutcome,
} from "./send-verifactu-records.ts";

export async function sendWaitingVerifactuRecords(
  deps: VerifactuSendDeps,
  input: { workspaceId?: string; issuerNif?: string },
): Promise<{ workspaceId: string; issuerNif: string; outcome: VerifactuSendOutcome }[]> {
  const issuers = (await issuersWithUnsentRecords(deps.db, input.workspaceId)).filter(
    (i) => !input.issuerNif || i.issuerNif === input.issuerNif,
  );
  const results = [];
  for (const issuer of issuers) {
    let outcome = await sendVerifactuRecords(deps, issuer);
    while (outcome.status === "sent" && outcome.waiting >= 1000)
      outcome = await sendVerifactuRecords(deps, issuer);
    results.push({ ...issuer, outcome });
  }
  return results;
}
