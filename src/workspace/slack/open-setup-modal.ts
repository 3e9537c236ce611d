// Opens the setup modal at once (/cobro setup, the App Home's button), then fills it with the
// settings, or explains the refusal in it, in the reader's language: the trigger_id lives 3 s.
import type { webApi } from "@slack/bolt";
import { encodeModalMetadata } from "../../slack/kit/ids.ts";
import { ctxOf, type ListenerDeps, openModalAndFill } from "../../slack/kit/support.ts";
import { loadWorkspaceSettings } from "../load-workspace-settings.ts";
import { buildSetupModal } from "./setup-modal.ts";

/** Opens the setup modal at once, then fills it (or explains the refusal in it). */
export async function openSetupModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { triggerId: string; userId: string; channelId?: string; context: Record<string, unknown> },
): Promise<void> {
  await openModalAndFill(deps, client, {
    triggerId: input.triggerId,
    context: input.context,
    title: "workspace.setup.title",
    where: "setup",
    fill: async (locale) => {
      const settings = await loadWorkspaceSettings(ctxOf(deps, input.context), {});
      const metadata = encodeModalMetadata(input.channelId ? { channelId: input.channelId } : {});
      // Before the first save the workspace's language is Cobro's default, not a choice: offer the admin's.
      return buildSetupModal(
        settings.seller.legalName ? settings : { ...settings, locale },
        locale,
        metadata,
      );
    },
  });
}
