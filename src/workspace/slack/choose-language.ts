// `/cobro language es|fr|en|auto`: the language Cobro speaks to this person, answered in it.
import { LANGUAGE_NAMES, type Locale, localeFromTag } from "../../i18n/index.ts";
import { buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import { ctxOf, type ListenerDeps, md, slackProfileOf } from "../../slack/kit/support.ts";
import { findWorkspaceById } from "../index.ts";
import { setMemberLanguage } from "../set-member-language.ts";

export async function chooseLanguage(
  deps: ListenerDeps,
  context: Record<string, unknown>,
  slackUserId: string,
  choice: Locale | "auto",
): Promise<Reply> {
  const ctx = ctxOf(deps, context);
  const saved = await setMemberLanguage(ctx, {
    who: { slackUserId },
    language: choice === "auto" ? null : choice,
  });
  if (saved.language) {
    return buildTextReply(md(saved.language, "language.set", { language: LANGUAGE_NAMES[saved.language] }));
  }
  const profileOf = slackProfileOf(context);
  const fromSlack = profileOf ? localeFromTag((await profileOf(slackUserId)).locale) : null;
  const locale =
    fromSlack ?? saved.slackLanguage ?? (await findWorkspaceById(deps.db, ctx.workspaceId))?.locale ?? "en";
  return buildTextReply(md(locale, "language.auto", { language: LANGUAGE_NAMES[locale] }));
}
