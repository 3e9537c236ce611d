// Dunning policies (levels, cadence per client profile, overrides) and the next collection action.

import { addDays, toDayNumber } from "./calendar.ts";
import { DomainError, present } from "./errors.ts";

export type DunningChannel = "email" | "slack_task";
export type DunningTone = "courteous" | "firm" | "formal";
export type ClientProfile = "public" | "business" | "individual";

export type DunningLevel = {
  level: number;
  /** Days after the due date (negative = before it) or after the previous level's send. */
  offsetDays: number;
  relativeTo: "due" | "previous";
  channel: DunningChannel;
  tone: DunningTone;
  /** Template key in src/domain/reminder-email.ts. */
  template: string;
};

export type DunningPolicy = { name: string; levels: DunningLevel[] };

/** The formal notice (mise en demeure / requerimiento) is the level with the formal tone. */
export const isFormalNotice = (level: DunningLevel): boolean => level.tone === "formal";

export const MIN_REMINDERS_BEFORE_FORMAL = 3;
/** Two reminders to the same invoice are never closer than this, whatever the policy says. */
export const MIN_DAYS_BETWEEN_LEVELS = 3;

/** One level a row, numbered in order: [offset days, relative to, channel, tone, template]. */
type LevelRow = readonly [number, "due" | "previous", DunningChannel, DunningTone, string];

const policy = (name: string, rows: readonly LevelRow[]): DunningPolicy => ({
  name,
  levels: rows.map(([offsetDays, relativeTo, channel, tone, template], index) => ({
    level: index + 1,
    offsetDays,
    relativeTo,
    channel,
    tone,
    template,
  })),
});

/**
 * Built-in cadences. Public bodies pay through slow approval circuits and answer to formal
 * letters, so they get fewer, later, more formal reminders; individuals get a friendly pre-due
 * nudge and a call before anything formal.
 */
export const DEFAULT_POLICIES: Readonly<Record<ClientProfile, DunningPolicy>> = {
  business: policy("Default (business)", [
    [-3, "due", "email", "courteous", "due_soon"],
    [3, "due", "email", "courteous", "overdue_courteous"],
    [7, "previous", "email", "firm", "overdue_firm"],
    [7, "previous", "slack_task", "firm", "call_client"],
    [10, "previous", "email", "formal", "formal_notice"],
  ]),
  public: policy("Default (public body)", [
    [7, "due", "email", "courteous", "overdue_courteous"],
    [14, "previous", "email", "firm", "overdue_firm"],
    [14, "previous", "slack_task", "firm", "call_client"],
    [21, "previous", "email", "formal", "formal_notice"],
  ]),
  individual: policy("Default (individual)", [
    [-2, "due", "email", "courteous", "due_soon"],
    [2, "due", "email", "courteous", "overdue_courteous"],
    [5, "previous", "slack_task", "courteous", "call_client"],
    [7, "previous", "email", "firm", "overdue_firm"],
    [14, "previous", "email", "formal", "formal_notice"],
  ]),
};

/** Why a policy is refused: the catalogue's `problem` (collections.error.policy) and the English words. */
function refuse(problem: string, why: string, values: Record<string, number> = {}): never {
  throw new DomainError("dunning.policy_invalid", `invalid dunning policy: ${why}`, {
    userMessage: `This reminder policy cannot be used: ${why}.`,
    messageKey: "collections.error.policy",
    messageValues: { problem, ...values },
  });
}

/** Levels numbered 1..n in order, a first level relative to the due date, ≥ 3 reminders before a formal notice. */
export function validateDunningPolicy(policy: DunningPolicy): DunningPolicy {
  const { levels } = policy;
  if (levels.length === 0) refuse("no_levels", "it has no levels");
  if (levels.length > 12) refuse("too_many", "it has more than 12 levels");
  levels.forEach((l, index) => {
    if (l.level !== index + 1)
      refuse("numbering", `levels must be numbered 1, 2, 3… in order (found ${l.level})`, { level: l.level });
    if (!Number.isInteger(l.offsetDays) || Math.abs(l.offsetDays) > 365) {
      refuse("offset", `level ${l.level} has an offset that is not a whole number of days within a year`, {
        level: l.level,
      });
    }
    if (!["email", "slack_task"].includes(l.channel))
      refuse("channel", `level ${l.level} has an unknown channel`, { level: l.level });
    if (!["courteous", "firm", "formal"].includes(l.tone))
      refuse("tone", `level ${l.level} has an unknown tone`, { level: l.level });
    if (!l.template.trim()) refuse("template", `level ${l.level} has no template`, { level: l.level });
    if (l.relativeTo === "previous") {
      if (index === 0) refuse("first_relative", "the first level cannot be relative to a previous reminder");
      if (l.offsetDays < MIN_DAYS_BETWEEN_LEVELS) {
        refuse(
          "after_previous",
          `level ${l.level} must come at least ${MIN_DAYS_BETWEEN_LEVELS} days after the previous one`,
          { level: l.level, days: MIN_DAYS_BETWEEN_LEVELS },
        );
      }
    } else if (index > 0) {
      const previous = present(levels[index - 1], "levels[index - 1]");
      if (previous.relativeTo === "due" && l.offsetDays - previous.offsetDays < MIN_DAYS_BETWEEN_LEVELS) {
        refuse(
          "after_level",
          `level ${l.level} must come at least ${MIN_DAYS_BETWEEN_LEVELS} days after level ${previous.level}`,
          { level: l.level, days: MIN_DAYS_BETWEEN_LEVELS, previous: previous.level },
        );
      }
    }
    if (isFormalNotice(l)) {
      if (index < MIN_REMINDERS_BEFORE_FORMAL) {
        refuse(
          "formal_early",
          `the formal notice needs at least ${MIN_REMINDERS_BEFORE_FORMAL} reminders before it`,
          { min: MIN_REMINDERS_BEFORE_FORMAL },
        );
      }
      if (l.channel !== "email") refuse("formal_channel", "the formal notice must go by e-mail");
      if (l.offsetDays < 0) refuse("formal_before_due", "the formal notice cannot go before the due date");
    }
  });
  return policy;
}

export type PolicyCandidate = {
  scope: "profile" | "client" | "project";
  profile?: ClientProfile | null;
  clientId?: string | null;
  projectId?: string | null;
  policy: DunningPolicy;
};

/** Most specific wins: project, then client, then the workspace's profile policy, then the built-in one. */
export function resolveDunningPolicy(
  candidates: readonly PolicyCandidate[],
  invoice: { profile: ClientProfile; clientId: string; projectId: string | null },
): DunningPolicy {
  const project = invoice.projectId
    ? candidates.find((c) => c.scope === "project" && c.projectId === invoice.projectId)
    : undefined;
  const client = candidates.find((c) => c.scope === "client" && c.clientId === invoice.clientId);
  const profile = candidates.find((c) => c.scope === "profile" && c.profile === invoice.profile);
  return (project ?? client ?? profile)?.policy ?? DEFAULT_POLICIES[invoice.profile];
}

export type CollectionState = {
  dueDate: string;
  openMinor: number;
  invoiceStatus: string;
  /** Last level sent (0 = none). */
  level: number;
  lastReminderOn: string | null;
  pausedUntil: string | null;
  promisedOn: string | null;
  disputed: boolean;
  formalApproved: boolean;
};

/** What an invoice's collection row says that the rules read (the collections view has more). */
export type CollectionFacts = {
  dueDate: string;
  openMinor: number;
  status: string;
  level: number;
  lastReminderOn: string | null;
  pausedUntil: string | null;
  promisedOn: string | null;
  disputedAt: Date | null;
  formalApprovedAt: Date | null;
};

export function collectionState(view: CollectionFacts): CollectionState {
  return {
    dueDate: view.dueDate,
    openMinor: view.openMinor,
    invoiceStatus: view.status,
    level: view.level,
    lastReminderOn: view.lastReminderOn,
    pausedUntil: view.pausedUntil,
    promisedOn: view.promisedOn,
    disputed: view.disputedAt !== null,
    formalApproved: view.formalApprovedAt !== null,
  };
}

export type StopReason = "paid" | "disputed" | "paused" | "promised" | "closed";

export type NextAction =
  | { kind: "stop"; reason: StopReason }
  | { kind: "finished" }
  | { kind: "wait"; level: DunningLevel; sendOn: string }
  | { kind: "send"; level: DunningLevel; sendOn: string }
  | { kind: "await_approval"; level: DunningLevel; sendOn: string };

/** Why nothing may be sent today, or null when reminders may go. */
export function collectionBlock(state: CollectionState, today: string): StopReason | null {
  if (!["issued", "partially_paid"].includes(state.invoiceStatus)) {
    return state.invoiceStatus === "paid" ? "paid" : "closed";
  }
  if (state.openMinor <= 0) return "paid";
  if (state.disputed) return "disputed";
  if (state.pausedUntil && toDayNumber(state.pausedUntil) >= toDayNumber(today)) return "paused";
  if (state.promisedOn && toDayNumber(state.promisedOn) >= toDayNumber(today)) return "promised";
  return null;
}

/** A promise is broken the day after its date if the invoice is still open (Upflow: end of day). */
export function isPromiseBroken(state: CollectionState, today: string): boolean {
  return (
    state.promisedOn !== null &&
    toDayNumber(state.promisedOn) < toDayNumber(today) &&
    state.openMinor > 0 &&
    !state.disputed &&
    ["issued", "partially_paid"].includes(state.invoiceStatus)
  );
}

/** When the level after the last one sent is due: never a skipped level, never two too close. */
export function nextLevelDate(
  policy: DunningPolicy,
  state: CollectionState,
): { level: DunningLevel; sendOn: string } | null {
  const next = policy.levels[state.level];
  if (!next) return null;
  let sendOn =
    next.relativeTo === "previous" && state.lastReminderOn
      ? addDays(state.lastReminderOn, next.offsetDays)
      : addDays(state.dueDate, next.offsetDays);
  if (state.lastReminderOn) {
    const earliest = addDays(state.lastReminderOn, MIN_DAYS_BETWEEN_LEVELS);
    if (toDayNumber(earliest) > toDayNumber(sendOn)) sendOn = earliest;
  }
  return { level: next, sendOn };
}

export function nextCollectionAction(
  policy: DunningPolicy,
  state: CollectionState,
  today: string,
): NextAction {
  const blocked = collectionBlock(state, today);
  if (blocked) return { kind: "stop", reason: blocked };
  const next = nextLevelDate(policy, state);
  if (!next) return { kind: "finished" };
  if (toDayNumber(next.sendOn) > toDayNumber(today)) return { kind: "wait", ...next };
  if (isFormalNotice(next.level) && !state.formalApproved) return { kind: "await_approval", ...next };
  return { kind: "send", ...next };
}

/** The formal notice may be approved only once the reminders before it have gone. */
export function assertFormalNoticeAllowed(policy: DunningPolicy, state: CollectionState): DunningLevel {
  const next = policy.levels[state.level];
  if (!next || !isFormalNotice(next)) {
    throw new DomainError("dunning.not_formal_next", "the next level is not the formal notice", {
      userMessage:
        "The formal notice is not the next step for this invoice yet: the earlier reminders go first.",
      messageKey: "collections.error.formal_not_next",
    });
  }
  const remindersSent = policy.levels.slice(0, state.level).length;
  if (remindersSent < MIN_REMINDERS_BEFORE_FORMAL) {
    throw new DomainError("dunning.too_early", "fewer than three reminders sent", {
      userMessage: `A formal notice needs at least ${MIN_REMINDERS_BEFORE_FORMAL} reminders first; ${remindersSent} sent so far.`,
      messageKey: "collections.error.formal_too_early",
      messageValues: { min: MIN_REMINDERS_BEFORE_FORMAL, sent: remindersSent },
    });
  }
  return next;
}

/** Sending a formal notice commits the company legally: collections, billing or an admin decide. */
export function assertMayApproveFormalNotice(roles: readonly string[] | null): void {
  if (!roles?.some((role) => role === "collector" || role === "billing" || role === "admin")) {
    throw new DomainError("permission.denied", "formal notice approval needs collector, billing or admin", {
      userMessage:
        "Only a collector, someone in billing or an admin can approve a formal notice. An admin can give roles with `/cobro setup`.",
      messageKey: "permission.refused",
      messageValues: { whyKey: "permission.approve_formal_notice" },
    });
  }
}
