// Dunning policy rows: the candidates an invoice's policy is chosen from, and the one policy a
// client, a project or a client profile has of its own (`/cobro policy`).
import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, dunningPolicies, projects } from "../db/schema/index.ts";
import type { ClientProfile, DunningLevel, PolicyCandidate } from "../domain/dunning.ts";
import { present } from "../domain/errors.ts";

export type PolicyRow = typeof dunningPolicies.$inferSelect;
/** Whose own policy: a project, a client (without project) or a client profile (the workspace's). */
export type PolicyTarget = { clientId?: string; projectId?: string; profile?: ClientProfile };

export async function loadPolicyCandidates(db: Db, workspaceId: string): Promise<PolicyCandidate[]> {
  const rows = await db.select().from(dunningPolicies).where(eq(dunningPolicies.workspaceId, workspaceId));
  return rows.map((row) => ({
    scope: row.projectId ? "project" : row.clientId ? "client" : "profile",
    profile: row.profile,
    clientId: row.clientId,
    projectId: row.projectId,
    policy: { name: row.name, levels: row.levels },
  }));
}

/** The client a project bills, for the policy it inherits. */
export async function findPolicyClient(
  db: Db,
  workspaceId: string,
  clientId: string,
): Promise<{ id: string; name: string; profile: ClientProfile } | undefined> {
  const [client] = await db
    .select({ id: clients.id, name: clients.name, profile: clients.profile })
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, clientId)));
  return client;
}

/** What the target names that no longer exists in the workspace ("policy": it names nothing), or null. */
export async function missingPolicyTarget(
  db: Db,
  workspaceId: string,
  target: PolicyTarget,
): Promise<"project" | "client" | "policy" | null> {
  if (target.projectId) {
    const [p] = await db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, target.projectId)));
    return p ? null : "project";
  }
  if (target.clientId) {
    const [c] = await db
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, target.clientId)));
    return c ? null : "client";
  }
  return target.profile ? null : "policy";
}

function ownScope(target: PolicyTarget): SQL {
  if (target.projectId) return eq(dunningPolicies.projectId, target.projectId);
  if (target.clientId) {
    return present(
      and(eq(dunningPolicies.clientId, target.clientId), isNull(dunningPolicies.projectId)),
      "scope",
    );
  }
  return present(
    and(
      eq(dunningPolicies.profile, present(target.profile, "target.profile")),
      isNull(dunningPolicies.clientId),
      isNull(dunningPolicies.projectId),
    ),
    "scope",
  );
}

/** The target's own policy, locked for the transaction's change (none: it inherits). */
export async function lockOwnPolicy(
  tx: Db,
  workspaceId: string,
  target: PolicyTarget,
): Promise<PolicyRow | undefined> {
  const [existing] = await tx
    .select()
    .from(dunningPolicies)
    .where(and(eq(dunningPolicies.workspaceId, workspaceId), ownScope(target)))
    .for("update");
  return existing;
}

export async function deletePolicy(tx: Db, id: string): Promise<void> {
  await tx.delete(dunningPolicies).where(eq(dunningPolicies.id, id));
}

export async function updatePolicy(
  tx: Db,
  id: string,
  values: { name: string; levels: DunningLevel[]; updatedAt: Date },
): Promise<void> {
  await tx.update(dunningPolicies).set(values).where(eq(dunningPolicies.id, id));
}

/** A new own policy for the target (only its most specific scope is set); its id. */
export async function insertPolicy(
  tx: Db,
  workspaceId: string,
  target: PolicyTarget,
  values: { name: string; levels: DunningLevel[] },
): Promise<string> {
  const [created] = await tx
    .insert(dunningPolicies)
    .values({
      workspaceId,
      ...values,
      profile: target.projectId || target.clientId ? null : (target.profile ?? null),
      clientId: target.projectId ? null : (target.clientId ?? null),
      projectId: target.projectId ?? null,
    })
    .returning({ id: dunningPolicies.id });
  return present(created, "new policy").id;
}
