// Events that end an installation: the app uninstalled, or its bot token revoked. The team's
// installation is forgotten (OAuth mode); with one bot token there is nothing stored to forget.
import type { EventArgs } from "../../slack/kit/handler.ts";
import type { ListenerDeps } from "../../slack/kit/support.ts";

async function forgetInstallation(deps: ListenerDeps, context: Record<string, unknown>, why: string) {
  if (!deps.removeInstallation) return;
  const teamId = typeof context.teamId === "string" ? context.teamId : undefined;
  const enterpriseId = typeof context.enterpriseId === "string" ? context.enterpriseId : undefined;
  await deps.removeInstallation({
    ...(teamId ? { teamId } : {}),
    ...(enterpriseId ? { enterpriseId } : {}),
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  });
  deps.logger.info({ teamId, enterpriseId, why }, "slack installation removed");
}

export async function workspaceAppUninstalled(deps: ListenerDeps, { context }: EventArgs<"app_uninstalled">) {
  await forgetInstallation(deps, context, "app_uninstalled");
}

export async function workspaceTokensRevoked(
  deps: ListenerDeps,
  { event, context }: EventArgs<"tokens_revoked">,
) {
  // Only a revoked bot token makes the installation useless; user tokens are not used.
  if ((event.tokens.bot?.length ?? 0) > 0) await forgetInstallation(deps, context, "tokens_revoked");
}
