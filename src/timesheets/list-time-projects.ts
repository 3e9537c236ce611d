// Projects time can be logged on (active, billed on time first), for the `/cobro time` modal.
import type { Ctx } from "../context.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listActiveTimeProjects } from "./repo.ts";

/** Any member may list them (the modal is theirs to log time with). */
export async function listTimeProjects(ctx: Ctx, _input: Record<string, never> = {}) {
  const projects = await listActiveTimeProjects(ctx.db, ctx.workspaceId);
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  return { projects, timeZone: workspace?.timeZone ?? "UTC" };
}
