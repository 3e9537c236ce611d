// The Invoicing details modal: pushed over `/cobro setup` by its button, saved by name with the
// same checks as `cobro settings set`; a refused value comes back next to its field.

import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { slackText } from "../../slack/kit/blocks.ts";
import { ACTIONS, CALLBACKS } from "../../slack/kit/ids.ts";
import {
  actorOf,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { changeWorkspaceSettings } from "../change-workspace-settings.ts";
import { listWorkspaceSettings } from "../list-workspace-settings.ts";
import { buildSettingsDetailsModal, SETTING_FIELD_ACTION } from "./settings-details-modal.ts";
import { buildMessageModal } from "./setup-modal.ts";

const TITLE = "Invoicing details";

export function registerSettingsDetails(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.openSettingsDetails,
    async ({ ack, body, context, client }) => {
      await ack();
      let view: ReturnType<typeof buildSettingsDetailsModal>;
      try {
        const actor = await actorOf(deps, context, body.user.id);
        const lines = await listWorkspaceSettings(deps.db, { workspaceId: workspaceIdOf(context), actor });
        view = buildSettingsDetailsModal(lines);
      } catch (error) {
        view = buildMessageModal(
          TITLE,
          slackText`:no_entry: ${userMessageOf(error, deps, "settings details")}`,
        );
      }
      await client.views
        .push({ trigger_id: body.trigger_id, view })
        .catch(logReplyFailure(deps, "views.push"));
    },
  );

  // Saved before the ack (one short transaction) so that a refused value shows next to its field.
  app.view(CALLBACKS.settingsDetails, async ({ ack, body, view, context }) => {
    const values: Record<string, string> = {};
    for (const [key, actions] of Object.entries(view.state.values)) {
      values[key] = actions[SETTING_FIELD_ACTION]?.value ?? "";
    }
    try {
      const actor = await actorOf(deps, context, body.user.id);
      const result = await changeWorkspaceSettings(deps, {
        workspaceId: workspaceIdOf(context),
        actor,
        values,
      });
      if (!result.ok) return await ack({ response_action: "errors", errors: result.errors });
      const text =
        result.changed.length === 0
          ? "Nothing changed."
          : `:white_check_mark: Saved: ${result.changed.join(", ")}. They apply from now on.`;
      await ack({ response_action: "update", view: buildMessageModal(TITLE, text) });
    } catch (error) {
      const text = slackText`:no_entry: ${userMessageOf(error, deps, "settings details submit")}`;
      await ack({ response_action: "update", view: buildMessageModal(TITLE, text) });
    }
  });
}
