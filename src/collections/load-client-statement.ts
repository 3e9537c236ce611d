// A client's statement of account as of today in the workspace's time zone: the parties and every
// open invoice, aged in the workspace's buckets. Found by the client's id, external id or name.
import type { Ctx } from "../context.ts";
import { validateAgingEdges } from "../domain/aging.ts";
import type { Address, Seller } from "../domain/invoice-parties.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { buildStatement, type Statement } from "../domain/statement.ts";
import { openInvoicesOfClient, refundsDueOfClient } from "../invoicing/index.ts";
import { statementParties } from "./statement-repo.ts";

export type ClientStatement = Statement & {
  clientId: string;
  client: { name: string; address: Address | null; language: "es" | "fr" | "en"; emails: string[] };
  seller: Seller;
};

export async function loadClientStatement(ctx: Ctx, input: { client: string }): Promise<ClientStatement> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { client, workspace, seller, asOf } = await statementParties(ctx, input.client);
  const [rows, refunds] = await Promise.all([
    openInvoicesOfClient(ctx.db, ctx.workspaceId, client.id),
    refundsDueOfClient(ctx.db, ctx.workspaceId, client.id),
  ]);
  const statement = buildStatement({
    asOf,
    edges: validateAgingEdges(workspace.settings.agingEdges),
    invoices: rows.map((row) => ({
      number: row.number ?? "",
      issueDate: row.issueDate ?? asOf,
      dueDate: row.dueDate ?? row.issueDate ?? asOf,
      currency: row.currency.trim(),
      // What the client owes on it: the total less any withholding the client keeps back.
      totalMinor: row.totalMinor - row.withholdingMinor,
      openMinor: row.openMinor,
    })),
    refunds,
  });
  return {
    ...statement,
    clientId: client.id,
    client: {
      name: client.name,
      address: client.address ?? null,
      language: client.language,
      emails: client.emails,
    },
    seller,
  };
}
