// The Statement button of a client's /aging report: a preview of the statement of account first (its
// open items as a table, where it goes), then Send (agingStatement, claimed once a day) or Cancel.
import { previewClientStatement } from "../../collections/index.ts";
import { t } from "../../i18n/index.ts";
import type { ActionArgs } from "../../slack/kit/handler.ts";
import { AgingButton } from "../../slack/kit/ids.ts";
import { ctxOf, type ListenerDeps, readerLocale, responder } from "../../slack/kit/support.ts";
import { staleReply } from "./aging-replies.ts";
import { buildStatementPreview } from "./statement-preview.ts";

/** Statement of account…: the preview beside the report; nothing is sent before its Send button. */
export async function agingStatementPreview(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const state = AgingButton.safeParse(body.actions[0]).data?.value;
  if (!state?.c) return answer.notice(staleReply(locale));
  try {
    const preview = await previewClientStatement(ctxOf(deps, context), { client: state.c });
    await answer.notice(buildStatementPreview(preview, state, locale));
  } catch (error) {
    await answer.failure(error, "aging statement preview");
  }
}

/** Cancel under the preview: the preview gives way to a line saying nothing went. */
export async function agingStatementCancel(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  if (!AgingButton.safeParse(body.actions[0]).success) return answer.notice(staleReply(locale));
  await answer.replace({ text: t(locale, "aging.statement.cancelled") });
}
