// One project of the workspace from what a user typed (code, name prefix, any case or accents).
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { bestMatches } from "../domain/match-project.ts";
import { listProjects, type ProjectRow } from "./repo.ts";

export type FoundProject = ProjectRow;

export async function findProject(db: Db, workspaceId: string, query: string): Promise<FoundProject> {
  const rows = await listProjects(db, workspaceId);
  const hits = bestMatches(query, rows, (p) => [p.code, p.name]);
  if (hits.length === 1 && hits[0]) return hits[0];
  if (hits.length === 0) {
    throw new DomainError("project.not_found", `no project matches ${query}`, {
      userMessage: `No project matches "${query}". Use its code or the start of its name; \`/milestone list\` shows your projects.`,
      messageKey: "invoicing.error.project_not_found",
      messageValues: { query },
    });
  }
  const codes = `${hits
    .slice(0, 5)
    .map((p) => p.code)
    .join(", ")}${hits.length > 5 ? ", …" : ""}`;
  throw new DomainError("project.ambiguous", `several projects match ${query}`, {
    userMessage: `"${query}" matches ${hits.length} projects (${codes}): use the project code.`,
    messageKey: "invoicing.error.project_ambiguous",
    messageValues: { query, count: hits.length, codes },
  });
}
