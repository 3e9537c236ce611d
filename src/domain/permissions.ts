// Who acts (one Actor type for everyone a service serves) and what they may do. Refusals are
// DomainErrors whose userMessage says who can do it instead.
import { DomainError } from "./errors.ts";
import type { Role } from "./roles.ts";

export { ROLES, type Role } from "./roles.ts";

// Who acts: one type for everyone a service may serve (a Slack user, an API key, the CLI operator, a
// scheduled job, a party outside the workspace through a signed link or a webhook). Permissions
// (below) decide from it; auditActorOf names it in the audit log.
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
  | "demo"
  | "verifactu-send";

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

// --- who may do what ------------------------------------------------------------------------------

export type Permission =
  | { action: "configure" }
  | { action: "manageMilestones"; projectPmMemberId: string | null }
  | { action: "issueInvoice" }
  | { action: "editInvoice" }
  | { action: "holdInvoice" }
  /** See and change a client's or a project's details (`/cobro client`, `/cobro project`, `/cobro policy`). */
  | { action: "editParties" }
  | { action: "linkChannel"; projectPmMemberId: string | null }
  /** `/aging`, its drill-downs, filters, export and share (a PM: their own projects only, see agingScopeOf). */
  | { action: "viewAging" }
  /** Record payment, Promise to pay, Assign to me, Send reminder now. */
  | { action: "collect" }
  /** Pause and Dispute: also the PM of the invoice's project, who knows the client. */
  | { action: "pauseOrDispute"; projectPmMemberId: string | null }
  /** Record time entries (the HTTP API's one verb). */
  | { action: "recordTime" }
  /** The client confirms receipt of an invoice through its signed link. */
  | { action: "confirmReceipt" }
  /** The client says the money is on its way, through the invoice's signed link ("Paid already"). */
  | { action: "announcePayment" }
  /** A payment provider reports a payment, a refund or a failure (Stripe's webhook). */
  | { action: "recordPaymentEvent" }
  /** The e-mail provider reports a delivery, a bounce or an open (SendGrid's webhook). */
  | { action: "recordEmailEvent" };

const hasRole = (actor: SlackActor, ...roles: Role[]) => roles.some((role) => actor.roles.includes(role));
const isProjectManager = (actor: SlackActor) => hasRole(actor, "pm") && actor.memberId !== null;
const managesProject = (actor: SlackActor, pmMemberId: string | null) =>
  isProjectManager(actor) && pmMemberId === actor.memberId;

/** Whose receivables `/aging` shows: the whole book, or only the projects this member manages. */
export type AgingScope = { kind: "all" } | { kind: "ownProjects"; pmMemberId: string };

/** Why a permission is refused: its key in the Slack catalogues (src/i18n) and the English sentence. */
export type Refusal = { key: RefusalKey | null; text: string };
export type RefusalKey =
  | "configure"
  | "issue_invoice"
  | "edit_invoice"
  | "edit_parties"
  | "view_aging"
  | "collect"
  | "pause_or_dispute_pm"
  | "pause_or_dispute"
  | "manage_milestones_pm"
  | "manage_milestones";

const refusal = (key: RefusalKey, text: string): Refusal => ({ key, text });
/** A refusal no Slack member meets (a stranger is told how to join instead): no catalogue entry. */
const uncatalogued = (text: string): Refusal => ({ key: null, text });

/** What an actor outside Slack may do: the CLI operator everything, the others their own verbs. */
function allowedOutsideSlack(actor: Exclude<Actor, SlackActor>, permission: Permission): boolean {
  switch (actor.kind) {
    case "cli":
    case "system":
      return true;
    case "apiKey":
      return permission.action === "recordTime";
    case "external":
      return (
        (actor.party === "client" &&
          (permission.action === "confirmReceipt" || permission.action === "announcePayment")) ||
        (actor.party === "stripe" && permission.action === "recordPaymentEvent") ||
        (actor.party === "sendgrid" && permission.action === "recordEmailEvent")
      );
  }
}

/** Pure decision: null when allowed, otherwise the refusal to show the user. */
export function refusalOf(actor: Actor, permission: Permission): Refusal | null {
  if (actor.kind !== "member" && actor.kind !== "stranger") {
    return allowedOutsideSlack(actor, permission)
      ? null
      : uncatalogued(`${auditActorOf(actor)} may not ${permission.action}.`);
  }
  return slackRefusalOf(actor, permission);
}

function slackRefusalOf(actor: SlackActor, permission: Permission): Refusal | null {
  switch (permission.action) {
    case "recordTime":
      return actor.kind === "member" ? null : uncatalogued("Only a member of Cobro can log time.");
    case "confirmReceipt":
    case "announcePayment":
    case "recordPaymentEvent":
    case "recordEmailEvent":
      return uncatalogued("Only the client or the provider's webhook does this.");
    case "configure":
      return hasRole(actor, "admin")
        ? null
        : refusal("configure", "Only a Cobro admin can change the settings and roles.");
    case "issueInvoice":
      return hasRole(actor, "billing")
        ? null
        : refusal("issue_invoice", "Only someone with the billing role can issue invoices.");
    case "editInvoice":
    case "holdInvoice":
      return hasRole(actor, "billing")
        ? null
        : refusal("edit_invoice", "Only someone with the billing role can edit or hold invoices.");
    case "editParties":
      return hasRole(actor, "admin", "billing")
        ? null
        : refusal(
            "edit_parties",
            "Only someone with the billing role or an admin can see and change client and project details.",
          );
    case "viewAging":
      return hasRole(actor, "admin", "billing", "collector") || isProjectManager(actor)
        ? null
        : refusal(
            "view_aging",
            "The aged receivables report is for collectors, billing, admins and project managers (their own projects); ask one of them about a balance.",
          );
    case "collect":
      return hasRole(actor, "admin", "billing", "collector")
        ? null
        : refusal("collect", "Only a collector, someone in billing or an admin can act on collections.");
    case "pauseOrDispute": {
      if (hasRole(actor, "admin", "billing", "collector")) return null;
      if (managesProject(actor, permission.projectPmMemberId)) return null;
      return hasRole(actor, "pm")
        ? refusal(
            "pause_or_dispute_pm",
            "Only the PM of this invoice's project, a collector, billing or an admin can pause or dispute it.",
          )
        : refusal(
            "pause_or_dispute",
            "Only a collector, someone in billing, an admin or the project's PM can pause or dispute an invoice.",
          );
    }
    case "manageMilestones":
    case "linkChannel": {
      if (hasRole(actor, "admin", "billing")) return null;
      if (managesProject(actor, permission.projectPmMemberId)) return null;
      return hasRole(actor, "pm")
        ? refusal(
            "manage_milestones_pm",
            "You are not the project manager of this project: ask its PM or someone in billing.",
          )
        : refusal("manage_milestones", "Only the project's PM, billing or an admin can do this.");
    }
  }
}

/** Pure decision: null when allowed, otherwise the sentence to show the user. */
export function whyNotAllowed(actor: Actor, permission: Permission): string | null {
  return refusalOf(actor, permission)?.text ?? null;
}

export function canDo(actor: Actor, permission: Permission): boolean {
  return whyNotAllowed(actor, permission) === null;
}

export function assertAllowed(actor: Actor, permission: Permission): void {
  const why = refusalOf(actor, permission);
  if (why) {
    const internal = `${auditActorOf(actor)} may not ${permission.action}`;
    if (actor.kind === "stranger") {
      throw new DomainError("permission.denied", internal, {
        userMessage: strangerMessage(actor.stranger),
        mrkdwn: true,
        messageKey: "permission.stranger",
        messageValues: strangerValues(actor.stranger),
      });
    }
    if (actor.kind !== "member" || why.key === null) {
      throw new DomainError("permission.denied", internal, { userMessage: why.text });
    }
    throw new DomainError("permission.denied", internal, {
      userMessage: `${why.text} An admin can give roles with \`/cobro setup\`.`,
      messageKey: "permission.refused",
      messageValues: { whyKey: `permission.${why.key}` },
    });
  }
}

// Slack mrkdwn with the admins' mentions: the one value from outside (the e-mail) is escaped here.
const escapedEmail = (stranger: Stranger) =>
  stranger.email?.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** The catalogue's values of the same message ("none" when Slack gave no e-mail, or nobody is admin). */
function strangerValues(stranger: Stranger): Record<string, string> {
  const admins = stranger.adminSlackUserIds.map((id) => `<@${id}>`).join(", ");
  return { email: escapedEmail(stranger) ?? "none", admins: admins || "none" };
}

/** For a Slack user Cobro cannot match to a member: whom to ask, and what that admin runs. */
export function strangerMessage(stranger: Stranger): string {
  const email = escapedEmail(stranger);
  const who = email
    ? `No member of this workspace has your Slack e-mail (${email}).`
    : "Slack did not tell Cobro your e-mail, so Cobro cannot tell which member you are.";
  const line = email ? `a line for ${email}` : "a line with your e-mail and Slack id";
  const admins = stranger.adminSlackUserIds.map((id) => `<@${id}>`).join(", ");
  return admins
    ? `Cobro does not know you yet. ${who} Ask an admin (${admins}) to add you: they run \`cobro import people people.csv\` with ${line} and your roles, or give you a role in \`/cobro setup\`.`
    : `Cobro does not know you yet. ${who} Nobody is admin yet: whoever runs \`cobro import people people.csv\` with ${line}, or opens \`/cobro setup\` first, sets up the roles.`;
}

/** The aging scope of an actor, from their roles and membership (never from a request); throws when refused. */
export function agingScopeOf(actor: Actor): AgingScope {
  assertAllowed(actor, { action: "viewAging" });
  if (actor.kind !== "member" || hasRole(actor, "admin", "billing", "collector")) return { kind: "all" };
  // assertAllowed lets only a PM who is a member through.
  return { kind: "ownProjects", pmMemberId: actor.memberId };
}
