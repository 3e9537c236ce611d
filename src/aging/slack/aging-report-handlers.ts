// `/aging` and the buttons and menus that move around the report: ack, parse, one service, one view,
// in the reader's language. The workspace always comes from the verified team_id
// (context.workspaceId), never from a value.
import { isDomainError } from "../../domain/errors.ts";
import type { ActionArgs, CommandArgs, OptionsArgs } from "../../slack/kit/handler.ts";
import { AgingButton, AgingFilterPick } from "../../slack/kit/ids.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  readerLocale,
  responder,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildAgingReport } from "../build-aging-report.ts";
import { listAgingFilterChoices } from "../list-aging-filter-choices.ts";
import { listAgingInvoices } from "../list-aging-invoices.ts";
import { staleReply } from "./aging-replies.ts";
import {
  agingInvoicesModel,
  agingMessageModel,
  agingRequestOf,
  buildAgingErrorMessage,
  buildAgingFilterOptions,
  buildAgingInvoicesMessage,
  buildAgingMessage,
  FILTER_SEARCHES,
  filteredState,
  parseAgingArgs,
  summaryRequestOf,
} from "./aging-report.ts";

export async function agingCommand(deps: ListenerDeps, { ack, command, respond, context }: CommandArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const args = parseAgingArgs(command.text, locale);
  let asked = false;
  try {
    const ctx = ctxOf(deps, context);
    asked = true;
    if (!args.ok) return await answer.reply(buildAgingErrorMessage(args.problem, locale));
    const { asOf, basis, target } = args;
    const shown = await buildAgingReport(ctx, summaryRequestOf({ asOf, basis, target, withMetrics: false }));
    await answer.reply(buildAgingMessage(agingMessageModel(shown, locale)));
  } catch (error) {
    const message = userMessageOf(error, deps, "aging command", locale);
    // Someone Cobro cannot place, or not allowed, is told whom to ask, as every command tells them.
    if (!asked || (isDomainError(error) && error.code === "permission.denied")) {
      await answer.notice(`:no_entry: ${message}`);
    } else await answer.reply(buildAgingErrorMessage(message, locale));
  }
}

/** A bucket's invoices, a page of them (bucket buttons, Next, Previous). */
export async function agingDrill(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const button = AgingButton.safeParse(body.actions[0]);
  if (!button.success || button.data.value.k === undefined) return answer.notice(staleReply(locale));
  const state = button.data.value;
  try {
    const request = agingRequestOf(state);
    const page = await listAgingInvoices(ctxOf(deps, context), {
      ...request,
      bucket: state.k ?? 0,
      page: state.n ?? 0,
    });
    await answer.replace(buildAgingInvoicesMessage(agingInvoicesModel(page, state, locale)));
  } catch (error) {
    await answer.failure(error, "aging drill-down");
  }
}

/** The summary again, as the button's state says (Back to summary, DSO · ADD · CEI). */
export async function agingSummary(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const button = AgingButton.safeParse(body.actions[0]);
  if (!button.success) return answer.notice(staleReply(locale));
  try {
    const request = agingRequestOf(button.data.value);
    const shown = await buildAgingReport(ctxOf(deps, context), summaryRequestOf(request));
    await answer.replace(buildAgingMessage(agingMessageModel(shown, locale)));
  } catch (error) {
    await answer.failure(error, "aging back");
  }
}

/** A filter picked in one of the report's menus (client, project, collector, currency). */
export async function agingFilter(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const pick = AgingFilterPick.safeParse(body.actions[0]);
  if (!pick.success) return answer.notice(staleReply(locale));
  const { action_id, block_id: state, selected_option } = pick.data;
  try {
    const next = filteredState(state, action_id, selected_option.value);
    const shown = await buildAgingReport(ctxOf(deps, context), summaryRequestOf(agingRequestOf(next)));
    await answer.replace(buildAgingMessage(agingMessageModel(shown, locale)));
  } catch (error) {
    await answer.failure(error, "aging filter");
  }
}

/** The client and project menus search as the user types (external selects). */
export async function agingFilterOptions(deps: ListenerDeps, { ack, body, options, context }: OptionsArgs) {
  const search = FILTER_SEARCHES[body.action_id];
  try {
    if (!search) throw new Error(`no aging search for ${body.action_id}`);
    const { choices } = await listAgingFilterChoices(ctxOf(deps, context), {
      kind: search.kind,
      query: options.value ?? "",
    });
    await ack(buildAgingFilterOptions(choices, search.kind, localeOf(context)));
  } catch (error) {
    userMessageOf(error, deps, "aging options");
    await ack({ options: [] });
  }
}
