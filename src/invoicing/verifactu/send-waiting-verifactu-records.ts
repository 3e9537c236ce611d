// Sends every waiting VERI*FACTU record of the ctx's workspace (one issuer, or all its issuers) as far
// as the AEAT's pacing allows now: one request per issuer, more at once while 1,000 records still wait.
import { assertAllowed } from "../../domain/permissions.ts";
import { issuersWithUnsentRecords } from "./repo.ts";
import {
  sendVerifactuRecords,
  type VerifactuSendCtx,
  type VerifactuSendOutcome,
} from "./send-verifactu-records.ts";

export async function sendWaitingVerifactuRecords(
  ctx: VerifactuSendCtx,
  input: { issuerNif?: string },
): Promise<{ workspaceId: string; issuerNif: string; outcome: VerifactuSendOutcome }[]> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const issuers = (await issuersWithUnsentRecords(ctx.db, ctx.workspaceId)).filter(
    (i) => !input.issuerNif || i.issuerNif === input.issuerNif,
  );
  const results = [];
  for (const issuer of issuers) {
    let outcome = await sendVerifactuRecords(ctx, issuer);
    while (outcome.status === "sent" && outcome.waiting >= 1000)
      outcome = await sendVerifactuRecords(ctx, issuer);
    results.push({ ...issuer, outcome });
  }
  return results;
}
