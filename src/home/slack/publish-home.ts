// Publishes someone's App Home: what needs them today, as their roles see it, in their language.
import type { webApi } from "@slack/bolt";
import { ctxOf, type ListenerDeps, publishHomeView, readerLocale } from "../../slack/kit/support.ts";
import { loadHome } from "../load-home.ts";
import { buildHomeView } from "./home-view.ts";

export async function publishHome(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { context: Record<string, unknown>; userId: string },
): Promise<void> {
  const ctx = ctxOf(deps, input.context);
  const { actor } = ctx;
  const locale = await readerLocale(input.context);
  const data = await loadHome(ctx, { locale });
  const view = buildHomeView({ ...data, roles: [...actor.roles], isAdmin: actor.roles.includes("admin") });
  await publishHomeView(client, input.userId, view);
}
