// Events: the App Home is published when opened; uninstalls and revoked tokens drop the installation.
import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../../slack/kit/support.ts";
import { publishHome } from "./publish-home.ts";

export type InstallationRemover = (query: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}) => Promise<void>;

export function registerEvents(app: App, deps: ListenerDeps, removeInstallation?: InstallationRemover): void {
  app.event("app_home_opened", async ({ event, context, client }) => {
    if (event.tab !== "home") return;
    await publishHome(deps, client, { context, userId: event.user });
  });

  const uninstall = async (context: Record<string, unknown>, why: string) => {
    if (!removeInstallation) return;
    const teamId = typeof context.teamId === "string" ? context.teamId : undefined;
    const enterpriseId = typeof context.enterpriseId === "string" ? context.enterpriseId : undefined;
    const isEnterpriseInstall = context.isEnterpriseInstall === true;
    await removeInstallation({
      ...(teamId ? { teamId } : {}),
      ...(enterpriseId ? { enterpriseId } : {}),
      isEnterpriseInstall,
    });
    deps.logger.info({ teamId, enterpriseId, why }, "slack installation removed");
  };
  app.event("app_uninstalled", async ({ context }) => uninstall(context, "app_uninstalled"));
  app.event("tokens_revoked", async ({ event, context }) => {
    // Only a revoked bot token makes the installation useless; user tokens are not used.
    if ((event.tokens.bot?.length ?? 0) > 0) await uninstall(context, "tokens_revoked");
  });
}
