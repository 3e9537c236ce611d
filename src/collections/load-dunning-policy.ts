// What `/cobro policy` shows: the reminder policy in force for a client, a project or a client
// profile, and where it comes from (the most specific of project, client, profile, built-in).
import type { Ctx } from "../context.ts";
import { type ClientProfile, DEFAULT_POLICIES, type PolicyCandidate } from "../domain/dunning.ts";
import { formatDunningLevels } from "../domain/dunning-text.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findClientByReference, findProjectByReference } from "../invoicing/index.ts";
import { findPolicyClient, loadPolicyCandidates, type PolicyTarget } from "./policy-repo.ts";

export type PolicyScope =
  | { kind: "client"; reference: string }
  | { kind: "project"; reference: string }
  | { kind: "profile"; profile: ClientProfile };

/** Whose policy it is: a client, a project, or every client of a profile. */
export type PolicyScopeLabel =
  | { kind: "client"; name: string }
  | { kind: "project"; code: string; name: string }
  | { kind: "profile"; profile: ClientProfile };

/** Where the policy in force comes from (the most specific of project, client, profile, built-in). */
export type PolicySource =
  | { from: "own" }
  | { from: "client"; client: string }
  | { from: "profile"; profile: ClientProfile }
  | { from: "builtin"; profile: ClientProfile };

export type PolicyModel = {
  scope: PolicyScopeLabel;
  target: PolicyTarget;
  inForce: { name: string; source: PolicySource; levelsText: string };
  /** Whether this scope has its own policy (else it inherits the one in force). */
  own: boolean;
};

export async function loadDunningPolicy(ctx: Ctx, input: { scope: PolicyScope }): Promise<PolicyModel> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { db, workspaceId } = ctx;
  const candidates = await loadPolicyCandidates(db, workspaceId);
  const pick = (c: PolicyCandidate | undefined, source: PolicySource) =>
    c ? { name: c.policy.name, source, levelsText: formatDunningLevels(c.policy.levels) } : undefined;
  const scope = input.scope;

  let profile: ClientProfile;
  let clientId: string | undefined;
  let projectId: string | undefined;
  let scopeLabel: PolicyScopeLabel;
  let client: { id: string; name: string; profile: ClientProfile } | undefined;
  if (scope.kind === "project") {
    const project = await findProjectByReference(db, workspaceId, scope.reference);
    client = await findPolicyClient(db, workspaceId, project.clientId);
    projectId = project.id;
    scopeLabel = { kind: "project", code: project.code, name: project.name };
  } else if (scope.kind === "client") {
    client = await findClientByReference(db, workspaceId, scope.reference);
    scopeLabel = { kind: "client", name: client.name };
  } else {
    scopeLabel = { kind: "profile", profile: scope.profile };
  }
  if (client) {
    clientId = client.id;
    profile = client.profile;
  } else profile = (scope as { profile: ClientProfile }).profile;

  const own = projectId
    ? candidates.find((c) => c.scope === "project" && c.projectId === projectId)
    : clientId
      ? candidates.find((c) => c.scope === "client" && c.clientId === clientId)
      : candidates.find((c) => c.scope === "profile" && c.profile === profile);
  const inForce = pick(
    projectId ? candidates.find((c) => c.scope === "project" && c.projectId === projectId) : undefined,
    { from: "own" },
  ) ??
    pick(
      clientId ? candidates.find((c) => c.scope === "client" && c.clientId === clientId) : undefined,
      projectId ? { from: "client", client: client?.name ?? "" } : { from: "own" },
    ) ??
    pick(
      candidates.find((c) => c.scope === "profile" && c.profile === profile),
      scope.kind === "profile" ? { from: "own" } : { from: "profile", profile },
    ) ?? {
      name: DEFAULT_POLICIES[profile].name,
      source: { from: "builtin", profile },
      levelsText: formatDunningLevels(DEFAULT_POLICIES[profile].levels),
    };
  return {
    scope: scopeLabel,
    target: projectId ? { projectId } : clientId ? { clientId } : { profile },
    inForce,
    own: own !== undefined,
  };
}
