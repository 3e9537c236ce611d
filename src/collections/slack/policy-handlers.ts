// `/cobro policy …`: the reminder policy in force in a modal, saved for that client, project or
// profile; a policy Cobro refuses (fewer than three reminders before the formal notice…) is
// explained under the levels field.
import type { webApi } from "@slack/bolt";
import { t } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import type { ViewArgs } from "../../slack/kit/handler.ts";
import { PolicyModalMetadata } from "../../slack/kit/ids.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  openModalAndFill,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildMessageModal } from "../../workspace/index.ts";
import { loadDunningPolicy, type PolicyScope } from "../load-dunning-policy.ts";
import { saveDunningPolicy } from "../save-dunning-policy.ts";
import { buildPolicyModal, POLICY_FIELDS, policyRefusalText } from "./policy-modal-view.ts";

export async function openPolicyModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { scope: PolicyScope; triggerId: string; context: Record<string, unknown> },
): Promise<void> {
  await openModalAndFill(deps, client, {
    triggerId: input.triggerId,
    context: input.context,
    title: "collections.policy.title",
    where: "/cobro policy",
    fill: async (locale) =>
      buildPolicyModal(await loadDunningPolicy(ctxOf(deps, input.context), { scope: input.scope }), locale),
  });
}

/** Saved before the ack (one short transaction) so that a refusal shows under the levels. */
export async function collectionPolicySubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const locale = localeOf(context);
  const say = (text: string) =>
    ack({
      response_action: "update",
      view: buildMessageModal(t(locale, "collections.policy.title"), text, locale),
    });
  const target = PolicyModalMetadata.safeParse(view.private_metadata);
  if (!target.success) return await say(t(locale, "collections.policy.out_of_date"));
  const text = (f: { block: string; action: string }) => view.state.values[f.block]?.[f.action]?.value ?? "";
  try {
    const result = await saveDunningPolicy(ctxOf(deps, context), {
      target: target.data,
      name: text(POLICY_FIELDS.name),
      levelsText: text(POLICY_FIELDS.levels),
    });
    if (!result.ok) {
      const errors = { [POLICY_FIELDS.levels.block]: policyRefusalText(result.levels, locale) };
      return await ack({ response_action: "errors", errors });
    }
    await say(t(locale, `collections.policy.${result.outcome}`));
  } catch (error) {
    await say(slackText`:no_entry: ${userMessageOf(error, deps, "policy submit", locale)}`);
  }
}
