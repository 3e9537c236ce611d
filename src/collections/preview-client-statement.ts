// What a client's statement of account says today and where its e-mail would go, shown to a collector
// before anyone sends it (sendClientStatement sends it, claimed once a day per client).
import type { Ctx } from "../context.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { statementDayRequest, statementEmailKey } from "../domain/statement.ts";
import { type ClientStatement, loadClientStatement } from "./load-client-statement.ts";
import { findStatementEmailClaim } from "./statement-repo.ts";

export type ClientStatementPreview = ClientStatement & {
  /** The client's billing contacts, where the e-mail goes on confirm (none: it cannot go). */
  to: string[];
  /** Today's statement already claimed: where it went (Send would send nothing more), else null. */
  sentTodayTo: string[] | null;
};

export async function previewClientStatement(
  ctx: Ctx,
  input: { client: string },
): Promise<ClientStatementPreview> {
  assertAllowed(ctx.actor, { action: "collect" });
  const statement = await loadClientStatement(ctx, { client: input.client });
  const key = statementEmailKey(statement.clientId, statementDayRequest(statement.asOf));
  const sentTodayTo = await findStatementEmailClaim(ctx.db, ctx.workspaceId, key);
  return { ...statement, to: statement.client.emails, sentTodayTo };
}
