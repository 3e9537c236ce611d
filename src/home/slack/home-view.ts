// The App Home tab: what needs this user now. Each section has its own block budget so that all of
// them show, within Slack's 100 blocks, whatever the data.

import { buildAgingHomeSection } from "../../aging/index.ts";
import { collectionButtons, type InvoiceLine } from "../../collections/index.ts";
import type { AgingReport } from "../../domain/aging.ts";
import { formatMoney } from "../../domain/money.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  type HomeView,
  header,
  LIMITS,
  section,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, encodeInvoiceValue, encodeMilestoneValue } from "../../slack/kit/ids.ts";
import { buildPendingApprovalsSection, type TimesheetSummary } from "../../timesheets/index.ts";

/** An overdue invoice in the Home: a digest line, with whether the user is its collector. */
export type HomeCollectionItem = Omit<InvoiceLine, "note"> & {
  asCollector: boolean;
  /** Disputed, paused or promised: shown without nagging. */
  note: string | null;
};

export type HomeModel = {
  locale: string;
  isAdmin: boolean;
  roles: string[];
  milestonesDue: {
    id: string;
    projectCode: string;
    name: string;
    amountMinor: number;
    currency: string;
    plannedDate: string | null;
    overdue: boolean;
  }[];
  draftsToIssue: {
    invoiceId: string;
    clientName: string;
    label: string;
    totalMinor: number;
    currency: string;
    status: "draft" | "held";
  }[];
  /** null: the user approves nothing, no section. */
  pendingApprovals?: TimesheetSummary[] | null;
  collections?: { items: HomeCollectionItem[]; total: number } | null;
  aging?: AgingReport | null;
  /** Admins: VERI*FACTU warnings (records not sent or refused, certificate expiring). */
  verifactuWarnings?: string[];
  /** Admins: what waits to go out, the oldest's age, and recent failures with their reason. */
  deliveries?: string[];
  /** Sections contributed by other areas, already built. */
  extraSections?: { title: string; blocks: Block[] }[];
};

/** Items per list (blocks: milestones 1 each, drafts and overdue invoices 2 each, approvals 1). */
const MILESTONES_SHOWN = 10;
const DRAFTS_SHOWN = 8;
const OVERDUE_SHOWN = 8;
const APPROVAL_BLOCKS = 12;
const EXTRA_BLOCKS = 10;

export function buildHomeView(model: HomeModel): HomeView {
  const blocks: Block[] = [header("What needs you")];
  const rolesText = model.roles.length > 0 ? model.roles.join(", ") : "no role yet";
  blocks.push(context(`Your roles: ${rolesText}. \`/cobro help\` lists every command.`));
  // First: the AEAT must get every record, and the warning stays until it has (Orden art. 16.4).
  if (model.verifactuWarnings && model.verifactuWarnings.length > 0) {
    blocks.push(
      divider(),
      header("VERI*FACTU needs attention"),
      ...model.verifactuWarnings.slice(0, 3).map((w) => section(`:warning: ${escapeMrkdwn(w)}`)),
    );
  }

  blocks.push(divider(), header("Milestones due on your projects"));
  if (model.milestonesDue.length === 0) blocks.push(context("Nothing due."));
  for (const m of model.milestonesDue.slice(0, MILESTONES_SHOWN)) {
    const amount = formatMoney({ amountMinor: m.amountMinor, currency: m.currency }, model.locale);
    const when = m.plannedDate ? `${m.overdue ? ":warning: was due" : "due"} ${m.plannedDate}` : "no date";
    blocks.push(
      section(
        `*${escapeMrkdwn(m.projectCode)}* · ${escapeMrkdwn(m.name)}\n${amount} · ${when}`,
        button(
          "Mark done",
          ACTIONS.markMilestoneDone,
          encodeMilestoneValue({ milestoneId: m.id }),
          "primary",
        ),
      ),
    );
  }
  if (model.milestonesDue.length > MILESTONES_SHOWN) {
    blocks.push(context(`${model.milestonesDue.length - MILESTONES_SHOWN} more: \`/milestone list\`.`));
  }

  if (model.draftsToIssue.length > 0 || model.roles.includes("billing")) {
    blocks.push(divider(), header("Invoices waiting for your click"));
    if (model.draftsToIssue.length === 0) blocks.push(context("No draft waiting."));
    for (const d of model.draftsToIssue.slice(0, DRAFTS_SHOWN)) {
      const amount = formatMoney({ amountMinor: d.totalMinor, currency: d.currency }, model.locale);
      blocks.push(
        section(
          `*${escapeMrkdwn(d.clientName)}* · ${escapeMrkdwn(d.label)}\n${amount}${d.status === "held" ? " · on hold" : ""}`,
        ),
        actions([
          button(
            "Issue & send",
            ACTIONS.issueAndSend,
            encodeInvoiceValue({ invoiceId: d.invoiceId }),
            "primary",
          ),
          button("Edit", ACTIONS.editDraft, encodeInvoiceValue({ invoiceId: d.invoiceId })),
        ]),
      );
    }
    if (model.draftsToIssue.length > DRAFTS_SHOWN) {
      blocks.push(
        context(`${model.draftsToIssue.length - DRAFTS_SHOWN} more drafts in the billing channel.`),
      );
    }
  }

  if (model.pendingApprovals) {
    blocks.push(divider(), ...buildPendingApprovalsSection(model.pendingApprovals, APPROVAL_BLOCKS));
  }

  if (model.collections) {
    const { items, total } = model.collections;
    blocks.push(divider(), header(`Overdue invoices for you${total > 0 ? ` (${total})` : ""}`));
    if (items.length === 0) blocks.push(context("Nothing overdue on your clients or projects."));
    for (const item of items.slice(0, OVERDUE_SHOWN)) {
      const amount = formatMoney({ amountMinor: item.openMinor, currency: item.currency }, model.locale);
      const project = item.projectName ? ` · ${escapeMrkdwn(item.projectName)}` : "";
      const why = item.asCollector ? "you collect" : "your project";
      const note = item.note ? ` · _${escapeMrkdwn(item.note)}_` : "";
      blocks.push(
        section(
          `*${escapeMrkdwn(item.number)}* · ${escapeMrkdwn(item.clientName)}${project}\n${amount} open · ${item.daysPastDue} d overdue (due ${item.dueDate}) · ${why}${note}`,
        ),
        actions(collectionButtons(item.invoiceId), `home_collection:${item.invoiceId}`),
      );
    }
    const hidden = total - Math.min(items.length, OVERDUE_SHOWN);
    if (hidden > 0) blocks.push(context(`${hidden} more overdue: \`/aging\` has them all.`));
  }

  if (model.aging) {
    const aging = buildAgingHomeSection(model.aging, model.locale);
    blocks.push(divider(), header(aging.title), ...aging.blocks.slice(0, 3));
  }

  for (const extra of model.extraSections ?? []) {
    blocks.push(divider(), header(extra.title), ...extra.blocks.slice(0, EXTRA_BLOCKS));
  }

  if (model.isAdmin && model.deliveries && model.deliveries.length > 0) {
    blocks.push(divider(), header("Deliveries"), section(model.deliveries.map(escapeMrkdwn).join("\n")));
  }

  if (model.isAdmin) {
    blocks.push(
      divider(),
      header("Settings"),
      actions([button("Open settings", ACTIONS.openSetup, "setup")]),
    );
  }
  return {
    type: "home",
    blocks: capBlocks(blocks, LIMITS.viewBlocks, (n) => `${n} more items not shown.`),
  };
}
