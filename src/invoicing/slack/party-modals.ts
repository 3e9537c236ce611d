// `/cobro client <name>` and `/cobro project <code>`: a modal showing the details, saved with the
// CSV's rules; a bad value comes back next to its field (response_action: errors).

import type { App, ViewOutput, webApi } from "@slack/bolt";
import { slackText } from "../../slack/kit/blocks.ts";
import { CALLBACKS, decodeModalMetadata } from "../../slack/kit/ids.ts";
import {
  actorOf,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { loadClientDetails } from "../load-client-details.ts";
import { loadProjectDetails } from "../load-project-details.ts";
import { updateClientDetails } from "../update-client-details.ts";
import { updateProjectDetails } from "../update-project-details.ts";
import { buildClientModal, buildProjectModal, PARTY_FIELD_ACTION } from "./party-modals-view.ts";

type Kind = "client" | "project";
const TITLE: Record<Kind, string> = { client: "Client", project: "Project" };

/** Opens the modal at once (trigger_id lives 3 s), then fills it or says why not. */
export async function openPartyModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    kind: Kind;
    reference: string;
    triggerId: string;
    userId: string;
    context: Record<string, unknown>;
  },
): Promise<void> {
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: buildLoadingModal(TITLE[input.kind]),
  });
  const viewId = opened.view?.id;
  if (!viewId) return;
  try {
    const actor = await actorOf(deps, input.context, input.userId);
    const query = { workspaceId: workspaceIdOf(input.context), actor, reference: input.reference };
    const view =
      input.kind === "client"
        ? buildClientModal(await loadClientDetails(deps.db, query))
        : buildProjectModal(await loadProjectDetails(deps.db, query));
    await client.views.update({ view_id: viewId, view });
  } catch (error) {
    const text = slackText`:no_entry: ${userMessageOf(error, deps, `/cobro ${input.kind}`)}`;
    await client.views
      .update({ view_id: viewId, view: buildMessageModal(TITLE[input.kind], text) })
      .catch(logReplyFailure(deps, "reply"));
  }
}

/** Every input's value by its block_id (the CSV column): text, or the selected option. */
function formValues(values: ViewOutput["state"]["values"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [block, actions] of Object.entries(values)) {
    const input = actions[PARTY_FIELD_ACTION];
    out[block] = input?.value ?? input?.selected_option?.value ?? "";
  }
  return out;
}

export function registerPartyModals(app: App, deps: ListenerDeps): void {
  // Saved before the ack (one short transaction) so that a bad value shows next to its field.
  for (const kind of ["client", "project"] as const) {
    const callbackId = kind === "client" ? CALLBACKS.editClient : CALLBACKS.editProject;
    app.view(callbackId, async ({ ack, body, view, context }) => {
      const meta = decodeModalMetadata(view.private_metadata);
      const fields = formValues(view.state.values);
      try {
        const actor = await actorOf(deps, context, body.user.id);
        const workspaceId = workspaceIdOf(context);
        const result =
          kind === "client" && meta.clientId
            ? await updateClientDetails(deps, { workspaceId, actor, clientId: meta.clientId, fields })
            : kind === "project" && meta.projectId
              ? await updateProjectDetails(deps, { workspaceId, actor, projectId: meta.projectId, fields })
              : undefined;
        if (!result) {
          const again = `This form is out of date: run \`/cobro ${kind}\` again.`;
          return await ack({ response_action: "update", view: buildMessageModal(TITLE[kind], again) });
        }
        if (!result.ok) return await ack({ response_action: "errors", errors: result.errors });
        const saved = slackText`:white_check_mark: *${fields.name}* saved. New invoices use these details.`;
        await ack({ response_action: "update", view: buildMessageModal(TITLE[kind], saved) });
      } catch (error) {
        const text = slackText`:no_entry: ${userMessageOf(error, deps, `${kind} submit`)}`;
        await ack({ response_action: "update", view: buildMessageModal(TITLE[kind], text) });
      }
    });
  }
}
