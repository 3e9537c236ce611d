// Who acts: one type for everyone a service may serve (a Slack user, an API key, the CLI operator, a
// scheduled job, a party outside the workspace through a signed link or a webhook). Permissions
// (permissions.ts) decide from it; auditActorOf names it in the audit log.
import type { Role } from "./roles.ts";

/** What to tell a Slack user Cobro cannot match to a member: their Slack e-mail, the admins to ask. */
export type Stranger = { email: string | null; adminSlackUserIds: readonly string[] };

/** A member of the workspace acting in Slack, with their roles. */
export type SlackMemberActor = {
  kind: "member";
  memberId: string;
  slackUserId: string;
  roles: readonly Role[];
};

/** A Slack user who matches no member: no roles, and what to tell them. */
export type SlackStrangerActor = {
  kind: "stranger";
  memberId: null;
  slackUserId: string;
  roles: readonly Role[];
  stranger: Stranger;
};

export type SlackActor = SlackMemberActor | SlackStrangerActor;

/** The scheduled or background work that acts on its own, named for the logs and the audit log. */
export type SystemJob =
  | "scheduler"
  | "reminders"
  | "overdue-scan"
  | "billing-cycle"
  | "timesheet-reminders"
  | "aging-roll"
  | "delivery"
  | "slack-install"
  | "import"
  | "demo";

/** Who acts from outside the workspace: the client through a signed link, Stripe or SendGrid webhooks. */
export type ExternalParty = "client" | "stripe" | "sendgrid";

export type Actor =
  | SlackActor
  | { kind: "apiKey"; keyId: string; prefix: string }
  | { kind: "cli" }
  | { kind: "system"; job: SystemJob }
  | { kind: "external"; party: ExternalParty };

export const CLI_ACTOR: Actor = { kind: "cli" };
export const systemActor = (job: SystemJob): Actor => ({ kind: "system", job });
export const externalActor = (party: ExternalParty): Actor => ({ kind: "external", party });

export function isSlackActor(actor: Actor): actor is SlackActor {
  return actor.kind === "member" || actor.kind === "stranger";
}

/** The member behind the actor, when a member acts. */
export function memberIdOf(actor: Actor): string | null {
  return actor.kind === "member" ? actor.memberId : null;
}

/** The roles of a Slack user (none for anyone else: their rights are decided by kind). */
export function rolesOf(actor: Actor): readonly Role[] {
  return isSlackActor(actor) ? actor.roles : [];
}

/** Jobs whose audit rows carried their own name before; the others write "system", as they always did. */
const JOBS_NAMED_IN_AUDIT: ReadonlySet<SystemJob> = new Set(["billing-cycle", "import", "demo"]);

/**
 * How the audit log names an actor (the values of rows written before this type existed): a member's
 * id, `slack:<user id>` for a stranger, `api:<key prefix>`, "cli", "system" (or the job's own name
 * for the billing cycle, imports and the demo), and "client", "stripe", "sendgrid".
 */
export function auditActorOf(actor: Actor): string {
  switch (actor.kind) {
    case "member":
      return actor.memberId;
    case "stranger":
      return `slack:${actor.slackUserId}`;
    case "apiKey":
      return `api:${actor.prefix}`;
    case "cli":
      return "cli";
    case "system":
      return JOBS_NAMED_IN_AUDIT.has(actor.job) ? actor.job : "system";
    case "external":
      return actor.party;
  }
}
