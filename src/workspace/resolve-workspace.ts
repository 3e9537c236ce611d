// Which workspace a CLI command acts on: the one named, or the only one (created on first use). It
// finds the workspace the CLI's ctx is built for, so it runs before any ctx exists and takes the db.
import type { Db } from "../db/client.ts";
import { DomainError, present } from "../domain/errors.ts";
import { findWorkspacesNamed, insertWorkspace, listFirstWorkspaces, type WorkspaceRow } from "./repo.ts";

export async function resolveWorkspace(db: Db, selector: string | undefined): Promise<WorkspaceRow> {
  if (selector) {
    const found = await findWorkspacesNamed(db, selector);
    if (found.length === 1 && found[0]) return found[0];
    throw new DomainError("workspace.not_found", `no single workspace matches "${selector}"`, {
      userMessage: `No workspace matches "${selector}". Use its name, Slack team id (T…) or id; \`cobro doctor\` lists them.`,
    });
  }
  const all = await listFirstWorkspaces(db, 2);
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) return present(await insertWorkspace(db, "My company"), "new workspace");
  throw new DomainError("workspace.ambiguous", "several workspaces exist", {
    userMessage:
      "Several workspaces exist: choose one with --workspace <name|T…|id> (`cobro doctor` lists them).",
  });
}
