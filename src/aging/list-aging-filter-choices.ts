// Choices for the /aging client and project menus: a search as the user types (external selects).
// The collector menu is a static select filled by the report itself (build-aging-report.ts).
// Read-only, scoped to the request's workspace.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { agingScopeOf } from "../domain/permissions.ts";
import { type FilterChoice, searchFilterChoices } from "./repo.ts";

const Request = z.object({
  kind: z.enum(["client", "project"]),
  query: z.string().max(100).default(""),
  limit: z.int().min(1).max(100).default(99),
});

type AgingFilterChoicesRequest = z.input<typeof Request>;

export type AgingFilterChoicesResult = { choices: FilterChoice[]; truncated: boolean };

/** Permission: viewAging, checked first; a PM is offered only their own projects and those projects' clients. */
export async function listAgingFilterChoices(
  ctx: Ctx,
  input: AgingFilterChoicesRequest,
): Promise<AgingFilterChoicesResult> {
  const scope = agingScopeOf(ctx.actor);
  const parsed = Request.safeParse(input);
  if (!parsed.success) {
    throw new DomainError("aging.choices", parsed.error.message, {
      userMessage: "That search is not valid.",
    });
  }
  const { kind, query, limit } = parsed.data;
  const pmMemberId = scope.kind === "ownProjects" ? scope.pmMemberId : undefined;
  const found = await searchFilterChoices(ctx.db, ctx.workspaceId, kind, query.trim(), limit + 1, pmMemberId);
  return { choices: found.slice(0, limit), truncated: found.length > limit };
}
