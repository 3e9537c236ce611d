// Opens the setup modal at once (/cobro setup, the App Home's button), then fills it with the
// settings, or explains the refusal in it, in the reader's language: the trigger_id lives 3 s.
import type { webApi } from "@slack/bolt";
import { t } from "../../i18n/index.ts";
import { encodeModalMetadata } from "../../slack/kit/ids.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  openModal,
  readerLocale,
  updateModal,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { loadWorkspaceSettings } from "../load-workspace-settings.ts";
import { buildLoadingModal, buildMessageModal, buildSetupModal } from "./setup-modal.ts";

/** Opens the setup modal at once, then fills it (or explains the refusal in it). */
export async function openSetupModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { triggerId: string; userId: string; channelId?: string; context: Record<string, unknown> },
): Promise<void> {
  const known = localeOf(input.context);
  const title = t(known, "workspace.setup.title");
  const viewId = await openModal(client, input.triggerId, buildLoadingModal(title, known));
  const locale = await readerLocale(input.context);
  try {
    const settings = await loadWorkspaceSettings(ctxOf(deps, input.context), {});
    const metadata = encodeModalMetadata(input.channelId ? { channelId: input.channelId } : {});
    await updateModal(client, viewId, buildSetupModal(settings, locale, metadata));
  } catch (error) {
    const refusal = `:no_entry: ${userMessageOf(error, deps, "setup", locale)}`;
    await updateModal(client, viewId, buildMessageModal(t(locale, "workspace.setup.title"), refusal, locale));
  }
}
