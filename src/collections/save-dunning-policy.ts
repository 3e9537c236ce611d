// Saves the `/cobro policy` modal: the levels are read from their lines and checked like every
// policy (numbered, spaced, at least three reminders before the formal notice); refusals come back
// on the levels field. Empty levels remove the scope's own policy, so it inherits again.

import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { clients, dunningPolicies, projects } from "../db/schema/index.ts";
import { type ClientProfile, validateDunningPolicy } from "../domain/dunning.ts";
import { type DunningLineError, parseDunningLevels } from "../domain/dunning-text.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { assertAllowed, type SlackActor } from "../domain/permissions.ts";
import { present } from "../domain/present.ts";
import { REMINDER_TEMPLATE_KEYS } from "./reminder-templates.ts";

export type PolicyTarget = { clientId?: string; projectId?: string; profile?: ClientProfile };
/** Why the levels are refused: lines that cannot be read, or a policy Cobro does not accept. */
export type PolicyRefusal = { lines: DunningLineError[] } | { refusal: DomainError };
export type SavePolicyResult =
  | { ok: true; outcome: "saved" | "removed" | "unchanged" }
  | { ok: false; levels: PolicyRefusal };

const TEMPLATES = [...REMINDER_TEMPLATE_KEYS, "call_client"];

export async function saveDunningPolicy(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; target: PolicyTarget; name: string; levelsText: string },
): Promise<SavePolicyResult> {
  assertAllowed(input.actor, { action: "collect" });
  const { target } = input;
  const remove = input.levelsText.trim() === "";
  let levels: ReturnType<typeof validateDunningPolicy>["levels"] = [];
  const name = input.name.trim().slice(0, 80) || "Custom policy";
  if (!remove) {
    const parsed = parseDunningLevels(input.levelsText, TEMPLATES);
    if (!parsed.ok) return { ok: false, levels: { lines: parsed.errors } };
    try {
      levels = validateDunningPolicy({ name, levels: parsed.levels }).levels;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { ok: false, levels: { refusal: error } };
    }
  }
  return deps.db.transaction(async (tx) => {
    const ws = eq(dunningPolicies.workspaceId, input.workspaceId);
    let scope: SQL;
    if (target.projectId) {
      const [p] = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.workspaceId, input.workspaceId), eq(projects.id, target.projectId)));
      if (!p) throw gone("project");
      scope = eq(dunningPolicies.projectId, target.projectId);
    } else if (target.clientId) {
      const [c] = await tx
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.workspaceId, input.workspaceId), eq(clients.id, target.clientId)));
      if (!c) throw gone("client");
      scope = present(
        and(eq(dunningPolicies.clientId, target.clientId), isNull(dunningPolicies.projectId)),
        "scope",
      );
    } else if (target.profile) {
      scope = present(
        and(
          eq(dunningPolicies.profile, target.profile),
          isNull(dunningPolicies.clientId),
          isNull(dunningPolicies.projectId),
        ),
        "scope",
      );
    } else throw gone("policy");
    const [existing] = await tx.select().from(dunningPolicies).where(and(ws, scope)).for("update");
    const actor = input.actor.memberId ?? `slack:${input.actor.slackUserId}`;
    const audit = (action: string, entityId: string, after: unknown) =>
      recordAudit(tx, {
        workspaceId: input.workspaceId,
        actor,
        action,
        entity: "dunning_policy",
        entityId,
        before: existing ? { name: existing.name, levels: existing.levels } : null,
        after,
      });
    if (remove) {
      if (!existing) return { ok: true as const, outcome: "unchanged" as const };
      await tx.delete(dunningPolicies).where(eq(dunningPolicies.id, existing.id));
      await audit("dunning_policy.removed", existing.id, null);
      return { ok: true as const, outcome: "removed" as const };
    }
    if (existing && existing.name === name && JSON.stringify(existing.levels) === JSON.stringify(levels)) {
      return { ok: true as const, outcome: "unchanged" as const };
    }
    let id: string;
    if (existing) {
      await tx
        .update(dunningPolicies)
        .set({ name, levels, updatedAt: deps.now() })
        .where(eq(dunningPolicies.id, existing.id));
      id = existing.id;
    } else {
      const [created] = await tx
        .insert(dunningPolicies)
        .values({
          workspaceId: input.workspaceId,
          name,
          levels,
          profile: target.projectId || target.clientId ? null : (target.profile ?? null),
          clientId: target.projectId ? null : (target.clientId ?? null),
          projectId: target.projectId ?? null,
        })
        .returning({ id: dunningPolicies.id });
      id = present(created, "new policy").id;
    }
    await audit("dunning_policy.saved", id, { name, levels });
    return { ok: true as const, outcome: "saved" as const };
  });
}

function gone(what: string): DomainError {
  return new DomainError(`${what}.not_found`, `${what} not found`, {
    userMessage: `This ${what} no longer exists in this workspace.`,
    messageKey: "collections.error.policy_target_gone",
    messageValues: { what },
  });
}
