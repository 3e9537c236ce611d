// Every workspace that uses VERI*FACTU with where its sending stands (for `cobro doctor`).
import type { ServiceDeps } from "../../context.ts";
import type { VerifactuBacklog } from "../../domain/verifactu-backlog.ts";
import { loadVerifactuBacklog } from "./load-verifactu-backlog.ts";
import { workspacesUsingVerifactu } from "./repo.ts";

export async function loadVerifactuOverview(
  deps: Pick<ServiceDeps, "db">,
): Promise<{ workspaceName: string; backlog: VerifactuBacklog }[]> {
  const result = [];
  for (const workspace of await workspacesUsingVerifactu(deps.db)) {
    result.push({
      workspaceName: workspace.name,
      backlog: await loadVerifactuBacklog(deps, { workspaceId: workspace.id }),
    });
  }
  return result;
}
