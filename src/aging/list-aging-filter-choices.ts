// Choices for the /aging filter menus: collectors (static select) and a search over clients or
// projects (external selects, typed text). Read-only, scoped to the request's workspace.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { type Actor, agingScopeOf } from "../domain/permissions.ts";
import { type FilterChoice, listAgingFilterChoices as listChoices, searchFilterChoices } from "./repo.ts";

const Request = z.object({
  workspaceId: z.uuid(),
  kind: z.enum(["client", "project", "collector"]),
  query: z.string().max(100).default(""),
  limit: z.int().min(1).max(100).default(99),
});

/** With `actor`, a PM is offered only their own projects and those projects' clients. */
type AgingFilterChoicesRequest = z.input<typeof Request> & { actor?: Actor };

export type AgingFilterChoicesResult = { choices: FilterChoice[]; truncated: boolean };

export async function listAgingFilterChoices(
  deps: ServiceDeps,
  input: AgingFilterChoicesRequest,
): Promise<AgingFilterChoicesResult> {
  const scope = input.actor ? agingScopeOf(input.actor) : { kind: "all" as const };
  const parsed = Request.safeParse(input);
  if (!parsed.success) {
    throw new DomainError("aging.choices", parsed.error.message, {
      userMessage: "That search is not valid.",
    });
  }
  const { workspaceId, kind, query, limit } = parsed.data;
  if (kind === "collector") {
    const all = await listChoices(deps.db, workspaceId, limit);
    return { choices: all.collectors, truncated: all.collectorsTruncated };
  }
  const pmMemberId = scope.kind === "ownProjects" ? scope.pmMemberId : undefined;
  const found = await searchFilterChoices(deps.db, workspaceId, kind, query.trim(), limit + 1, pmMemberId);
  return { choices: found.slice(0, limit), truncated: found.length > limit };
}
