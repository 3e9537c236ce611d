// Where a workspace's VERI*FACTU sending stands: records not sent yet (and since when), records the
// AEAT refused or accepted with errors and not corrected, the last failure, the certificate's expiry.
// Read by `cobro doctor`, `cobro verifactu export`, the admins' App Home and the daily warning:
// a read model of the records, their senders and the certificate, in one set of queries.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { verifactuCertificates, verifactuRecords, verifactuSenders } from "../../db/schema/index.ts";
import type { VerifactuBacklog } from "../../domain/verifactu-backlog.ts";
import { workspacesUsingVerifactu } from "./repo.ts";

export async function loadVerifactuBacklog(db: Db, workspaceId: string): Promise<VerifactuBacklog> {
  const [counts, toCorrect, senders, [certificate]] = await Promise.all([
    db
      .select({
        status: verifactuRecords.submissionStatus,
        count: sql<number>`count(*)::int`,
        oldest: sql<string | null>`min(${verifactuRecords.createdAt})`,
      })
      .from(verifactuRecords)
      .where(
        and(
          eq(verifactuRecords.workspaceId, workspaceId),
          inArray(verifactuRecords.submissionStatus, ["pending", "rejected", "accepted_with_errors"]),
        ),
      )
      .groupBy(verifactuRecords.submissionStatus),
    db
      .select({
        seriesNumber: verifactuRecords.seriesNumber,
        code: verifactuRecords.aeatErrorCode,
        error: verifactuRecords.aeatError,
      })
      .from(verifactuRecords)
      .where(
        and(
          eq(verifactuRecords.workspaceId, workspaceId),
          inArray(verifactuRecords.submissionStatus, ["rejected", "accepted_with_errors"]),
        ),
      )
      .orderBy(verifactuRecords.sequence)
      .limit(10),
    db.select().from(verifactuSenders).where(eq(verifactuSenders.workspaceId, workspaceId)),
    db
      .select({ subject: verifactuCertificates.subject, notAfter: verifactuCertificates.notAfter })
      .from(verifactuCertificates)
      .where(eq(verifactuCertificates.workspaceId, workspaceId)),
  ]);
  const of = (status: string) => counts.find((c) => c.status === status);
  const failing = senders.find((s) => s.failingSince !== null);
  const oldest = of("pending")?.oldest;
  return {
    unsent: Number(of("pending")?.count ?? 0),
    oldestUnsentAt: oldest ? new Date(oldest) : null,
    rejected: Number(of("rejected")?.count ?? 0),
    withErrors: Number(of("accepted_with_errors")?.count ?? 0),
    toCorrect,
    failingSince: failing?.failingSince ?? null,
    lastError: failing?.lastError ?? null,
    nextSendAt: senders.map((s) => s.nextSendAt).find((d) => d !== null) ?? null,
    certificate: certificate ?? null,
  };
}

/** Every workspace that uses VERI*FACTU with where its sending stands (for `cobro doctor`). */
export async function loadVerifactuOverview(
  db: Db,
): Promise<{ workspaceName: string; backlog: VerifactuBacklog }[]> {
  const result = [];
  for (const workspace of await workspacesUsingVerifactu(db)) {
    result.push({ workspaceName: workspace.name, backlog: await loadVerifactuBacklog(db, workspace.id) });
  }
  return result;
}
