// Claims the e-mailing of a client's statement of account, once per send request, for the queue.
// The statement itself is built when the e-mail goes, so it is as of the day it is received.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { statementDayRequest, statementEmailKey } from "../domain/statement.ts";
import { STATEMENT_EMAIL_PAYLOAD, type StatementEmailPayload } from "./collection-payloads.ts";
import { statementParties } from "./statement-repo.ts";

export const SendClientStatementInput = z.object({
  client: z.string().trim().min(1),
  /**
   * One "send" intent (CLI run id): a retry reuses it. Without one, a client gets at most one
   * statement a day (its workspace's day), whatever double clicks or retries happen in Slack.
   */
  sendRequestId: z.string().trim().min(1).max(200).optional(),
  to: z.array(z.email()).min(1).max(20).optional(),
});
export type SendClientStatementInput = z.input<typeof SendClientStatementInput>;

export async function sendClientStatement(
  ctx: Ctx,
  rawInput: SendClientStatementInput,
): Promise<{ deliveryId: string | null; alreadyDone: boolean; to: string[]; clientName: string }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = parseInput(SendClientStatementInput, rawInput);
  const workspaceId = ctx.workspaceId;
  // Only the parties now: the statement itself is built when the e-mail goes.
  const { client, asOf } = await statementParties(ctx, input.client);
  const to = input.to ?? client.emails;
  const sendRequestId = input.sendRequestId ?? statementDayRequest(asOf);
  if (to.length === 0) {
    throw new DomainError("statement.no_email", "client has no billing e-mail", {
      userMessage: `${client.name} has no billing e-mail address: add one to the client (CSV import) or give --to.`,
      messageKey: "collections.error.statement_no_email",
      messageValues: { client: client.name },
    });
  }
  const deliveryId = await ctx.db.transaction(async (tx) => {
    const id = await claimDelivery(tx, {
      workspaceId,
      kind: "email",
      dedupeKey: statementEmailKey(client.id, sendRequestId),
      payload: {
        type: STATEMENT_EMAIL_PAYLOAD,
        clientId: client.id,
        to,
        sendRequestId,
      } satisfies StatementEmailPayload,
    });
    if (id) {
      await recordAudit(tx, {
        workspaceId,
        actor: auditActorOf(ctx.actor),
        action: "client.statement_sent",
        entity: "client",
        entityId: client.id,
        before: null,
        after: { to, sendRequestId },
      });
    }
    return id;
  });
  if (deliveryId) await ctx.enqueue([deliveryId]);
  return { deliveryId, alreadyDone: deliveryId === null, to, clientName: client.name };
}
