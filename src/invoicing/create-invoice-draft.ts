// Creates a draft invoice (no legal number yet) from explicit lines or from a milestone.

import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { PAYMENT_MEANS_CODE } from "../domain/client-details.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { sellerCountry } from "../domain/invoice-parties.ts";
import {
  computeInvoiceTotals,
  defaultVatTreatment,
  resolveDraftLines,
  storedTotals,
  VAT_CATEGORY_CODES,
} from "../domain/invoice-totals.ts";
import { currencyExponent } from "../domain/money.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import {
  findClient,
  findInvoiceForMilestone,
  findMilestone,
  findProject,
  findWorkspace,
  type InvoiceLineRow,
  type InvoiceRow,
  insertInvoice,
  listInvoiceLines,
  lockMilestoneRow,
  replaceInvoiceLines,
  setMilestoneInvoice,
} from "./repo.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const DraftLineInput = z.object({
  description: z.string().trim().min(1).max(1000),
  quantityMilli: z.number().int().safe(),
  unitCode: z.string().trim().min(1).max(3).default("C62"),
  unitPriceMinor: z.number().int().safe(),
  priceBaseQuantityMilli: z.number().int().positive().safe().default(1000),
  vatCategory: z.enum(VAT_CATEGORY_CODES).optional(),
  vatRateBp: z.number().int().min(0).max(10_000).optional(),
  exemptionReason: z.string().trim().max(300).optional(),
  periodStart: isoDate.optional(),
  periodEnd: isoDate.optional(),
  milestoneId: z.uuid().optional(),
  timesheetId: z.uuid().optional(),
});
export type DraftLineInput = z.input<typeof DraftLineInput>;

export const CreateInvoiceDraftInput = z
  .object({
    kind: z.enum(["invoice", "deposit"]).default("invoice"),
    clientId: z.uuid().optional(),
    projectId: z.uuid().optional(),
    milestoneId: z.uuid().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    lines: z.array(DraftLineInput).max(1000).optional(),
    servicePeriodStart: isoDate.optional(),
    servicePeriodEnd: isoDate.optional(),
    notes: z.string().max(2000).optional(),
  })
  .refine((v) => v.clientId || v.projectId || v.milestoneId, {
    message: "give a client, a project or a milestone",
  });
export type CreateInvoiceDraftInput = z.input<typeof CreateInvoiceDraftInput>;

export type InvoiceDraftResult = { invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean };

function notFound(what: string): never {
  throw new DomainError(`invoice.${what}_not_found`, `${what} not found in this workspace`, {
    userMessage: `That ${what} does not exist in this workspace.`,
  });
}

/** Billing drafts any invoice; whoever may mark a milestone done drafts that milestone's invoice. */
export async function createInvoiceDraft(
  ctx: Ctx,
  rawInput: CreateInvoiceDraftInput,
): Promise<InvoiceDraftResult> {
  const input = parseInput(CreateInvoiceDraftInput, rawInput);
  const { workspaceId } = ctx;
  return ctx.db.transaction(async (tx) => {
    const milestone = input.milestoneId ? await findMilestone(tx, workspaceId, input.milestoneId) : undefined;
    if (input.milestoneId && !milestone) notFound("milestone");
    const projectId = input.projectId ?? milestone?.projectId;
    const project = projectId ? await findProject(tx, workspaceId, projectId) : undefined;
    if (projectId && !project) notFound("project");
    assertAllowed(
      ctx.actor,
      milestone
        ? { action: "manageMilestones", projectPmMemberId: project?.pmMemberId ?? null }
        : { action: "editInvoice" },
    );
    if (milestone) {
      // One invoice per milestone: a repeated /milestone done returns the draft already made.
      await lockMilestoneRow(tx, workspaceId, milestone.id);
      const existing = await findInvoiceForMilestone(tx, workspaceId, milestone.id);
      if (existing) {
        return {
          invoice: existing,
          lines: await listInvoiceLines(tx, workspaceId, existing.id),
          alreadyDone: true,
        };
      }
    }
    if (input.clientId && project && project.clientId !== input.clientId) {
      throw new DomainError("invoice.client_mismatch", "project belongs to another client", {
        userMessage: "This project belongs to another client.",
      });
    }
    const clientId = input.clientId ?? project?.clientId;
    const client = clientId ? await findClient(tx, workspaceId, clientId) : undefined;
    if (!client) return notFound("client");
    const workspace = await findWorkspace(tx, workspaceId);
    if (!workspace) return notFound("workspace");

    const currency = input.currency ?? milestone?.currency ?? project?.currency ?? client.currency;
    currencyExponent(currency);
    if (milestone && milestone.currency !== currency) {
      throw new DomainError(
        "invoice.mixed_currencies",
        `milestone in ${milestone.currency}, invoice in ${currency}`,
        {
          userMessage: `The milestone is priced in ${milestone.currency} but the invoice would be in ${currency}: one invoice has one currency.`,
        },
      );
    }

    const fallbackVat = defaultVatTreatment(
      sellerCountry(workspace.seller),
      client.country,
      client.profile,
      client.language,
    );
    const lineInputs: DraftLineInput[] =
      input.lines ??
      (milestone
        ? [
            {
              description: project ? `${project.name} — ${milestone.name}` : milestone.name,
              quantityMilli: 1000,
              unitCode: "C62",
              unitPriceMinor: milestone.amountMinor,
              milestoneId: milestone.id,
            },
          ]
        : []);
    const lines = resolveDraftLines(lineInputs, fallbackVat);
    const totals = computeInvoiceTotals(lines, client.withholdingRateBp);

    const invoice = await insertInvoice(tx, {
      workspaceId,
      kind: input.kind,
      typeCode: input.kind === "deposit" ? "386" : "380",
      status: "draft",
      clientId: client.id,
      paymentMeansCode: PAYMENT_MEANS_CODE[client.paymentMethod ?? "transfer"],
      projectId: project?.id ?? null,
      milestoneId: milestone?.id ?? null,
      currency,
      servicePeriodStart: input.servicePeriodStart ?? null,
      servicePeriodEnd: input.servicePeriodEnd ?? null,
      ...storedTotals(totals),
      notes: input.notes ?? null,
    });
    const inserted = await replaceInvoiceLines(
      tx,
      workspaceId,
      invoice.id,
      lines.map((line, index) => ({ ...line, netMinor: totals.lineNetsMinor[index] ?? 0 })),
    );
    if (milestone) {
      await setMilestoneInvoice(tx, milestone.id, invoice.id);
    }
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(ctx.actor),
      action: "invoice.draft_created",
      entity: "invoice",
      entityId: invoice.id,
      after: {
        currency,
        totalMinor: totals.totalMinor,
        lines: lines.length,
        milestoneId: milestone?.id ?? null,
      },
    });
    return { invoice, lines: inserted, alreadyDone: false };
  });
}
