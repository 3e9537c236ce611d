// Projects time can be logged on (active, billed on time first), for the `/cobro time` modal.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { projects, workspaces } from "../db/schema/index.ts";

export async function listTimeProjects(db: Db, workspaceId: string) {
  const rows = await db
    .select({ code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), eq(projects.active, true)))
    .orderBy(desc(projects.billingMode), projects.code)
    .limit(100);
  const [workspace] = await db
    .select({ timeZone: workspaces.timeZone })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return { projects: rows, timeZone: workspace?.timeZone ?? "UTC" };
}
