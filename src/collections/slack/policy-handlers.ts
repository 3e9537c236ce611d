// `/cobro policy …`: the reminder policy in force in a modal, saved for that client, project or
// profile; a policy Cobro refuses (fewer than three reminders before the formal notice…) is
// explained under the levels field.
import type { webApi } from "@slack/bolt";
// Not in the catalogues yet: the modal stays whole in English (its title and labels are English too).
import { DEFAULT_LOCALE } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import type { ViewArgs } from "../../slack/kit/handler.ts";
import { PolicyModalMetadata } from "../../slack/kit/ids.ts";
import {
  actorOf,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { loadDunningPolicy, type PolicyScope } from "../load-dunning-policy.ts";
import { saveDunningPolicy } from "../save-dunning-policy.ts";
import { buildPolicyModal, POLICY_FIELDS } from "./policy-modal-view.ts";

const TITLE = "Reminder policy";

export async function openPolicyModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { scope: PolicyScope; triggerId: string; userId: string; context: Record<string, unknown> },
): Promise<void> {
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: buildLoadingModal(TITLE, DEFAULT_LOCALE),
  });
  const viewId = opened.view?.id;
  if (!viewId) return;
  try {
    const actor = await actorOf(deps, input.context, input.userId);
    const model = await loadDunningPolicy(deps.db, {
      workspaceId: workspaceIdOf(input.context),
      actor,
      scope: input.scope,
    });
    await client.views.update({ view_id: viewId, view: buildPolicyModal(model) });
  } catch (error) {
    const text = slackText`:no_entry: ${userMessageOf(error, deps, "/cobro policy")}`;
    await client.views
      .update({ view_id: viewId, view: buildMessageModal(TITLE, text, DEFAULT_LOCALE) })
      .catch(logReplyFailure(deps, "reply"));
  }
}

const SAID = {
  saved: ":white_check_mark: Saved. Reminders follow it from the next run.",
  removed: ":white_check_mark: Its own policy is removed: it follows the policy above it again.",
  unchanged: "Nothing changed.",
} as const;

/** Saved before the ack (one short transaction) so that a refusal shows under the levels. */
export async function collectionPolicySubmit(deps: ListenerDeps, { ack, body, view, context }: ViewArgs) {
  const say = (text: string) =>
    ack({ response_action: "update", view: buildMessageModal(TITLE, text, DEFAULT_LOCALE) });
  const target = PolicyModalMetadata.safeParse(view.private_metadata);
  if (!target.success)
    return await say(":warning: This form is out of date: open it again with `/cobro policy`.");
  const text = (f: { block: string; action: string }) => view.state.values[f.block]?.[f.action]?.value ?? "";
  try {
    const result = await saveDunningPolicy(deps, {
      workspaceId: workspaceIdOf(context),
      actor: await actorOf(deps, context, body.user.id),
      target: target.data,
      name: text(POLICY_FIELDS.name),
      levelsText: text(POLICY_FIELDS.levels),
    });
    if (!result.ok) {
      const errors = { [POLICY_FIELDS.levels.block]: result.errors.levels };
      return await ack({ response_action: "errors", errors });
    }
    await say(SAID[result.outcome]);
  } catch (error) {
    await say(slackText`:no_entry: ${userMessageOf(error, deps, "policy submit")}`);
  }
}
