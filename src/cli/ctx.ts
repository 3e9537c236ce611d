// The ctx of a CLI command: the operator at the terminal, with full rights, in the workspace they named.
import { type Ctx, contextFor, type ServiceDeps } from "../context.ts";
import { CLI_ACTOR } from "../domain/permissions.ts";

export function cliCtx(deps: ServiceDeps, workspaceId: string): Ctx {
  return contextFor(deps, workspaceId, CLI_ACTOR);
}

/** The workspace of install-wide reference data (the late-interest table): none; those verbs never read it. */
export const NO_WORKSPACE = "";
