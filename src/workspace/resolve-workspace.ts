// Which workspace a CLI command acts on: the one named, or the only one (created on first use).
import { eq, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";

export type WorkspaceRow = typeof workspaces.$inferSelect;

export async function resolveWorkspace(db: Db, selector: string | undefined): Promise<WorkspaceRow> {
  if (selector) {
    const isUuid = /^[0-9a-f-]{36}$/i.test(selector);
    const found = await db
      .select()
      .from(workspaces)
      .where(
        isUuid
          ? eq(workspaces.id, selector)
          : or(eq(workspaces.slackTeamId, selector), eq(workspaces.name, selector)),
      );
    if (found.length === 1 && found[0]) return found[0];
    throw new DomainError("workspace.not_found", `no single workspace matches "${selector}"`, {
      userMessage: `No workspace matches "${selector}". Use its name, Slack team id (T…) or id; \`cobro doctor\` lists them.`,
    });
  }
  const all = await db.select().from(workspaces).limit(2);
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) {
    const [created] = await db.insert(workspaces).values({ name: "My company" }).returning();
    if (!created) throw new Error("workspace insert returned nothing");
    return created;
  }
  throw new DomainError("workspace.ambiguous", "several workspaces exist", {
    userMessage:
      "Several workspaces exist: choose one with --workspace <name|T…|id> (`cobro doctor` lists them).",
  });
}
