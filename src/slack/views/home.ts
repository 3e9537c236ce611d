// The App Home tab: what needs this user now. Other areas (approvals, collections) add sections
// through `extraSections`.
import { formatMoney } from "../../domain/money.ts";
import { ACTIONS, encodeInvoiceValue, encodeMilestoneValue } from "../ids.ts";
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
} from "./blocks.ts";

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
  /** Sections contributed by other areas (timesheet approvals, collections), already built. */
  extraSections?: { title: string; blocks: Block[] }[];
};

const PER_LIST = 15;

export function buildHomeView(model: HomeModel): HomeView {
  const blocks: Block[] = [header("What needs you")];
  const rolesText = model.roles.length > 0 ? model.roles.join(", ") : "no role yet";
  blocks.push(context(`Your roles: ${rolesText}. \`/cobro help\` lists every command.`));

  blocks.push(divider(), header("Milestones due on your projects"));
  if (model.milestonesDue.length === 0) blocks.push(context("Nothing due."));
  for (const m of model.milestonesDue.slice(0, PER_LIST)) {
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
  if (model.milestonesDue.length > PER_LIST) {
    blocks.push(context(`${model.milestonesDue.length - PER_LIST} more: \`/milestone list\`.`));
  }

  if (model.draftsToIssue.length > 0 || model.roles.includes("billing")) {
    blocks.push(divider(), header("Invoices waiting for your click"));
    if (model.draftsToIssue.length === 0) blocks.push(context("No draft waiting."));
    for (const d of model.draftsToIssue.slice(0, PER_LIST)) {
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
    if (model.draftsToIssue.length > PER_LIST) {
      blocks.push(context(`${model.draftsToIssue.length - PER_LIST} more drafts in the billing channel.`));
    }
  }

  for (const extra of model.extraSections ?? []) {
    blocks.push(divider(), header(extra.title), ...extra.blocks);
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
