// What every listener shares: the request's workspace and actor, and turning refusals into replies.
import type { App } from "@slack/bolt";
import type { ServiceDeps } from "../../context.ts";
import { isDomainError } from "../../domain/errors.ts";
import type { Actor } from "../../domain/permissions.ts";
import { resolveActor } from "../../workspace/index.ts";
import { markup } from "./blocks.ts";
import { buildErrorReply, type Reply } from "./replies.ts";

export type ListenerDeps = ServiceDeps & {
  /** Who runs this Cobro for others: the producer in the declaración responsable (/cobro about). */
  verifactuProducer?: { name: string; nif: string; address?: string | undefined } | undefined;
};

/** A function that adds listeners to the app; other areas (aging, collections) export one too. */
export type RegisterListeners = (app: App, deps: ListenerDeps) => void;

export const UNEXPECTED =
  "Something went wrong on Cobro's side and nothing was changed. Try again in a minute; if it keeps failing, tell your Cobro admin.";

/** The workspace id the workspace middleware put on the context (from the verified team_id). */
export function workspaceIdOf(context: Record<string, unknown>): string {
  const id = context.workspaceId;
  if (typeof id !== "string") throw new Error("no workspace on the request context");
  return id;
}

export function actorOf(
  deps: ListenerDeps,
  context: Record<string, unknown>,
  slackUserId: string,
): Promise<Actor> {
  const email = typeof context.slackUserEmail === "string" ? context.slackUserEmail : null;
  return resolveActor(deps.db, workspaceIdOf(context), slackUserId, email);
}

/** The message to show for an error: the refusal's own words, or a generic line (logged). */
export function userMessageOf(error: unknown, deps: ListenerDeps, where: string): string {
  if (isDomainError(error)) return error.userMessage;
  deps.logger.error({ err: error, where }, "slack listener failed");
  return UNEXPECTED;
}

/** For a failed reply about a failure (response_url expired…): log it, the user cannot be told. */
export function logReplyFailure(deps: ListenerDeps, where: string): (error: unknown) => void {
  return (error) => deps.logger.warn({ err: error, where }, "could not reply to the user");
}

/** Asks Slack about a user (e-mail, name), cached; set by the app's linking middleware. */
export function slackProfileOf(
  context: Record<string, unknown>,
): ((slackUserId: string) => Promise<{ email: string | null; name: string | null }>) | undefined {
  const profileOf = context.slackProfileOf;
  return typeof profileOf === "function" ? (profileOf as ReturnType<typeof slackProfileOf>) : undefined;
}

/** The ephemeral reply for an error: its words escaped, or kept when Cobro wrote them as mrkdwn (mentions). */
export function errorReply(error: unknown, deps: ListenerDeps, where: string): Reply {
  if (isDomainError(error) && error.mrkdwn) return buildErrorReply(markup(error.userMessage));
  return buildErrorReply(userMessageOf(error, deps, where));
}
