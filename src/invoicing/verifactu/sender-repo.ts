// The sending lease of each issuer (its verifactu_senders row) and what a request's outcome writes:
// statements of sendVerifactuRecords, kept whole so the claim before a send stays one UPDATE … RETURNING.
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { verifactuRecords, verifactuSenders } from "../../db/schema/index.ts";
import type { AeatLine } from "../../einvoice/verifactu-soap.ts";
import type { VerifactuRecordRow } from "./repo.ts";

export type VerifactuSenderRow = typeof verifactuSenders.$inferSelect;

/** Takes the issuer's lease for `leaseSeconds` unless another instance holds it: the row, or undefined. */
export async function claimSender(
  db: Db,
  input: { workspaceId: string; issuerNif: string; instanceId: string; leaseSeconds: number },
): Promise<VerifactuSenderRow | undefined> {
  await db
    .insert(verifactuSenders)
    .values({ workspaceId: input.workspaceId, issuerNif: input.issuerNif })
    .onConflictDoNothing();
  const [sender] = await db
    .update(verifactuSenders)
    .set({
      lockedBy: input.instanceId,
      lockedUntil: sql`now() + make_interval(secs => ${input.leaseSeconds})`,
    })
    .where(
      and(
        eq(verifactuSenders.workspaceId, input.workspaceId),
        eq(verifactuSenders.issuerNif, input.issuerNif),
        or(isNull(verifactuSenders.lockedUntil), lt(verifactuSenders.lockedUntil, sql`now()`)),
      ),
    )
    .returning();
  return sender;
}

/** Gives the lease back (only if this instance still holds it). */
export async function releaseSender(db: Db, senderId: string, instanceId: string): Promise<void> {
  await db
    .update(verifactuSenders)
    .set({ lockedBy: null, lockedUntil: null })
    .where(and(eq(verifactuSenders.id, senderId), eq(verifactuSenders.lockedBy, instanceId)));
}

/** A failed request: the sender's failure and retry time, and every waiting record flagged Incidencia. */
export async function recordSendFailure(
  db: Db,
  sender: VerifactuSenderRow,
  failure: { failingSince: Date; failures: number; lastError: string; nextSendAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(verifactuSenders).set(failure).where(eq(verifactuSenders.id, sender.id));
    await tx
      .update(verifactuRecords)
      .set({ incident: true })
      .where(
        and(
          eq(verifactuRecords.workspaceId, sender.workspaceId),
          eq(verifactuRecords.issuerNif, sender.issuerNif),
          eq(verifactuRecords.submissionStatus, "pending"),
        ),
      );
  });
}

/** The AEAT's answer: each answered record's state, and the sender's pacing, in one transaction. */
export async function recordSendAnswer(
  db: Db,
  senderId: string,
  answer: {
    csv: string | null;
    accepted: string[];
    others: { id: string; status: VerifactuRecordRow["submissionStatus"]; line: AeatLine }[];
    waitSeconds: number;
    nextSendAt: Date;
    now: Date;
  },
): Promise<void> {
  const { now } = answer;
  await db.transaction(async (tx) => {
    if (answer.accepted.length > 0) {
      await tx
        .update(verifactuRecords)
        .set({ submissionStatus: "accepted", aeatCsv: answer.csv, sentAt: now })
        .where(inArray(verifactuRecords.id, answer.accepted));
    }
    for (const { id, status, line } of answer.others) {
      await tx
        .update(verifactuRecords)
        .set({
          submissionStatus: status,
          aeatCsv: status === "rejected" ? null : answer.csv,
          aeatErrorCode: line.errorCode,
          aeatError: line.error,
          sentAt: now,
        })
        .where(eq(verifactuRecords.id, id));
    }
    await tx
      .update(verifactuSenders)
      .set({
        waitSeconds: answer.waitSeconds,
        nextSendAt: answer.nextSendAt,
        lastSentAt: now,
        failingSince: null,
        failures: 0,
        lastError: null,
      })
      .where(eq(verifactuSenders.id, senderId));
  });
}
