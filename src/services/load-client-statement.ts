// A client's statement of account as of today in the workspace's time zone: the parties and every
// open invoice, aged in the workspace's buckets. Found by the client's id, external id or name.
import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, invoices, workspaces } from "../db/schema/index.ts";
import { validateAgingEdges } from "../domain/aging.ts";
import { DomainError } from "../domain/errors.ts";
import type { Address, Seller } from "../domain/invoice-parties.ts";
import { localToday } from "../domain/overdue.ts";
import { buildStatement, type Statement } from "../domain/statement.ts";

export type ClientStatement = Statement & {
  clientId: string;
  client: { name: string; address: Address | null; language: "es" | "fr" | "en"; emails: string[] };
  seller: Seller;
};

export async function loadClientStatement(
  deps: { db: Db; now: () => Date },
  input: { workspaceId: string; client: string },
): Promise<ClientStatement> {
  const reference = input.client.trim();
  const isUuid = /^[0-9a-f-]{36}$/i.test(reference);
  const found = await deps.db
    .select({ client: clients, workspace: workspaces })
    .from(clients)
    .innerJoin(workspaces, eq(workspaces.id, clients.workspaceId))
    .where(
      and(
        eq(clients.workspaceId, input.workspaceId),
        isUuid
          ? eq(clients.id, reference)
          : or(eq(clients.externalId, reference), sql`lower(${clients.name}) = lower(${reference})`),
      ),
    )
    .limit(2);
  if (found.length !== 1 || !found[0]) {
    throw new DomainError("statement.client", `client "${reference}" not found once`, {
      userMessage:
        found.length === 0
          ? `No client "${reference}" in this workspace: give its id, external id or exact name.`
          : `Several clients are called "${reference}": give the external id instead.`,
    });
  }
  const { client, workspace } = found[0];
  if (!workspace.seller) {
    throw new DomainError("statement.seller", "no seller identity", {
      userMessage: "Set your company's identity (`/cobro setup`) before sending statements.",
    });
  }
  const rows = await deps.db
    .select({
      number: invoices.number,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      currency: invoices.currency,
      totalMinor: invoices.totalMinor,
      withholdingMinor: invoices.withholdingMinor,
      openMinor: invoices.openMinor,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, input.workspaceId),
        eq(invoices.clientId, client.id),
        inArray(invoices.status, ["issued", "partially_paid"]),
        gt(invoices.openMinor, 0),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number));
  const asOf = localToday(deps.now(), workspace.timeZone);
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
    seller: workspace.seller,
  };
}
