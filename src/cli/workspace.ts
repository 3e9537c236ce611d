import { linkWorkspaceTeam, resolveWorkspace } from "../workspace/index.ts";
import { parseArgs } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "workspace link <workspace name|id> <Slack team id T…>";

export const workspaceCommand: CliCommand = {
  summary: "bind a workspace to its Slack team (when Cobro could not tell which one on its own)",
  usage: USAGE,
  run: async ({ openApp, out, err }, args) => {
    const [verb, workspace, teamId, ...extra] = parseArgs(args, {}).positional;
    if (verb !== "link" || !workspace || !teamId || extra.length > 0) {
      err(`Usage: cobro ${USAGE}`);
      return EXIT.usage;
    }
    const app = await openApp();
    const { id } = await resolveWorkspace(app.db, workspace);
    const linked = await linkWorkspaceTeam(cliCtx(app, id), { teamId });
    if (linked.alreadyDone) {
      out(`Workspace "${linked.workspaceName}" is already bound to Slack team ${linked.teamId}.`);
      return EXIT.ok;
    }
    out(
      `Workspace "${linked.workspaceName}" is now bound to Slack team ${linked.teamId}${
        linked.previousTeamId ? ` (it was ${linked.previousTeamId})` : ""
      }: requests from that team see its data.`,
    );
    if (linked.unboundWorkspaceName) {
      out(
        `Workspace "${linked.unboundWorkspaceName}" had that team before and is now bound to none (\`cobro doctor\` lists it).`,
      );
    }
    return EXIT.ok;
  },
};
