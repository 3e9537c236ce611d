// Early each month, when the workspace asks for it, every client with an overdue invoice gets its
// statement of account by e-mail: one run a month (claimed), one e-mail a client and month.
import type { Ctx } from "../context.ts";
import { claimDeliveries } from "../delivery/index.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { statementEmailKey } from "../domain/statement.ts";
import type { WorkspaceRow } from "../invoicing/index.ts";
import { claimScheduledRun, finishScheduledRun } from "../workspace/index.ts";
import { STATEMENT_EMAIL_PAYLOAD, type StatementEmailPayload } from "./collection-payloads.ts";
import { findClientsWithOverdueToChase } from "./repo.ts";

export const MONTHLY_STATEMENTS_JOB = "monthly-statements";
/** A run missed on the 1st (instance down) still goes in the first week, never later in the month. */
const LAST_DAY_TO_CATCH_UP = 7;

export type MonthlyStatementsResult = { ran: boolean; month: string; clients: number };

/** `workspace`: the ctx's, as the scheduler has just read it (its settings and time zone). */
export async function sendMonthlyStatements(
  ctx: Ctx,
  input: { workspace: Pick<WorkspaceRow, "settings" | "timeZone"> },
): Promise<MonthlyStatementsResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { workspace } = input;
  const workspaceId = ctx.workspaceId;
  const today = localToday(ctx.now(), workspace.timeZone);
  const month = today.slice(0, 7);
  const idle = { ran: false, month, clients: 0 };
  if (!workspace.settings.monthlyStatements || Number(today.slice(8, 10)) > LAST_DAY_TO_CATCH_UP) return idle;
  const claimed = await ctx.db.transaction(async (tx) => {
    const runId = await claimScheduledRun(tx, workspaceId, MONTHLY_STATEMENTS_JOB, `${month}-01`);
    if (!runId) return null;
    const clients = await findClientsWithOverdueToChase(tx, workspaceId, today);
    const sendRequestId = `month:${month}`;
    const ids = await claimDeliveries(
      tx,
      clients.map((client) => ({
        workspaceId,
        kind: "email" as const,
        dedupeKey: statementEmailKey(client.id, sendRequestId),
        payload: {
          type: STATEMENT_EMAIL_PAYLOAD,
          clientId: client.id,
          to: client.emails,
          sendRequestId,
          onlyIfOverdue: true,
        } satisfies StatementEmailPayload,
      })),
    );
    await finishScheduledRun(tx, runId, { clients: clients.length, deliveries: ids.length });
    return ids;
  });
  if (!claimed) return idle;
  await ctx.enqueue(claimed);
  ctx.logger.info({ workspaceId, month, statements: claimed.length }, "monthly statements");
  return { ran: true, month, clients: claimed.length };
}
