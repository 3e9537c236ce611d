// Saves the `/cobro policy` modal: the levels are read from their lines and checked like every
// policy (numbered, spaced, at least three reminders before the formal notice); refusals come back
// on the levels field. Empty levels remove the scope's own policy, so it inherits again.

import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { validateDunningPolicy } from "../domain/dunning.ts";
import { type DunningLineError, parseDunningLevels } from "../domain/dunning-text.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { REMINDER_TEMPLATE_KEYS } from "../domain/reminder-email.ts";
import {
  deletePolicy,
  insertPolicy,
  lockOwnPolicy,
  missingPolicyTarget,
  type PolicyTarget,
  updatePolicy,
} from "./policy-repo.ts";

/** Why the levels are refused: lines that cannot be read, or a policy Cobro does not accept. */
export type PolicyRefusal = { lines: DunningLineError[] } | { refusal: DomainError };
export type SavePolicyResult =
  | { ok: true; outcome: "saved" | "removed" | "unchanged" }
  | { ok: false; levels: PolicyRefusal };

const TEMPLATES = [...REMINDER_TEMPLATE_KEYS, "call_client"];

export async function saveDunningPolicy(
  ctx: Ctx,
  input: { target: PolicyTarget; name: string; levelsText: string },
): Promise<SavePolicyResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { target } = input;
  const workspaceId = ctx.workspaceId;
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
  return ctx.db.transaction(async (tx) => {
    const missing = await missingPolicyTarget(tx, workspaceId, target);
    if (missing) throw gone(missing);
    const existing = await lockOwnPolicy(tx, workspaceId, target);
    const audit = (action: string, entityId: string, after: unknown) =>
      recordAudit(tx, {
        workspaceId,
        actor: auditActorOf(ctx.actor),
        action,
        entity: "dunning_policy",
        entityId,
        before: existing ? { name: existing.name, levels: existing.levels } : null,
        after,
      });
    if (remove) {
      if (!existing) return { ok: true as const, outcome: "unchanged" as const };
      await deletePolicy(tx, existing.id);
      await audit("dunning_policy.removed", existing.id, null);
      return { ok: true as const, outcome: "removed" as const };
    }
    if (existing && existing.name === name && JSON.stringify(existing.levels) === JSON.stringify(levels)) {
      return { ok: true as const, outcome: "unchanged" as const };
    }
    let id: string;
    if (existing) {
      await updatePolicy(tx, existing.id, { name, levels, updatedAt: ctx.now() });
      id = existing.id;
    } else id = await insertPolicy(tx, workspaceId, target, { name, levels });
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
