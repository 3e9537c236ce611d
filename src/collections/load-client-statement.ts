// A client's statement of account as of today in the workspace's time zone: the parties and every
// open invoice, aged in the workspace's buckets. Found by the client's id, external id or name.
import type { Db } from "../db/client.ts";
import { validateAgingEdges } from "../domain/aging.ts";
import { DomainError } from "../domain/errors.ts";
import type { Address, Seller } from "../domain/invoice-parties.ts";
import { localToday } from "../domain/overdue.ts";
import { buildStatement, type Statement } from "../domain/statement.ts";
import { findClientByReference, openInvoicesOfClient, refundsDueOfClient } from "../invoicing/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";

export type ClientStatement = Statement & {
  clientId: string;
  client: { name: string; address: Address | null; language: "es" | "fr" | "en"; emails: string[] };
  seller: Seller;
};

/** Who a statement is from and to, and its day; refused before the company's identity is set. */
export async function statementParties(
  deps: { db: Db; now: () => Date },
  input: { workspaceId: string; client: string },
) {
  const client = await findClientByReference(deps.db, input.workspaceId, input.client);
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace) throw new Error(`workspace ${input.workspaceId} not found`);
  const seller = workspace.seller;
  if (!seller) {
    throw new DomainError("statement.seller", "no seller identity", {
      userMessage: "Set your company's identity (`/cobro setup`) before sending statements.",
      messageKey: "collections.error.statement_seller",
    });
  }
  return { client, workspace, seller, asOf: localToday(deps.now(), workspace.timeZone) };
}

export async function loadClientStatement(
  deps: { db: Db; now: () => Date },
  input: { workspaceId: string; client: string },
): Promise<ClientStatement> {
  const { client, workspace, seller, asOf } = await statementParties(deps, input);
  const [rows, refunds] = await Promise.all([
    openInvoicesOfClient(deps.db, input.workspaceId, client.id),
    refundsDueOfClient(deps.db, input.workspaceId, client.id),
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
