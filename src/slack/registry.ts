// Cobro's whole Slack surface on one screen: every slash command, action, modal (view), menu
// search (block_suggestion) and event it answers, and the handler that answers it. app.ts
// registers from here; handlers live in their capability's slack/ folder (≤ 40 lines each).
import type { App, BlockAction, ViewSubmitAction } from "@slack/bolt";
import {
  agingCommand,
  agingDebtorMenu,
  agingDrill,
  agingExportCsv,
  agingFilter,
  agingFilterOptions,
  agingInvoiceMenu,
  agingShare,
  agingStatement,
  agingStatementCancel,
  agingStatementPreview,
  agingSummary,
  agingTrend,
} from "../aging/index.ts";
import {
  collectionApproveFormal,
  collectionAssignToMe,
  collectionClientPaymentSubmit,
  collectionDisputeSubmit,
  collectionModalButton,
  collectionPauseSubmit,
  collectionPaymentSubmit,
  collectionPolicySubmit,
  collectionPromiseSubmit,
  collectionRemindNow,
} from "../collections/index.ts";
import { homeMarkMilestoneDone, homeOpened, homeOpenSetup } from "../home/index.ts";
import { BANK_ACTIONS, bankFileShared, bankLineConfirm, bankLineNotOurs } from "../imports/index.ts";
import {
  clientEditSubmit,
  invoiceEditDraft,
  invoiceEditDraftSubmit,
  invoiceHold,
  invoiceIssueAndSend,
  milestoneCommand,
  milestonePickSubmit,
  projectEditSubmit,
} from "../invoicing/index.ts";
import {
  billingIssueAll,
  timesheetApprove,
  timesheetApproveAll,
  timesheetLogSubmit,
  timesheetReject,
  timesheetRejectSubmit,
} from "../timesheets/index.ts";
import {
  workspaceAppUninstalled,
  workspaceOpenSettingsDetails,
  workspaceSettingsDetailsSubmit,
  workspaceSetupSubmit,
  workspaceTokensRevoked,
} from "../workspace/index.ts";
import { cobroCommand } from "./cobro-handlers.ts";
import { deliveryUnknownAnswer } from "./delivery-handlers.ts";
import type { ActionArgs, CommandArgs, EventArgs, Handler, OptionsArgs, ViewArgs } from "./kit/handler.ts";
import {
  ACTIONS,
  AGING_ACTIONS,
  CALLBACKS,
  COLLECTION_ACTIONS,
  COLLECTION_CALLBACKS,
  COMMANDS,
  TIMESHEET_ACTIONS,
  TIMESHEET_CALLBACKS,
} from "./kit/ids.ts";
import type { ListenerDeps } from "./kit/support.ts";

/** `numbered`: the view numbers the id (`aging_bucket_0`, `_1`…) to keep it unique in one message. */
export type Route<Args> = { id: string; numbered?: true; handler: Handler<Args> };

/** An Events API subscription (manifest.yml's bot_events): each handler typed by its own event. */
export type EventRoute = { id: string; handler: Handler<EventArgs<string>> };
const event = <Type extends string>(id: Type, handler: Handler<EventArgs<Type>>): EventRoute => ({
  id,
  handler: handler as Handler<EventArgs<string>>,
});

export const SLACK_REGISTRY: {
  commands: Route<CommandArgs>[];
  actions: Route<ActionArgs>[];
  views: Route<ViewArgs>[];
  options: Route<OptionsArgs>[];
  events: EventRoute[];
} = {
  commands: [
    { id: COMMANDS.milestone, handler: milestoneCommand },
    { id: COMMANDS.aging, handler: agingCommand },
    { id: COMMANDS.cobro, handler: cobroCommand },
  ],
  actions: [
    { id: ACTIONS.issueAndSend, handler: invoiceIssueAndSend },
    { id: ACTIONS.editDraft, handler: invoiceEditDraft },
    { id: ACTIONS.holdDraft, handler: invoiceHold },
    { id: ACTIONS.markMilestoneDone, handler: homeMarkMilestoneDone },
    { id: ACTIONS.deliverySendAgain, handler: deliveryUnknownAnswer },
    { id: ACTIONS.deliveryArrived, handler: deliveryUnknownAnswer },
    { id: ACTIONS.openSetup, handler: homeOpenSetup },
    { id: ACTIONS.openSettingsDetails, handler: workspaceOpenSettingsDetails },
    { id: AGING_ACTIONS.bucket, numbered: true, handler: agingDrill },
    { id: AGING_ACTIONS.pageNext, handler: agingDrill },
    { id: AGING_ACTIONS.pagePrev, handler: agingDrill },
    { id: AGING_ACTIONS.back, handler: agingSummary },
    { id: AGING_ACTIONS.metrics, handler: agingSummary },
    { id: AGING_ACTIONS.filterClient, handler: agingFilter },
    { id: AGING_ACTIONS.filterProject, handler: agingFilter },
    { id: AGING_ACTIONS.filterCollector, handler: agingFilter },
    { id: AGING_ACTIONS.filterCurrency, handler: agingFilter },
    { id: AGING_ACTIONS.debtorMenu, handler: agingDebtorMenu },
    { id: AGING_ACTIONS.invoiceMenu, handler: agingInvoiceMenu },
    { id: AGING_ACTIONS.share, handler: agingShare },
    { id: AGING_ACTIONS.exportCsv, handler: agingExportCsv },
    { id: AGING_ACTIONS.trend, handler: agingTrend },
    { id: AGING_ACTIONS.statement, handler: agingStatementPreview },
    { id: AGING_ACTIONS.statementSend, handler: agingStatement },
    { id: AGING_ACTIONS.statementCancel, handler: agingStatementCancel },
    { id: COLLECTION_ACTIONS.recordPayment, handler: collectionModalButton },
    { id: COLLECTION_ACTIONS.promiseToPay, handler: collectionModalButton },
    { id: COLLECTION_ACTIONS.pause, handler: collectionModalButton },
    { id: COLLECTION_ACTIONS.dispute, handler: collectionModalButton },
    { id: COLLECTION_ACTIONS.sendReminderNow, handler: collectionRemindNow },
    { id: COLLECTION_ACTIONS.assignToMe, handler: collectionAssignToMe },
    { id: COLLECTION_ACTIONS.approveFormal, handler: collectionApproveFormal },
    { id: BANK_ACTIONS.confirm, handler: bankLineConfirm },
    { id: BANK_ACTIONS.pick, handler: bankLineConfirm },
    { id: BANK_ACTIONS.notOurs, handler: bankLineNotOurs },
    { id: TIMESHEET_ACTIONS.approve, handler: timesheetApprove },
    { id: TIMESHEET_ACTIONS.reject, handler: timesheetReject },
    { id: TIMESHEET_ACTIONS.approveAll, handler: timesheetApproveAll },
    { id: TIMESHEET_ACTIONS.issueAll, handler: billingIssueAll },
  ],
  views: [
    { id: CALLBACKS.setup, handler: workspaceSetupSubmit },
    { id: CALLBACKS.settingsDetails, handler: workspaceSettingsDetailsSubmit },
    { id: CALLBACKS.pickMilestone, handler: milestonePickSubmit },
    { id: CALLBACKS.editDraft, handler: invoiceEditDraftSubmit },
    { id: CALLBACKS.editClient, handler: clientEditSubmit },
    { id: CALLBACKS.editProject, handler: projectEditSubmit },
    { id: CALLBACKS.editPolicy, handler: collectionPolicySubmit },
    { id: COLLECTION_CALLBACKS.recordPayment, handler: collectionPaymentSubmit },
    { id: COLLECTION_CALLBACKS.clientPayment, handler: collectionClientPaymentSubmit },
    { id: COLLECTION_CALLBACKS.promiseToPay, handler: collectionPromiseSubmit },
    { id: COLLECTION_CALLBACKS.pause, handler: collectionPauseSubmit },
    { id: COLLECTION_CALLBACKS.dispute, handler: collectionDisputeSubmit },
    { id: TIMESHEET_CALLBACKS.reject, handler: timesheetRejectSubmit },
    { id: TIMESHEET_CALLBACKS.log, handler: timesheetLogSubmit },
  ],
  options: [
    { id: AGING_ACTIONS.filterClient, handler: agingFilterOptions },
    { id: AGING_ACTIONS.filterProject, handler: agingFilterOptions },
  ],
  events: [
    event("app_home_opened", homeOpened),
    event("app_uninstalled", workspaceAppUninstalled),
    event("tokens_revoked", workspaceTokensRevoked),
    event("file_shared", bankFileShared),
  ],
};

const idOf = (route: Route<never>) => (route.numbered ? new RegExp(`^${route.id}_\\d+$`) : route.id);

export function registerSlackRegistry(app: App, deps: ListenerDeps): void {
  for (const { id, handler } of SLACK_REGISTRY.commands) app.command(id, (args) => handler(deps, args));
  for (const route of SLACK_REGISTRY.actions) {
    app.action<BlockAction>(idOf(route), (args) => route.handler(deps, args));
  }
  for (const route of SLACK_REGISTRY.views) {
    app.view<ViewSubmitAction>(idOf(route), (args) => route.handler(deps, args));
  }
  for (const route of SLACK_REGISTRY.options) {
    app.options<"block_suggestion">(idOf(route), (args) => route.handler(deps, args));
  }
  for (const { id, handler } of SLACK_REGISTRY.events) app.event(id, (args) => handler(deps, args));
}
