// What every listener shares: the request's workspace and actor, the reader's language and catalogue
// messages in mrkdwn, the one way to reply (`responder`: ephemeral messages, notices, failures;
// `openModal`/`updateModal`), and what Slack says of a user.
import type { App, BlockAction, RespondFn, ViewSubmitAction, webApi } from "@slack/bolt";
import type { Ctx, ServiceDeps } from "../../context.ts";
import { isDomainError } from "../../domain/errors.ts";
import type { SlackActor } from "../../domain/permissions.ts";
import {
  CATALOGUES,
  DEFAULT_LOCALE,
  isLocale,
  type Locale,
  type MessageKey,
  type MessageValue,
  t,
} from "../../i18n/index.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { type Block, escapeMrkdwn, type HomeView, type Markup, markupText, slackText } from "./blocks.ts";

export type ListenerDeps = ServiceDeps & {
  /** Who runs this Cobro for others: the producer in the declaración responsable (/cobro about). */
  verifactuProducer?: { name: string; nif: string; address?: string | undefined } | undefined;
  /** OAuth mode: forgets a team's installation (uninstalled, bot token revoked); absent with one bot token. */
  removeInstallation?: InstallationRemover | undefined;
};

export type InstallationRemover = (query: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}) => Promise<void>;

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

/** The actor the app's middleware identified (src/slack/app.ts): once per request, never looked up again. */
function requestActor(context: Record<string, unknown>, slackUserId?: string): SlackActor {
  const actor = context.actor as SlackActor | undefined;
  if (!actor || (slackUserId !== undefined && actor.slackUserId !== slackUserId)) {
    throw new Error("no actor on the request context for this Slack user");
  }
  return actor;
}

/** The ctx of a Slack request: the deps, the verified workspace and the actor found by the middleware. */
export function ctxOf(deps: ServiceDeps, context: Record<string, unknown>): Ctx & { actor: SlackActor } {
  // contextFor's fields, spelled here: every Slack request then runs through one file fewer.
  const { db, now, logger, enqueue } = deps;
  return { db, now, logger, enqueue, workspaceId: workspaceIdOf(context), actor: requestActor(context) };
}

/** Who acts in this request (handlers not yet on `ctxOf`): the middleware's actor, checked to be this user. */
export async function actorOf(
  _deps: ListenerDeps,
  context: Record<string, unknown>,
  slackUserId: string,
): Promise<SlackActor> {
  return requestActor(context, slackUserId);
}

/** The message to show for an error: the refusal's own words, or a generic line (logged). */
export function userMessageOf(
  error: unknown,
  deps: ListenerDeps,
  where: string,
  locale: Locale = DEFAULT_LOCALE,
): string {
  if (isDomainError(error)) return translatedUserMessage(error, locale) ?? error.userMessage;
  deps.logger.error({ err: error, where }, "slack listener failed");
  return t(locale, "error.unexpected");
}

/** For a failed reply about a failure (response_url expired…): log it, the user cannot be told. */
export function logReplyFailure(deps: ListenerDeps, where: string): (error: unknown) => void {
  return (error) => deps.logger.warn({ err: error, where }, "could not reply to the user");
}

/** Asks Slack about a user (e-mail, name), cached; set by the app's linking middleware. */
export function slackProfileOf(
  context: Record<string, unknown>,
): ((slackUserId: string) => Promise<SlackProfile>) | undefined {
  const profileOf = context.slackProfileOf;
  return typeof profileOf === "function" ? (profileOf as ReturnType<typeof slackProfileOf>) : undefined;
}

// --- replies ----------------------------------------------------------------------------------

export type SlackMessage = { text: string; blocks?: Block[] };
type ModalView = Parameters<webApi.WebClient["views"]["open"]>[0]["view"];

export type Responder = {
  /** A new ephemeral message (the answer to a command). */
  reply: (message: SlackMessage) => Promise<void>;
  /** Replaces the ephemeral message whose button was clicked. */
  replace: (message: SlackMessage) => Promise<void>;
  /** A line beside the message clicked, which stays as it was. */
  notice: (message: string | SlackMessage) => Promise<void>;
  /** Says what went wrong: a refusal's own words, or a generic line (logged). Never throws. */
  failure: (error: unknown, where: string) => Promise<void>;
};

/** `locale`: the reader's language, for failures (refusals translated, the generic line too). */
export function responder(
  deps: ListenerDeps,
  respond: RespondFn,
  locale: Locale = DEFAULT_LOCALE,
): Responder {
  const notice = async (message: string | SlackMessage) => {
    const body = typeof message === "string" ? { text: message } : message;
    await respond({ response_type: "ephemeral", replace_original: false, ...body });
  };
  return {
    reply: async (message) => {
      await respond({ response_type: "ephemeral", ...message });
    },
    replace: async (message) => {
      await respond({ response_type: "ephemeral", replace_original: true, ...message });
    },
    notice,
    failure: (error, where) =>
      notice(`:warning: ${userMessageOf(error, deps, where, locale)}`).catch(logReplyFailure(deps, "reply")),
  };
}

/** Opens a modal (the trigger_id lives 3 s: before any slow work) and returns its view id. */
export async function openModal(
  client: webApi.WebClient,
  triggerId: string,
  view: ModalView,
): Promise<string> {
  const opened = await client.views.open({ trigger_id: triggerId, view });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error("views.open returned no view id");
  return viewId;
}

/**
 * A modal filled from the database: opened at once with a loading view (the trigger_id lives 3 s), then
 * replaced by `fill`'s view in the reader's language, or by why not under the same title.
 */
export async function openModalAndFill(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    triggerId: string;
    context: Record<string, unknown>;
    title: MessageKey;
    /** Names the step in the log when the verb fails unexpectedly. */
    where: string;
    fill: (locale: Locale) => Promise<ModalView>;
  },
): Promise<void> {
  const known = localeOf(input.context);
  const viewId = await openModal(client, input.triggerId, buildLoadingModal(t(known, input.title), known));
  const locale = await readerLocale(input.context);
  try {
    await updateModal(client, viewId, await input.fill(locale));
  } catch (error) {
    const refusal = slackText`:no_entry: ${userMessageOf(error, deps, input.where, locale)}`;
    const view = buildMessageModal(t(locale, input.title), refusal, locale);
    await updateModal(client, viewId, view).catch(logReplyFailure(deps, input.where));
  }
}

/** Publishes someone's App Home tab. */
export async function publishHomeView(
  client: webApi.WebClient,
  userId: string,
  view: HomeView,
): Promise<void> {
  await client.views.publish({ user_id: userId, view });
}

/**
 * The answer to a click: beside the message clicked (which stays as it was), or in a small modal
 * where there is no response_url (App Home, modals).
 */
export async function answerClick(
  deps: ListenerDeps,
  args: { body: BlockAction; respond: RespondFn; client: webApi.WebClient; context: Record<string, unknown> },
  message: SlackMessage,
): Promise<void> {
  const { body, respond, client, context } = args;
  const locale = localeOf(context);
  if (body.response_url || body.container?.type === "message")
    return responder(deps, respond, locale).notice(message);
  await openModal(client, body.trigger_id, buildMessageModal("Cobro", message.text, locale));
}

/** Opens a modal over the one whose button was clicked (the trigger_id lives 3 s). */
export async function pushModal(client: webApi.WebClient, triggerId: string, view: ModalView): Promise<void> {
  await client.views.push({ trigger_id: triggerId, view });
}

export async function updateModal(client: webApi.WebClient, viewId: string, view: ModalView): Promise<void> {
  await client.views.update({ view_id: viewId, view });
}

type ViewValues = ViewSubmitAction["view"]["state"]["values"];

/** A modal input's answer (text, date or select option), trimmed; "" when left empty. */
export function fieldValue(values: ViewValues, field: { block: string; action: string }): string {
  const entry = values[field.block]?.[field.action];
  return (entry?.selected_date ?? entry?.selected_option?.value ?? entry?.value ?? "").trim();
}

// --- who a Slack user is, as Slack says ------------------------------------------------------------
// The e-mail, name and locale Slack has for a user (users.info with include_locale, scope
// users:read.email), remembered per process for a while: every request would otherwise cost a Web API call.
/** `locale` is the user's Slack language tag ("es-ES", "fr-FR", "en-US"). */
export type SlackProfile = { email: string | null; name: string | null; locale: string | null };

export type SlackUserEmails = {
  /** null fields when Slack has none (bots, or a user without an e-mail); throws when Slack fails. */
  profileOf: (client: webApi.WebClient, teamId: string, userId: string) => Promise<SlackProfile>;
};

export const USER_EMAIL_TTL_MS = 10 * 60_000;
const FAILURE_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export function createSlackUserEmails(options: { ttlMs?: number; now?: () => number } = {}): SlackUserEmails {
  const ttlMs = options.ttlMs ?? USER_EMAIL_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { profile: SlackProfile; until: number }>();
  return {
    async profileOf(client, teamId, userId) {
      const key = `${teamId}:${userId}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.profile;
      const remember = (profile: SlackProfile, forMs: number) => {
        cache.delete(key);
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(key, { profile, until: now() + forMs });
      };
      let user: Awaited<ReturnType<webApi.WebClient["users"]["info"]>>["user"];
      try {
        user = (await client.users.info({ user: userId, include_locale: true })).user;
      } catch (error) {
        // A refusal (missing scope) or an outage: not asked again for every request of that user.
        remember({ email: null, name: null, locale: null }, Math.min(ttlMs, FAILURE_TTL_MS));
        throw error;
      }
      const profile: SlackProfile = {
        email: user?.profile?.email?.trim().toLowerCase() || null,
        name: user?.profile?.real_name?.trim() || user?.real_name?.trim() || null,
        locale: user?.locale?.trim() || null,
      };
      remember(profile, ttlMs);
      return profile;
    },
  };
}

// --- what Cobro says, in the reader's language ---------------------------------------------------
// Catalogue messages in Slack: the reader's locale from the request, and mrkdwn whose values are
// escaped (a name "<!channel>" is shown, never notifies) unless Cobro wrote them (`markup()`).
/** The reader's language as the database knows it, put on the request context by the app's middleware. */
export function localeOf(context: Record<string, unknown>): Locale {
  return isLocale(context.locale) ? context.locale : DEFAULT_LOCALE;
}

/** The reader's language, asking Slack for it when they chose none: call it after any views.open. */
export async function readerLocale(context: Record<string, unknown>): Promise<Locale> {
  const ask = context.askLocale;
  if (typeof ask !== "function") return localeOf(context);
  const locale = await (ask as () => Promise<Locale>)();
  context.locale = locale;
  context.askLocale = undefined;
  return locale;
}

/** A catalogue message as Slack mrkdwn: string values escaped, `markup()` values kept. */
export function md(
  locale: Locale,
  key: MessageKey,
  values: Record<string, MessageValue | Markup> = {},
): string {
  const escaped: Record<string, MessageValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const kept = markupText(value);
    escaped[name] = kept ?? (typeof value === "string" ? escapeMrkdwn(value) : (value as MessageValue));
  }
  return t(locale, key, escaped);
}

const isKey = (key: string): key is MessageKey => key in CATALOGUES.en;

/**
 * A refusal's words in the reader's language when the catalogue has them: by the error's
 * messageKey (values named `…Key` are keys themselves, translated first, and `…Keys` comma-separated
 * keys said as a list; `…Minor` amounts are
 * money in the value `currency`, shown as `…`), else by `error.<code>`; otherwise its English
 * userMessage. Plain text: the caller escapes it.
 */
export function translatedUserMessage(error: unknown, locale: Locale): string | null {
  // Mrkdwn refusals (mentions of admins) are composed by Cobro itself: said again in the reader's
  // language only from their own key, whose values the domain escaped already.
  if (!isDomainError(error) || (error.mrkdwn && !error.messageKey)) return null;
  const key = error.messageKey ?? `error.${error.code}`;
  if (!isKey(key)) return null;
  const values: Record<string, MessageValue> = {};
  for (const [name, value] of Object.entries(error.messageValues)) {
    const currency = error.messageValues.currency;
    if (name.endsWith("Key") && typeof value === "string" && isKey(value))
      values[name.slice(0, -3)] = t(locale, value);
    else if (name.endsWith("Minor") && typeof value === "number" && typeof currency === "string")
      values[name.slice(0, -5)] = { amountMinor: value, currency };
    else if (name.endsWith("Keys") && typeof value === "string") {
      const said = value.split(",").map((k) => (isKey(k) ? t(locale, k) : k));
      values[name.slice(0, -4)] = new Intl.ListFormat(locale).format(said);
    } else values[name] = value;
  }
  return t(locale, key, values);
}
