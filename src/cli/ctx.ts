// The ctx of a CLI command: the operator at the terminal, with full rights, in the workspace they named.
import { type Ctx, contextFor, type ServiceDeps } from "../context.ts";
import { CLI_ACTOR } from "../domain/actor.ts";

export function cliCtx(deps: ServiceDeps, workspaceId: string): Ctx {
  return contextFor(deps, workspaceId, CLI_ACTOR);
}
