// A bank statement shared with Cobro in Slack (in the collections channel or a DM with Cobro):
// a collector's file is claimed once by its Slack id, fetched, and imported like `cobro import bank`;
// the answer says what was paid, what waits on a card and what waits in the App Home. Files shared
// anywhere else are none of Cobro's business.
import type { Ctx } from "../context.ts";
import { type BankFormat, detectBankFormat } from "../domain/bank-statement.ts";
import { isDomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf, isSlackActor } from "../domain/permissions.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { type BankFileStatus, claimBankFile, settleBankFile } from "./bank-lines-repo.ts";
import { importBankStatement } from "./import-bank-statement.ts";
import { type SharedFile, type SlackFilesPort, unreadable } from "./slack/slack-files-port.ts";

/** Larger statements are for `cobro import bank FILE`: a shared file is read after Slack's 3-second ack, in memory. */
export const MAX_SHARED_STATEMENT_BYTES = 10 * 1024 * 1024;

/** Who shared it is the ctx's actor. */
export type SharedBankFileInput = {
  fileId: string;
  channelId: string;
  /** Cobro's own uploads (CSV exports in DMs) are not statements to import. */
  botUserId: string | null;
  files: SlackFilesPort;
};

export type BankFileSummary = {
  lines: number;
  paid: number;
  invoicesPaid: number;
  suggested: number;
  waiting: number;
  alreadyImported: number;
};

export type BankFileAnswer =
  | { kind: "imported"; fileName: string; format: BankFormat; summary: BankFileSummary }
  | { kind: "not_statement"; fileName: string }
  | { kind: "too_big"; fileName: string; sizeBytes: number; limitBytes: number }
  /** A refusal (permission, malformed file, Slack did not hand the file over): the error says why. */
  | { kind: "refused"; fileName: string | null; error: unknown };

export type SharedBankFileOutcome =
  | { kind: "ignored" }
  | { kind: "answered"; channel: string; threadTs: string | null; answer: BankFileAnswer };

export async function importSharedBankFile(
  ctx: Ctx,
  input: SharedBankFileInput,
): Promise<SharedBankFileOutcome> {
  const { workspaceId, actor } = ctx;
  const { fileId, channelId, files } = input;
  if (isSlackActor(actor) && actor.slackUserId === input.botUserId) return { kind: "ignored" };
  const workspace = await findWorkspaceById(ctx.db, workspaceId);
  const isDm = channelId.startsWith("D");
  if (!workspace || (channelId !== workspace.collectionsChannelId && !isDm)) return { kind: "ignored" };

  const answered = (file: SharedFile | null, answer: BankFileAnswer): SharedBankFileOutcome => ({
    kind: "answered",
    channel: channelId,
    threadTs: file?.threadTs ?? null,
    answer,
  });
  // The collect right is checked once the file is one for Cobro (elsewhere it is none of its business),
  // and a refusal is answered in the file's thread rather than thrown.
  try {
    assertAllowed(actor, { action: "collect" });
  } catch (error) {
    return answered(await files.fileInfo(fileId, channelId).catch(() => null), {
      kind: "refused",
      fileName: null,
      error,
    });
  }
  if (!(await claim(ctx, input))) return { kind: "ignored" };

  let file: SharedFile | null = null;
  const settle = async (status: BankFileStatus, answer: BankFileAnswer, summary?: BankFileSummary) => {
    await settleBankFile(ctx.db, workspaceId, fileId, {
      status,
      summary: summary ?? null,
      updatedAt: ctx.now(),
    });
    return answered(file, answer);
  };
  try {
    file = await files.fileInfo(fileId, channelId);
    const fileName = file.name;
    const tooBig = { kind: "too_big", fileName, limitBytes: MAX_SHARED_STATEMENT_BYTES } as const;
    if (file.sizeBytes > MAX_SHARED_STATEMENT_BYTES)
      return await settle("refused", { ...tooBig, sizeBytes: file.sizeBytes });
    if (!file.downloadUrl) throw unreadable("files.info gave no download URL");
    const bytes = await files.download(file.downloadUrl, MAX_SHARED_STATEMENT_BYTES).catch((error) => {
      if (isDomainError(error) && error.code === "bank.file_too_big") return null;
      throw error;
    });
    if (!bytes) return await settle("refused", { ...tooBig, sizeBytes: MAX_SHARED_STATEMENT_BYTES + 1 });
    if (!detectBankFormat(bytes)) return await settle("refused", { kind: "not_statement", fileName });
    const result = await importBankStatement(ctx, { bytes, fileName });
    const fresh = result.lines.filter((line) => !line.alreadyImported);
    const paid = fresh.filter((line) => line.outcome === "paid");
    const summary: BankFileSummary = {
      lines: result.lines.length,
      paid: paid.length,
      invoicesPaid: paid.reduce((n, line) => n + line.paid.length, 0),
      suggested: fresh.filter((line) => line.outcome === "suggested").length,
      waiting: fresh.filter((line) => line.outcome === "unmatched").length,
      alreadyImported: result.lines.length - fresh.length,
    };
    return await settle("imported", { kind: "imported", fileName, format: result.format, summary }, summary);
  } catch (error) {
    // A malformed statement is refused for good; anything else (Slack, the network) may be shared again.
    const refusedForGood = isDomainError(error) && error.code === "bank.malformed";
    if (!isDomainError(error)) ctx.logger.error({ err: error, fileId }, "shared bank statement failed");
    return settle(refusedForGood ? "refused" : "failed", {
      kind: "refused",
      fileName: file?.name ?? null,
      error,
    });
  }
}

/** Longer than any import of a statement Cobro accepts (10 MB) takes. */
const IMPORT_LEASE = "30 minutes";

/** True for the one event that imports this file; a failed or abandoned attempt may be made again. */
function claim(ctx: Ctx, input: SharedBankFileInput): Promise<boolean> {
  const file = {
    workspaceId: ctx.workspaceId,
    slackFileId: input.fileId,
    channelId: input.channelId,
    sharedBy: auditActorOf(ctx.actor),
  };
  return claimBankFile(ctx.db, file, IMPORT_LEASE);
}
