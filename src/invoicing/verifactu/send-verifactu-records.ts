// Sends one issuer's waiting VERI*FACTU records to the AEAT: at most 1,000 in chain order per
// request, the next request once the answer's TiempoEsperaEnvio has passed or 1,000 records wait
// (Orden HAC/1177/2024 art. 16.2). A lease on the issuer's sender row means two instances never
// send the same records; a failed request leaves them waiting, flagged Incidencia (art. 16.4).
import type { Ctx, ServiceDeps } from "../../context.ts";
import { assertAllowed } from "../../domain/permissions.ts";
import { aeatDate } from "../../domain/verifactu.ts";
import {
  type AeatAnswer,
  type AeatLine,
  parseAeatAnswer,
  soapEnvelope,
} from "../../einvoice/verifactu-soap.ts";
import { buildVerifactuSubmission, VERIFACTU_MAX_RECORDS } from "../../einvoice/verifactu-submission.ts";
import { type AeatPost, AeatUnreachableError } from "./aeat-client.ts";
import { submissionRecords, unsentRecords, type VerifactuRecordRow } from "./repo.ts";
import {
  claimSender,
  recordSendAnswer,
  recordSendFailure,
  releaseSender,
  type VerifactuSenderRow,
} from "./sender-repo.ts";

/** What sending needs besides a ctx (the job holds these before it knows the workspace). */
export type VerifactuSendPorts = {
  /** The AEAT client with this workspace's certificate, or null when none is imported. */
  aeatFor: (workspaceId: string) => Promise<AeatPost | null>;
  system: { version: string; producer?: { name: string; nif: string } | undefined };
  /** Names this process in the lease (host:pid or a test's label). */
  instanceId: string;
};
export type VerifactuSendDeps = ServiceDeps & VerifactuSendPorts;
export type VerifactuSendCtx = Ctx & VerifactuSendPorts;

export type VerifactuSendOutcome =
  | { status: "nothing" }
  | { status: "busy" }
  | { status: "noCertificate"; waiting: number }
  /** Not yet: the AEAT's TiempoEsperaEnvio, or the next retry when `failing` (sending fails since then). */
  | { status: "waiting"; until: Date; waiting: number; failing?: { since: Date; lastError: string | null } }
  | {
      status: "sent";
      records: number;
      accepted: number;
      withErrors: number;
      rejected: number;
      waitSeconds: number;
      nextSendAt: Date;
      /** Records still waiting after this request. */
      waiting: number;
    }
  | { status: "failed"; error: string; retryAt: Date; waiting: number };

// Longer than a request may take (timeout 120 s), so a lease never lapses while its request is out.
const LEASE_SECONDS = 300;
const MAX_RETRY_SECONDS = 3600;

export async function sendVerifactuRecords(
  ctx: VerifactuSendCtx,
  input: { issuerNif: string },
): Promise<VerifactuSendOutcome> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const deps = ctx;
  const { db } = deps;
  const sender = await claimSender(db, {
    workspaceId: ctx.workspaceId,
    issuerNif: input.issuerNif,
    instanceId: deps.instanceId,
    leaseSeconds: LEASE_SECONDS,
  });
  if (!sender) return { status: "busy" };
  try {
    return await sendLeased(deps, sender);
  } finally {
    await releaseSender(db, sender.id, deps.instanceId);
  }
}

type Sender = VerifactuSenderRow;

async function sendLeased(deps: VerifactuSendCtx, sender: Sender): Promise<VerifactuSendOutcome> {
  const { db } = deps;
  const waiting = await unsentRecords(db, sender.workspaceId, sender.issuerNif);
  if (waiting.length === 0) return { status: "nothing" };
  const now = deps.now();
  // 1,000 waiting records go at once, but not past a failure's retry time (no hammering a service that is down).
  const full = waiting.length >= VERIFACTU_MAX_RECORDS && sender.failingSince === null;
  if (sender.nextSendAt && now < sender.nextSendAt && !full) {
    const failing = sender.failingSince
      ? { failing: { since: sender.failingSince, lastError: sender.lastError } }
      : {};
    return { status: "waiting", until: sender.nextSendAt, waiting: waiting.length, ...failing };
  }
  const post = await deps.aeatFor(sender.workspaceId);
  if (!post) return { status: "noCertificate", waiting: waiting.length };
  const batch = waiting.slice(0, VERIFACTU_MAX_RECORDS);
  // Every record that waited through a failed request goes out as sent late (art. 16.4).
  const late = sender.failingSince !== null || batch.some((r) => r.incident);
  const { issuerName, records } = await submissionRecords(db, sender.workspaceId, batch);
  const envelope = soapEnvelope(
    buildVerifactuSubmission({
      issuer: { name: issuerName, nif: sender.issuerNif },
      system: {
        producerName: deps.system.producer?.name ?? issuerName,
        producerNif: deps.system.producer?.nif ?? sender.issuerNif,
        version: deps.system.version,
        installation: sender.workspaceId,
      },
      records,
      incident: late,
    }),
  );
  let answer: AeatAnswer;
  try {
    const reply = await post(envelope);
    answer = readReply(reply.status, reply.body);
  } catch (error) {
    if (!(error instanceof AeatUnreachableError) && !(error instanceof AeatAnswerError)) throw error;
    return failed(deps, sender, waiting.length, error.message, now);
  }
  if (answer.kind === "fault") {
    return failed(deps, sender, waiting.length, `the AEAT refused the submission: ${answer.message}`, now);
  }
  if (answer.lines.length === 0) {
    return failed(
      deps,
      sender,
      waiting.length,
      `the AEAT answered ${answer.state} without a line per record`,
      now,
    );
  }
  const outcome = await recordAnswer(deps, sender, batch, answer, now);
  return { ...outcome, waiting: waiting.length - outcome.settled };
}

class AeatAnswerError extends Error {}

function readReply(status: number, body: string): AeatAnswer {
  try {
    return parseAeatAnswer(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new AeatAnswerError(`HTTP ${status} from the AEAT, not an answer (${why})`);
  }
}

async function failed(
  deps: VerifactuSendCtx,
  sender: Sender,
  waiting: number,
  error: string,
  now: Date,
): Promise<VerifactuSendOutcome> {
  const failures = sender.failures + 1;
  // 1, 2, 4 … minutes, at most an hour apart: the Orden asks for a retry at least every hour.
  const retryAt = new Date(now.getTime() + Math.min(60 * 2 ** (failures - 1), MAX_RETRY_SECONDS) * 1000);
  await recordSendFailure(deps.db, sender, {
    failingSince: sender.failingSince ?? now,
    failures,
    lastError: error,
    nextSendAt: retryAt,
  });
  deps.logger.warn(
    { workspaceId: sender.workspaceId, issuerNif: sender.issuerNif, failures },
    `VERI*FACTU submission failed: ${error}`,
  );
  return { status: "failed", error, retryAt, waiting };
}

type Settled = Extract<VerifactuSendOutcome, { status: "sent" }> & { settled: number };

async function recordAnswer(
  deps: VerifactuSendCtx,
  sender: Sender,
  batch: readonly VerifactuRecordRow[],
  answer: Extract<AeatAnswer, { kind: "answer" }>,
  now: Date,
): Promise<Omit<Settled, "waiting">> {
  const lineOf = new Map(answer.lines.map((l) => [`${l.operation}|${l.seriesNumber}|${l.issueDate}`, l]));
  const accepted: string[] = [];
  const others: { id: string; status: VerifactuRecordRow["submissionStatus"]; line: AeatLine }[] = [];
  for (const record of batch) {
    const operation = record.kind === "anulacion" ? "Anulacion" : "Alta";
    const line = lineOf.get(`${operation}|${record.seriesNumber}|${aeatDate(record.issueDate)}`);
    if (!line) continue; // not answered: stays waiting and goes in the next request
    const status = stateOf(line);
    if (status === "accepted") accepted.push(record.id);
    else others.push({ id: record.id, status, line });
  }
  const nextSendAt = new Date(now.getTime() + answer.waitSeconds * 1000);
  await recordSendAnswer(deps.db, sender.id, {
    csv: answer.csv,
    accepted,
    others,
    waitSeconds: answer.waitSeconds,
    nextSendAt,
    now,
  });
  const count = (s: string) => others.filter((o) => o.status === s).length;
  return {
    status: "sent",
    records: batch.length,
    accepted: accepted.length + count("accepted"),
    withErrors: count("accepted_with_errors"),
    rejected: count("rejected"),
    waitSeconds: answer.waitSeconds,
    nextSendAt,
    settled: accepted.length + others.length,
  };
}

/** Error 3000 (duplicate) on a re-send means the AEAT already holds the record: it was accepted. */
function stateOf(line: AeatLine): VerifactuRecordRow["submissionStatus"] {
  if (line.state === "Correcto") return "accepted";
  if (line.state === "AceptadoConErrores") return "accepted_with_errors";
  if (line.errorCode === "3000" && line.duplicateState === "Correcta") return "accepted";
  if (line.errorCode === "3000" && line.duplicateState === "AceptadaConErrores")
    return "accepted_with_errors";
  return "rejected";
}
