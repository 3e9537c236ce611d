// Timesheet buttons and modals: Approve / Reject (reason modal) on the approver's request, Approve
// all on the App Home, Issue & send all on the billing digest, and the `/cobro time` modal. Each
// acks, parses with zod, calls one verb and renders one view, in the reader's language.
import { localToday } from "../../domain/overdue.ts";
import { t } from "../../i18n/index.ts";
import { issueAndSendInvoices } from "../../invoicing/index.ts";
import type { ActionArgs, ViewArgs } from "../../slack/kit/handler.ts";
import {
  ClickOrigin,
  channelOf,
  InvoicesButton,
  RejectMetadata,
  TIMESHEET_FIELDS,
  TimesheetButton,
  TimesheetsButton,
} from "../../slack/kit/ids.ts";
import { slackPortOf } from "../../slack/kit/slack-port.ts";
import {
  ctxOf,
  fieldValue,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  openModal,
  openModalAndFill,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { answerApprovalRequest } from "../answer-approval-request.ts";
import { approveTimesheets } from "../approve-timesheets.ts";
import { listTimeProjects } from "../list-time-projects.ts";
import { logTimeEntry } from "../log-time-entry.ts";
import { modalFieldErrors, timeEntryInput } from "./time-entry-form.ts";
import { readClick, timesheetAnswer } from "./timesheet-answer.ts";
import { buildDecidedRequest } from "./timesheet-messages.ts";
import { buildRejectModal, buildTimeEntryModal, buildTimeLoggedModal } from "./timesheet-modals.ts";
import { alreadyDecidedText, approvedAllText, issuedAllText } from "./timesheet-replies.ts";

/** Approve on a request (the request turns into its outcome) or on the App Home (a DM says it). */
export async function timesheetApprove(deps: ListenerDeps, args: ActionArgs) {
  const { context } = args;
  const click = await readClick(deps, args, TimesheetButton);
  if (!click) return;
  const { locale, answer } = click;
  try {
    const { timesheetId, version } = click.value;
    const decision = { verb: "approve" as const };
    const done = await answerApprovalRequest(ctxOf(deps, context), { timesheetId, version, decision });
    if (done.alreadyDone) return await answer.notice(alreadyDecidedText(done.summary, locale));
    await answer.decided(buildDecidedRequest(done.summary, locale));
  } catch (error) {
    await answer.failure(error, "approve timesheet");
  }
}

/** Reject opens the reason modal at once (trigger_id lives 3 s); it remembers the request to update. */
export async function timesheetReject(deps: ListenerDeps, args: ActionArgs) {
  const { ack, body, context, client } = args;
  await ack();
  const locale = localeOf(context);
  const answer = timesheetAnswer(deps, args, locale);
  const button = TimesheetButton.safeParse(body.actions[0]);
  const origin = ClickOrigin.safeParse(body);
  if (!button.success || !origin.success) return answer.notice(t(locale, "timesheets.out_of_date"));
  const request = { channel: channelOf(origin.data) ?? null, ts: origin.data.container?.message_ts ?? null };
  const metadata = JSON.stringify({ ref: button.data.value, ...request });
  await openModal(client, body.trigger_id, buildRejectModal(locale, metadata)).catch((error: unknown) =>
    answer.failure(error, "reject timesheet"),
  );
}

/** The reason submitted: refusals stay in the modal; the request turns into its outcome. */
export async function timesheetRejectSubmit(deps: ListenerDeps, { ack, view, context, client }: ViewArgs) {
  const locale = localeOf(context);
  const block = TIMESHEET_FIELDS.reason.block;
  const refuse = (message: string) => ack({ response_action: "errors", errors: { [block]: message } });
  const reason = fieldValue(view.state.values, TIMESHEET_FIELDS.reason);
  const meta = RejectMetadata.safeParse(view.private_metadata);
  if (!meta.success) return void (await refuse(t(locale, "timesheets.out_of_date")));
  if (reason === "") return void (await refuse(t(locale, "timesheets.reject.needs_reason")));
  const { ref, channel, ts } = meta.data;
  try {
    const decision = { verb: "reject" as const, reason };
    const { summary } = await answerApprovalRequest(ctxOf(deps, context), { ...ref, decision });
    await ack();
    if (channel && ts)
      await slackPortOf(client).updateMessage({ channel, ts, ...buildDecidedRequest(summary, locale) });
  } catch (error) {
    await refuse(userMessageOf(error, deps, "reject timesheet", locale)).catch((e: unknown) =>
      deps.logger.warn({ err: e }, "could not update the approval request"),
    );
  }
}

/** Approve all on the App Home: what the approver may decide, and why the others were skipped. */
export async function timesheetApproveAll(deps: ListenerDeps, args: ActionArgs) {
  const { context } = args;
  const click = await readClick(deps, args, TimesheetsButton);
  if (!click) return;
  const { locale, answer } = click;
  try {
    const timesheets = click.value.map((ref) => ({ id: ref.timesheetId, version: ref.version }));
    const result = await approveTimesheets(ctxOf(deps, context), { timesheets });
    await answer.notice(approvedAllText(result, locale));
  } catch (error) {
    await answer.failure(error, "approve all");
  }
}

/** Issue & send all on the billing digest: each draft issued once, the refused ones (or the refusal) named. */
export async function billingIssueAll(deps: ListenerDeps, args: ActionArgs) {
  const { context } = args;
  const click = await readClick(deps, args, InvoicesButton);
  if (!click) return;
  const { locale, answer } = click;
  const invoiceIds = click.value;
  const problem = (error: unknown) => userMessageOf(error, deps, "issue all", locale);
  let problems: string[];
  try {
    const outcomes = await issueAndSendInvoices(ctxOf(deps, context), { invoiceIds });
    problems = outcomes.flatMap((o) => (o.ok ? [] : [problem(o.error)]));
  } catch (error) {
    problems = invoiceIds.map(() => problem(error));
  }
  const issued = invoiceIds.length - problems.length;
  await answer
    .notice(issuedAllText({ issued, of: invoiceIds.length, problems }, locale))
    .catch(logReplyFailure(deps, "reply"));
}

/** `/cobro time`: the modal at once (trigger_id lives 3 s), then filled with the projects. */
export async function openTimeEntryModal(
  deps: ListenerDeps,
  client: ActionArgs["client"],
  input: { triggerId: string; context: Record<string, unknown>; channelId?: string },
): Promise<void> {
  await openModalAndFill(deps, client, {
    triggerId: input.triggerId,
    context: input.context,
    title: "timesheets.log.title",
    where: "/cobro time",
    fill: async (locale) => {
      const { projects, timeZone } = await listTimeProjects(ctxOf(deps, input.context));
      const today = localToday(deps.now(), timeZone);
      const metadata = JSON.stringify({ channelId: input.channelId ?? null });
      return buildTimeEntryModal({ today, projects, metadata, locale });
    },
  });
}

/** The `/cobro time` modal saved: the entry (and its week submitted), or each field's problem beside it. */
export async function timesheetLogSubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const locale = localeOf(context);
  try {
    const input = timeEntryInput(view.state.values);
    const result = await logTimeEntry(ctxOf(deps, context), input);
    await ack({ response_action: "update", view: buildTimeLoggedModal(locale, result) });
  } catch (error) {
    await ack({ response_action: "errors", errors: modalFieldErrors(error, deps, locale) });
  }
}
