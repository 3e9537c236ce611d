// Confirm, Pick another and Not ours on a bank credit's card (routes in src/slack/registry.ts):
// collectors settle what Cobro was not sure of, and the card then says what was done and by whom.

import type { Ctx } from "../../context.ts";
import type { BankReason } from "../../domain/bank-matching.ts";
import { t } from "../../i18n/index.ts";
import type { ActionArgs } from "../../slack/kit/handler.ts";
import { buildErrorReply, errorReply } from "../../slack/kit/replies.ts";
import { ctxOf, type ListenerDeps, localeOf, logReplyFailure } from "../../slack/kit/support.ts";
import { bankReasonText } from "../bank-reason-text.ts";
import { confirmBankLine } from "../confirm-bank-line.ts";
import { dismissBankLine } from "../dismiss-bank-line.ts";
import { loadBankLine } from "../load-bank-line.ts";
import { buildBankSettledCard } from "./bank-card-view.ts";

type Choice = { bankLineId: string; invoiceId?: string };
/** What was done, for the card: the line's recorded reason, or a catalogue message (with the reason). */
type Outcome =
  | { reason: BankReason }
  | { key: "imports.card.already_as"; reason: BankReason }
  | { key: "imports.card.already" | "imports.card.dismissed" };
type Run = (ctx: Ctx, choice: Choice) => Promise<Outcome>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A button's value is the line id; a Pick another option's is `line id:invoice id`. */
function choiceOf(value: string | undefined): Choice | null {
  const [bankLineId, invoiceId, ...rest] = (value ?? "").split(":");
  if (!bankLineId || !UUID.test(bankLineId) || rest.length > 0) return null;
  if (invoiceId !== undefined && !UUID.test(invoiceId)) return null;
  return invoiceId ? { bankLineId, invoiceId } : { bankLineId };
}

async function settle(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs, run: Run) {
  await ack();
  const reader = localeOf(context);
  const outOfDate = () => buildErrorReply(t(reader, "imports.card.out_of_date"));
  const ephemeral = (message: { text: string }) =>
    respond({ response_type: "ephemeral", replace_original: false, ...message });
  const action = body.actions[0] as { value?: string; selected_option?: { value?: string } } | undefined;
  try {
    const choice = choiceOf(action?.selected_option?.value ?? action?.value);
    if (!choice) return void (await ephemeral(outOfDate()));
    const ctx = ctxOf(deps, context);
    const done = await run(ctx, choice);
    const line = await loadBankLine(ctx, { bankLineId: choice.bankLineId });
    if (!line) return void (await ephemeral(outOfDate()));
    const said = "reason" in done ? bankReasonText(done.reason, line.locale) : "";
    const outcome = "key" in done ? t(line.locale, done.key, { outcome: said }) : said;
    await respond({
      replace_original: true,
      ...buildBankSettledCard(line, outcome, body.user.id, line.locale),
    });
  } catch (error) {
    await ephemeral(errorReply(error, deps, "bank card", reader)).catch(logReplyFailure(deps, "bank card"));
  }
}

/** Confirm (the suggestion) and Pick another (the chosen invoice). */
export function bankLineConfirm(deps: ListenerDeps, args: ActionArgs) {
  return settle(deps, args, async (ctx, choice) => {
    const result = await confirmBankLine(ctx, { ...choice, via: "slack" });
    return result.alreadyDone
      ? { key: "imports.card.already_as", reason: result.outcome }
      : { reason: result.outcome };
  });
}

export function bankLineNotOurs(deps: ListenerDeps, args: ActionArgs) {
  return settle(deps, args, async (ctx, choice) => {
    const result = await dismissBankLine(ctx, choice);
    return result.alreadyDone ? { key: "imports.card.already" } : { key: "imports.card.dismissed" };
  });
}
