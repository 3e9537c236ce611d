// Who a client's statement of account is from and to, read for the verb that builds it and the one
// that claims its e-mail (which builds nothing until the e-mail goes); where a claimed one went.
import { sql } from "drizzle-orm";
import type { Ctx } from "../context.ts";
import { type Db, queryRows } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { findClientByReference } from "../invoicing/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";

/** The client (by id, external id or name), the workspace, its seller and today there; refused before the company's identity is set. */
export async function statementParties(ctx: Pick<Ctx, "db" | "now" | "workspaceId">, client: string) {
  const found = await findClientByReference(ctx.db, ctx.workspaceId, client);
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) throw new Error(`workspace ${ctx.workspaceId} not found`);
  const seller = workspace.seller;
  if (!seller) {
    throw new DomainError("statement.seller", "no seller identity", {
      userMessage: "Set your company's identity (`/cobro setup`) before sending statements.",
      messageKey: "collections.error.statement_seller",
    });
  }
  return { client: found, workspace, seller, asOf: localToday(ctx.now(), workspace.timeZone) };
}

/** Where a statement e-mail claimed under `dedupeKey` went (its recipients), or null when none is. */
export async function findStatementEmailClaim(
  db: Db,
  workspaceId: string,
  dedupeKey: string,
): Promise<string[] | null> {
  const [row] = await queryRows<{ to: unknown }>(
    db,
    sql`select payload->'to' as "to" from deliveries
         where workspace_id = ${workspaceId} and dedupe_key = ${dedupeKey} limit 1`,
  );
  if (!row) return null;
  return Array.isArray(row.to) ? row.to.filter((e): e is string => typeof e === "string") : [];
}
