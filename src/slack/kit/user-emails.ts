// The e-mail, name and locale Slack has for a user (users.info with include_locale, scope
// users:read.email), remembered per process for a while: every request would otherwise cost a Web API call.
import type { webApi } from "@slack/bolt";

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
