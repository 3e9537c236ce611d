// The workspace's clients and projects that import rows refer to, looked up once per file.
import { and, eq, inArray, sql } from "drizzle-orm";
import { lookupInChunks } from "../db/batches.ts";
import { clients, projects } from "../db/schema/index.ts";
import { projectCodeKey } from "../domain/names.ts";
import { type Context, reject } from "./context.ts";

export async function clientsByExternalId(ctx: Context, ids: string[]) {
  if (ids.length === 0) return new Map<string, typeof clients.$inferSelect>();
  const rows = await lookupInChunks(ids, (slice) =>
    ctx.tx
      .select()
      .from(clients)
      .where(and(eq(clients.workspaceId, ctx.workspaceId), inArray(clients.externalId, slice))),
  );
  return new Map(rows.map((c) => [c.externalId, c]));
}

export async function projectsByCode(ctx: Context, codes: string[]) {
  if (codes.length === 0) return new Map<string, typeof projects.$inferSelect>();
  const rows = await lookupInChunks(codes.map(projectCodeKey), (slice) =>
    ctx.tx
      .select()
      .from(projects)
      .where(and(eq(projects.workspaceId, ctx.workspaceId), inArray(sql`lower(${projects.code})`, slice))),
  );
  return new Map(rows.map((p) => [projectCodeKey(p.code), p]));
}

export const rejectUnknownClient = (ctx: Context, line: number, externalId: string) =>
  reject(
    ctx,
    line,
    "client_external_id",
    `no client "${externalId}" in this workspace (import clients first)`,
  );

export const rejectUnknownProject = (ctx: Context, line: number, code: string) =>
  reject(ctx, line, "project_code", `no project "${code}" in this workspace (import projects first)`);
