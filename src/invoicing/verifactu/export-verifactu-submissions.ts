// The VERI*FACTU records still waiting to go to the AEAT, or all those of a period, as submission
// bodies (one per issuer NIF and 1,000 records, in chain order, altas and anulaciones): what the
// sending job sends (or sent). Nothing is marked as sent here.
import type { Ctx } from "../../context.ts";
import { buildVerifactuSubmission, VERIFACTU_MAX_RECORDS } from "../../einvoice/verifactu-submission.ts";
import {
  recordsGeneratedBetween,
  submissionRecords,
  unsentRecords,
  type VerifactuRecordRow,
} from "./repo.ts";

export type VerifactuSubmission = { issuerNif: string; records: number; xml: string };

/** Any member may export what was (or will be) sent to the AEAT (no permission check): it is read-only. */
export async function exportVerifactuSubmissions(
  ctx: Ctx,
  input: {
    version: string;
    /** Who runs this Cobro for others; a self-hosted Cobro is its operator's own system. */
    producer?: { name: string; nif: string } | undefined;
    /** Every record generated in these days (issuer's local dates, inclusive); else the unsent ones. */
    period?: { from: string; to: string } | undefined;
  },
): Promise<VerifactuSubmission[]> {
  const { workspaceId } = ctx;
  const period = input.period;
  const rows = period
    ? await recordsGeneratedBetween(ctx.db, workspaceId, period)
    : await unsentRecords(ctx.db, workspaceId);
  const submissions: VerifactuSubmission[] = [];
  for (const [issuerNif, ofIssuer] of groupBy(rows, (r) => r.issuerNif)) {
    for (let i = 0; i < ofIssuer.length; i += VERIFACTU_MAX_RECORDS) {
      const batch = ofIssuer.slice(i, i + VERIFACTU_MAX_RECORDS);
      const { issuerName, records } = await submissionRecords(ctx.db, workspaceId, batch);
      submissions.push({
        issuerNif,
        records: batch.length,
        xml: buildVerifactuSubmission({
          issuer: { name: issuerName, nif: issuerNif },
          system: {
            producerName: input.producer?.name ?? issuerName,
            producerNif: input.producer?.nif ?? issuerNif,
            version: input.version,
            installation: workspaceId,
          },
          records,
          incident: batch.some((r) => r.incident && r.submissionStatus === "pending"),
        }),
      });
    }
  }
  return submissions;
}

function groupBy(items: readonly VerifactuRecordRow[], key: (item: VerifactuRecordRow) => string) {
  const groups = new Map<string, VerifactuRecordRow[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
