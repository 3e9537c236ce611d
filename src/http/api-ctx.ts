// The ctx of an HTTP API request: the workspace and the actor are the authenticated key's, never the body's.
import { type Ctx, contextFor, type ServiceDeps } from "../context.ts";
import type { ApiPrincipal } from "../workspace/index.ts";

export function apiCtx(deps: ServiceDeps, principal: ApiPrincipal): Ctx {
  return contextFor(deps, principal.workspaceId, {
    kind: "apiKey",
    keyId: principal.keyId,
    prefix: principal.prefix,
  });
}
