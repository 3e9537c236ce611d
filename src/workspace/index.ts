// The workspace capability's public entry: what other parts of Cobro may use.

export type { ApiPrincipal } from "./authenticate-api-key.ts";
export { authenticateApiKey } from "./authenticate-api-key.ts";
export { changeWorkspaceSettings } from "./change-workspace-settings.ts";
export { claimClick } from "./claim-click.ts";
export { createApiKey } from "./create-api-key.ts";
export { ensureSlackWorkspace } from "./ensure-slack-workspace.ts";
export { identifySlackUser } from "./identify-slack-user.ts";
export { createInstallationStore, type PostgresInstallationStore } from "./installation-store.ts";
export { linkWorkspaceTeam } from "./link-workspace-team.ts";
export { listApiKeys } from "./list-api-keys.ts";
export { listWorkspaceSettings } from "./list-workspace-settings.ts";
export { loadWorkspaceSettings } from "./load-workspace-settings.ts";
export { memberByEmail } from "./member-by-email.ts";
export { memberLocale } from "./member-locale.ts";
export { pruneSlackEvents } from "./prune-slack-events.ts";
export { readerLocaleOf } from "./reader-locale-of.ts";
export { registerSlackInstallation } from "./register-slack-installation.ts";
export type { WorkspaceRow } from "./repo.ts";
export {
  claimScheduledRun,
  findMemberRoles,
  findWorkspaceById,
  finishScheduledRun,
  listWorkspaces,
  lockWorkspace,
  renewScheduledRun,
  takeOverStaleRun,
  updateWorkspace,
} from "./repo.ts";
export { resolveActor } from "./resolve-actor.ts";
export { resolveWorkspace } from "./resolve-workspace.ts";
export { revokeApiKey } from "./revoke-api-key.ts";
export { setMemberLanguage } from "./set-member-language.ts";
export { chooseLanguage } from "./slack/choose-language.ts";
export { workspaceAppUninstalled, workspaceTokensRevoked } from "./slack/installation-handlers.ts";
export { openSetupModal } from "./slack/open-setup-modal.ts";
export {
  workspaceOpenSettingsDetails,
  workspaceSettingsDetailsSubmit,
  workspaceSetupSubmit,
} from "./slack/setup-handlers.ts";
export { buildLoadingModal, buildMessageModal, buildSetupModal } from "./slack/setup-modal.ts";
export { recordSlackEvent } from "./slack-events-repo.ts";
