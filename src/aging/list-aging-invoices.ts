// Drill-down of the aging report: the invoices of one bucket, one page at a time, oldest first.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { bucketLabels } from "../domain/aging.ts";
import { DomainError } from "../domain/errors.ts";
import { type AgingInvoiceRow, listAgingInvoices as listAgingInvoiceRows } from "./repo.ts";
import { type AgingRequest, resolveAgingScope } from "./resolve-aging-scope.ts";

export const AGING_PAGE_SIZE = 10;

const Page = z.object({
  bucket: z.int().min(0).max(9),
  page: z.int().min(0).max(100_000).default(0),
  pageSize: z.int().min(1).max(50).default(AGING_PAGE_SIZE),
});

export type AgingInvoicesPage = {
  asOf: string;
  basis: "due" | "issue";
  bucket: number;
  bucketLabel: string;
  page: number;
  pageSize: number;
  total: number;
  invoices: AgingInvoiceRow[];
  /** The workspace's locale, for the amounts of the reply. */
  locale: string;
  /** True when cut to the projects the actor manages (a PM). */
  ownProjectsOnly: boolean;
};

/** Permission: viewAging, checked first by resolveAgingScope (a PM sees only their projects' invoices). */
export async function listAgingInvoices(
  ctx: Ctx,
  input: AgingRequest & z.input<typeof Page>,
): Promise<AgingInvoicesPage> {
  const scope = await resolveAgingScope(ctx, input);
  const page = Page.safeParse(input);
  if (!page.success) {
    throw new DomainError("aging.page", page.error.message, {
      userMessage: "That page of the report is not valid.",
    });
  }
  const labels = bucketLabels(scope.edges);
  const label = labels[page.data.bucket];
  if (label === undefined) {
    throw new DomainError("aging.bucket", `bucket ${page.data.bucket} out of range`, {
      userMessage: "That aging bucket no longer exists (the bucket edges changed): run /aging again.",
      messageKey: "aging.error.bucket_gone",
    });
  }
  const { invoices, total } = await listAgingInvoiceRows(ctx.db, {
    workspaceId: scope.workspace.id,
    asOf: scope.asOf,
    basis: scope.basis,
    edges: scope.edges,
    filters: {
      clientId: scope.filters.clientId,
      projectId: scope.filters.projectId,
      projectIds: scope.filters.projectIds,
      collectorMemberId: scope.filters.collectorMemberId,
      currency: scope.filters.currency,
    },
    bucket: page.data.bucket,
    offset: page.data.page * page.data.pageSize,
    limit: page.data.pageSize,
  });
  return {
    asOf: scope.asOf,
    basis: scope.basis,
    bucket: page.data.bucket,
    bucketLabel: label,
    page: page.data.page,
    pageSize: page.data.pageSize,
    total,
    invoices,
    ownProjectsOnly: scope.ownProjectsOnly,
    locale: scope.workspace.locale,
  };
}
