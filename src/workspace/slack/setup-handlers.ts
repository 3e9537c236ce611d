// The setup modal's submission and its Invoicing details modal (pushed over it by its button, saved
// by name with the same checks as `cobro settings set`): refusals come back next to their field.
import { t } from "../../i18n/index.ts";
import type { ActionArgs, ViewArgs } from "../../slack/kit/handler.ts";
import { SetupMetadata } from "../../slack/kit/ids.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  pushModal,
  slackProfileOf,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { changeWorkspaceSettings } from "../change-workspace-settings.ts";
import { listWorkspaceSettings } from "../list-workspace-settings.ts";
import { updateWorkspaceSettings } from "../update-workspace-settings.ts";
import {
  buildSettingsDetailsModal,
  fieldRefusals,
  SETTING_FIELD_ACTION,
  settingText,
} from "./settings-details-modal.ts";
import { buildMessageModal } from "./setup-modal.ts";
import { readSetupValues, toFieldErrors } from "./setup-values.ts";

/** Saved before the ack (one short transaction) so that field errors can be shown in the modal. */
export async function workspaceSetupSubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const locale = localeOf(context);
  const answer = (text: string) =>
    ack({
      response_action: "update",
      view: buildMessageModal(t(locale, "workspace.setup.title"), text, locale),
    });
  if (!SetupMetadata.safeParse(view.private_metadata).success) {
    return await answer(`:no_entry: ${t(locale, "workspace.setup.out_of_date")}`);
  }
  try {
    const result = await updateWorkspaceSettings(ctxOf(deps, context), {
      settings: readSetupValues(view.state.values),
      profileOf: slackProfileOf(context),
    });
    if (!result.ok)
      return await ack({ response_action: "errors", errors: toFieldErrors(result.errors, locale) });
    await answer(`:white_check_mark: ${t(locale, "workspace.setup.saved")}`);
  } catch (error) {
    await answer(`:no_entry: ${userMessageOf(error, deps, "setup submit", locale)}`);
  }
}

/** The setup modal's Invoicing details… button: every setting by name, over the setup modal. */
export async function workspaceOpenSettingsDetails(
  deps: ListenerDeps,
  { ack, body, context, client }: ActionArgs,
) {
  await ack();
  const locale = localeOf(context);
  let view: ReturnType<typeof buildSettingsDetailsModal>;
  try {
    const lines = await listWorkspaceSettings(ctxOf(deps, context), {});
    view = buildSettingsDetailsModal(lines, locale);
  } catch (error) {
    const refusal = `:no_entry: ${userMessageOf(error, deps, "settings details", locale)}`;
    view = buildMessageModal(t(locale, "workspace.details.title"), refusal, locale);
  }
  await pushModal(client, body.trigger_id, view).catch(logReplyFailure(deps, "views.push"));
}

/** Saved before the ack (one short transaction) so that a refused value shows next to its field. */
export async function workspaceSettingsDetailsSubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const locale = localeOf(context);
  const answer = (text: string) =>
    ack({
      response_action: "update",
      view: buildMessageModal(t(locale, "workspace.details.title"), text, locale),
    });
  const values = Object.fromEntries(
    Object.entries(view.state.values).map(([key, actions]) => [
      key,
      actions[SETTING_FIELD_ACTION]?.value ?? "",
    ]),
  );
  try {
    const result = await changeWorkspaceSettings(ctxOf(deps, context), { values });
    if (!result.ok)
      return await ack({ response_action: "errors", errors: fieldRefusals(result.refusals, locale) });
    if (result.changed.length === 0) return await answer(t(locale, "workspace.details.unchanged"));
    const keys = new Intl.ListFormat(locale).format(
      result.changed.map((k) => settingText(k, "label", locale, k)),
    );
    await answer(`:white_check_mark: ${t(locale, "workspace.details.saved", { keys })}`);
  } catch (error) {
    await answer(`:no_entry: ${userMessageOf(error, deps, "settings details submit", locale)}`);
  }
}
