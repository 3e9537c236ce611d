// A token source reading each workspace's OAuth installation.
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { InstallationNotFoundError } from "./errors.ts";
import { findSlackTeamId } from "./repo.ts";
import type { SlackTokenSource } from "./slack-client.ts";

/** A token source reading each workspace's OAuth installation. */
export function installedBotToken(
  db: Db,
  fetchInstallation: (query: {
    teamId: string;
    enterpriseId: undefined;
    isEnterpriseInstall: false;
  }) => Promise<{
    bot?: { token?: string };
  }>,
): SlackTokenSource {
  return async (workspaceId) => {
    const teamId = await findSlackTeamId(db, workspaceId);
    if (!teamId) {
      throw new DomainError("slack.not_installed", `workspace ${workspaceId} has no Slack team`, {
        userMessage: "This workspace is not connected to Slack.",
      });
    }
    const installation = await fetchInstallation({
      teamId: teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    }).catch((error: unknown) => {
      // Not installed is a permanent refusal below; anything else (database down) is retried.
      if (error instanceof InstallationNotFoundError) return undefined;
      throw error;
    });
    const token = installation?.bot?.token;
    if (!token) {
      throw new DomainError("slack.not_installed", `no installation for ${teamId}`, {
        userMessage: "Cobro is not installed in this Slack workspace any more.",
      });
    }
    return token;
  };
}
