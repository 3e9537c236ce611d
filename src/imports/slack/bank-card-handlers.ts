// Confirm, Pick another and Not ours on a bank credit's card (routes in src/slack/registry.ts):
// collectors settle what Cobro was not sure of, and the card then says what was done and by whom.

import type { Ctx } from "../../context.ts";
import type { ActionArgs } from "../../slack/kit/handler.ts";
import { buildErrorReply } from "../../slack/kit/replies.ts";
import { ctxOf, errorReply, type ListenerDeps, logReplyFailure } from "../../slack/kit/support.ts";
import { confirmBankLine } from "../confirm-bank-line.ts";
import { dismissBankLine } from "../dismiss-bank-line.ts";
import { loadBankLine } from "../load-bank-line.ts";
import { buildBankSettledCard } from "./bank-card-view.ts";

type Choice = { bankLineId: string; invoiceId?: string };
type Run = (ctx: Ctx, choice: Choice) => Promise<string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUT_OF_DATE = "This card is out of date: the bank credit is no longer waiting in Cobro.";
const BY = "a collector in Slack";

/** A button's value is the line id; a Pick another option's is `line id:invoice id`. */
function choiceOf(value: string | undefined): Choice | null {
  const [bankLineId, invoiceId, ...rest] = (value ?? "").split(":");
  if (!bankLineId || !UUID.test(bankLineId) || rest.length > 0) return null;
  if (invoiceId !== undefined && !UUID.test(invoiceId)) return null;
  return invoiceId ? { bankLineId, invoiceId } : { bankLineId };
}

async function settle(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs, run: Run) {
  await ack();
  const ephemeral = (message: { text: string }) =>
    respond({ response_type: "ephemeral", replace_original: false, ...message });
  const action = body.actions[0] as { value?: string; selected_option?: { value?: string } } | undefined;
  try {
    const choice = choiceOf(action?.selected_option?.value ?? action?.value);
    if (!choice) return void (await ephemeral(buildErrorReply(OUT_OF_DATE)));
    const ctx = ctxOf(deps, context);
    const outcome = await run(ctx, choice);
    const line = await loadBankLine(deps.db, ctx.workspaceId, choice.bankLineId);
    if (!line) return void (await ephemeral(buildErrorReply(OUT_OF_DATE)));
    await respond({ replace_original: true, ...buildBankSettledCard(line, outcome, body.user.id) });
  } catch (error) {
    await ephemeral(errorReply(error, deps, "bank card")).catch(logReplyFailure(deps, "bank card"));
  }
}

/** Confirm (the suggestion) and Pick another (the chosen invoice). */
export function bankLineConfirm(deps: ListenerDeps, args: ActionArgs) {
  return settle(deps, args, async (ctx, choice) => {
    const result = await confirmBankLine(ctx, { ...choice, by: BY });
    return result.alreadyDone ? `already settled: ${result.outcome}` : result.outcome;
  });
}

export function bankLineNotOurs(deps: ListenerDeps, args: ActionArgs) {
  return settle(deps, args, async (ctx, choice) => {
    const result = await dismissBankLine(ctx, choice);
    return result.alreadyDone ? "already settled" : "not ours";
  });
}
